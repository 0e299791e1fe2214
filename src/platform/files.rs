//! Files the technician hands the app (file picker, drag and drop): their bytes, read once.

use js_sys::Uint8Array;
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
