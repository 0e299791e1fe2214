//! Files the technician hands the app (file picker, drag and drop): their bytes, read once.

use js_sys::Uint8Array;
use stepwise_view::hand_over;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::File;

/// The file's bytes. A file over `limit` (the runbook limit for runbooks, the log limit for
/// logs and hand-over files) is refused before it is read, so a huge file dropped by
/// mistake costs nothing.
pub async fn read_bytes(file: &File, limit: usize) -> Result<Vec<u8>, String> {
    let size = file.size();
    if size > limit as f64 {
        return Err(format!(
            "{}: file is {size} bytes, over the limit of {limit} bytes",
            file.name()
        ));
    }
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("{}: the browser could not read the file", file.name()))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// The runbook file chosen on the first-load module's library page, if the boot script
/// handed one over: taken once, so a later visit to the page does not open it again.
pub fn take_handed_over() -> Option<File> {
    let window = gloo::utils::window();
    let key = wasm_bindgen::JsValue::from_str(hand_over::FILE_PROPERTY);
    let value = js_sys::Reflect::get(&window, &key).ok()?;
    let _ = js_sys::Reflect::delete_property(&window, &key);
    value.dyn_into::<File>().ok()
}
