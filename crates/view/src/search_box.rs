//! The library's search field: it reports every keystroke, the page filters.

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct SearchBoxProps {
    pub value: AttrValue,
    pub on_input: Callback<String>,
    /// What the field searches, for its label.
    pub label: AttrValue,
}

#[component]
pub fn SearchBox(props: &SearchBoxProps) -> Html {
    let on_input = props.on_input.clone();
    let oninput = Callback::from(move |e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        on_input.emit(input.value());
    });
    html! {
        <div class="search">
            <label for="search">{ props.label.clone() }</label>
            <input id="search" type="search" autocomplete="off" spellcheck="false"
                value={props.value.clone()} {oninput} />
        </div>
    }
}
