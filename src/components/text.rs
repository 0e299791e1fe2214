//! Author Markdown (runbook summaries, step bodies) as DOM, from the core's safe tree.
//!
//! The core has already reduced the Markdown to an allow-list of elements with checked link
//! targets (`stepwise_core::markdown`); this component only maps that tree to virtual DOM.
//! Text is always a text node, never parsed as HTML, so runbook text cannot become code.

use stepwise_core::markdown::{render, Node, Tag};
use yew::prelude::*;
use yew::virtual_dom::{VTag, VText};

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct TextBlockProps {
    pub text: AttrValue,
    #[prop_or_default]
    pub class: Classes,
}

#[component]
pub fn TextBlock(props: &TextBlockProps) -> Html {
    // Parsed once per text, not on every re-render of the page around it.
    let nodes = use_memo(props.text.clone(), |text| render(text));
    html! { <div class={classes!("text", props.class.clone())}>{ for nodes.iter().map(to_html) }</div> }
}

fn to_html(node: &Node) -> Html {
    match node {
        Node::Text(text) => VText::new(text.clone()).into(),
        Node::Element {
            tag,
            href,
            children,
        } => {
            let mut element = VTag::new(tag.element_name());
            if let Some(href) = href {
                element.add_attribute("href", href.clone());
                // Follow a link without leaving the running session.
                element.add_attribute("target", "_blank");
                element.add_attribute("rel", "noopener noreferrer");
            }
            if let Tag::OrderedList(start) = tag {
                if *start != 1 {
                    element.add_attribute("start", start.to_string());
                }
            }
            element.add_children(children.iter().map(to_html));
            element.into()
        }
    }
}
