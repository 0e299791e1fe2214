//! A dismissible notice for problems the technician must see (a refused action, an adapter
//! failure). It is an alert so that screen readers announce it at once.

use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct NoticeProps {
    pub message: AttrValue,
    pub on_dismiss: Callback<()>,
}

#[component]
pub fn Notice(props: &NoticeProps) -> Html {
    let on_dismiss = props.on_dismiss.clone();
    html! {
        <div class="notice" role="alert">
            <span>{ props.message.clone() }</span>
            <button type="button" onclick={move |_| on_dismiss.emit(())}>{ "Dismiss" }</button>
        </div>
    }
}
