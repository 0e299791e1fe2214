//! Copying text for the technician to paste into a ticket or an e-mail.
//!
//! `navigator.clipboard` exists only in secure contexts (HTTPS, localhost); over plain HTTP
//! the text is selected in a hidden field and copied with the older `execCommand("copy")`,
//! which browsers still honour for a click.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlDocument, HtmlTextAreaElement};

pub async fn copy_text(text: &str) -> Result<(), String> {
    let navigator = gloo::utils::window().navigator();
    let has_clipboard =
        js_sys::Reflect::get(&navigator, &"clipboard".into()).is_ok_and(|c| !c.is_undefined());
    if has_clipboard {
        let promise = navigator.clipboard().write_text(text);
        return JsFuture::from(promise).await.map(|_| ()).map_err(|_| {
            "the browser refused to copy; select the text and copy it by hand".to_owned()
        });
    }
    copy_by_selection(text)
}

fn copy_by_selection(text: &str) -> Result<(), String> {
    let failed = || "the browser could not copy; select the text and copy it by hand".to_owned();
    let document = gloo::utils::document();
    let field: HtmlTextAreaElement = document
        .create_element("textarea")
        .map_err(|_| failed())?
        .unchecked_into();
    field.set_value(text);
    field.set_attribute("readonly", "").map_err(|_| failed())?;
    field.set_class_name("offscreen");
    let body = document.body().ok_or_else(failed)?;
    body.append_child(&field).map_err(|_| failed())?;
    field.select();
    let copied = document
        .dyn_ref::<HtmlDocument>()
        .and_then(|d| d.exec_command("copy").ok())
        .unwrap_or(false);
    field.remove();
    if copied {
        Ok(())
    } else {
        Err(failed())
    }
}
