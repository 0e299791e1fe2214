//! A file picker that also takes a dropped file. It hands the `File` up; reading and
//! checking it are the page's business.

use web_sys::{DragEvent, File, HtmlInputElement};
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct FileDropProps {
    pub label: AttrValue,
    pub hint: AttrValue,
    /// The `accept` attribute of the picker, such as `.yaml,.yml,.json`.
    pub accept: AttrValue,
    pub on_file: Callback<File>,
}

#[component]
pub fn FileDrop(props: &FileDropProps) -> Html {
    let dragging = use_state(|| false);
    let onchange = {
        let on_file = props.on_file.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                on_file.emit(file);
            }
            // Picking the same file again after fixing it must fire `change` again.
            input.set_value("");
        })
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            // Without this the browser opens the dropped file instead of handing it to us.
            e.prevent_default();
            dragging.set(true);
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let dragging = dragging.clone();
        let on_file = props.on_file.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            let file = e
                .data_transfer()
                .and_then(|t| t.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                on_file.emit(file);
            }
        })
    };
    html! {
        <div class={classes!("file-drop", dragging.then_some("dragging"))} {ondragover} {ondragleave} {ondrop}
            data-testid="file-drop">
            <label for="open-file">{ props.label.clone() }</label>
            <input id="open-file" type="file" accept={props.accept.clone()} {onchange} />
            <p class="hint">{ props.hint.clone() }</p>
        </div>
    }
}
