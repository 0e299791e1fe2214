//! What the first-load module (crates/lite) leaves for this app when it hands over: the file
//! the technician chose and the library search they had typed. Each is taken once.

use js_sys::Reflect;
use stepwise_view::hand_over::{FILE_PROPERTY, SEARCH_PROPERTY};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::File;

/// The window property `name`, removed as it is read.
fn take(name: &str) -> Option<JsValue> {
    let window = gloo::utils::window();
    let key = JsValue::from_str(name);
    let value = Reflect::get(&window, &key).ok()?;
    let _ = Reflect::delete_property(&window, &key);
    (!value.is_undefined() && !value.is_null()).then_some(value)
}

/// The runbook file chosen on the first-load module's library page.
pub fn take_file() -> Option<File> {
    take(FILE_PROPERTY)?.dyn_into::<File>().ok()
}

/// The library search typed there, and whether the search field had focus.
pub fn take_search() -> Option<(String, bool)> {
    let search = take(SEARCH_PROPERTY)?;
    let text = Reflect::get(&search, &"text".into()).ok()?.as_string()?;
    let focused = Reflect::get(&search, &"focused".into())
        .ok()
        .and_then(|f| f.as_bool())
        .unwrap_or(false);
    Some((text, focused))
}
