//! Keyboard focus after an action: when what had focus goes away (a submitted form that is
//! rebuilt, an acknowledged inject, a button that is no longer offered), focus moves to the
//! next thing the person works on instead of falling back to the top of the page.

use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// Focuses the first element matching `selector` now; `false` when there is none.
pub fn move_to(selector: &str) -> bool {
    gloo::utils::document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        .is_some_and(|e| e.focus().is_ok())
}

/// Once the page has re-rendered after this action, focuses the first of `selectors` that
/// exists, unless focus has meanwhile gone somewhere of the person's choosing.
pub fn after_render(selectors: &'static [&'static str]) {
    Timeout::new(0, move || {
        let document = gloo::utils::document();
        let lost = document.active_element().is_none_or(|active| {
            document
                .body()
                .is_some_and(|body| body.is_same_node(Some(&active)))
        });
        if lost {
            selectors.iter().any(|s| move_to(s));
        }
    })
    .forget();
}
