//! A file picker that also takes dropped files. It hands the `File`s up; reading and
//! checking them are the page's business.

use web_sys::{DragEvent, File, HtmlInputElement};
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct FileDropProps {
    pub label: AttrValue,
    pub hint: AttrValue,
    /// The `accept` attribute of the picker, such as `.yaml,.yml,.json`.
    pub accept: AttrValue,
    /// Every file picked or dropped at once (several only with `multiple`).
    pub on_files: Callback<Vec<File>>,
    #[prop_or(false)]
    pub multiple: bool,
}

fn all(files: Option<web_sys::FileList>) -> Vec<File> {
    files
        .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
        .unwrap_or_default()
}

#[component]
pub fn FileDrop(props: &FileDropProps) -> Html {
    let dragging = use_state(|| false);
    let onchange = {
        let on_files = props.on_files.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let files = all(input.files());
            if !files.is_empty() {
                on_files.emit(files);
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
        let (on_files, multiple) = (props.on_files.clone(), props.multiple);
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            let mut files = all(e.data_transfer().and_then(|t| t.files()));
            if !multiple {
                files.truncate(1);
            }
            if !files.is_empty() {
                on_files.emit(files);
            }
        })
    };
    html! {
        <div class={classes!("file-drop", dragging.then_some("dragging"))} {ondragover} {ondragleave} {ondrop}
            data-testid="file-drop">
            <label for="open-file">{ props.label.clone() }</label>
            <input id="open-file" type="file" accept={props.accept.clone()} multiple={props.multiple} {onchange} />
            <p class="hint">{ props.hint.clone() }</p>
        </div>
    }
}

/// Adapts a one-file callback to [`FileDrop`]'s `on_files` (without `multiple`, one file).
pub fn first(on_file: Callback<File>) -> Callback<Vec<File>> {
    Callback::from(move |files: Vec<File>| {
        if let Some(file) = files.into_iter().next() {
            on_file.emit(file);
        }
    })
}
