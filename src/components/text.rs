//! Author text shown as paragraphs. Text nodes only: runbook text is data, never markup, so
//! nothing here can inject HTML. (Markdown rendering with raw HTML disabled comes with the
//! runbook format issue.)

use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct TextBlockProps {
    pub text: AttrValue,
    #[prop_or_default]
    pub class: Classes,
}

#[component]
pub fn TextBlock(props: &TextBlockProps) -> Html {
    let paragraphs = props
        .text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| html! { <p>{ p.to_owned() }</p> });
    html! { <div class={classes!("text", props.class.clone())}>{ for paragraphs }</div> }
}
