//! Waiting for the browser to be idle, for work that must not delay what is on screen.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// The longest an idle wait lasts on a page that is never idle.
const MOST_MS: u32 = 1_000;

/// Resolves once the browser is idle (`requestIdleCallback`, at most a second later), or in
/// the next task where it has no such call (Safari).
pub async fn idle() {
    let window: JsValue = gloo::utils::window().into();
    let request = Reflect::get(&window, &"requestIdleCallback".into())
        .ok()
        .and_then(|f| wasm_bindgen::JsCast::dyn_into::<Function>(f).ok());
    let Some(request) = request else {
        return gloo_timers::future::TimeoutFuture::new(0).await;
    };
    let promise = Promise::new(&mut |resolve, _| {
        let options = Object::new();
        let _ = Reflect::set(&options, &"timeout".into(), &MOST_MS.into());
        if request.call2(&window, &resolve, &options).is_err() {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}
