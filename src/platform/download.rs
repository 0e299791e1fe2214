//! Saving a file to the technician's disk (an export of the log), with no server involved.

use js_sys::Array;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Offers `text` as a download named `file_name`.
pub fn save_text(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts: Array = [wasm_bindgen::JsValue::from_str(text)]
        .into_iter()
        .collect();
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser could not prepare the file".to_owned())?;
    let url = Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser could not prepare the file".to_owned())?;
    let document = gloo::utils::document();
    let anchor: HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "the browser could not start the download".to_owned())?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    // The click has started the download; the URL is no longer needed.
    Url::revoke_object_url(&url)
        .map_err(|_| "the download's temporary URL could not be released".to_owned())
}
