//! Stepwise's web app: a Yew single-page app over `stepwise-core`.
//!
//! This file only declares modules and the wasm entry point. The app renders state and
//! dispatches actions; every rule (parsing, progress, the record chain) is the core's.

pub mod app;
mod components;
mod hooks;
pub mod library;
mod pages;
/// Browser adapters; public so the browser tests can exercise storage directly.
pub mod platform;
mod state;

use wasm_bindgen::prelude::wasm_bindgen;

/// The id of the element the app mounts into. Pages without it (the wasm test runner's)
/// get no automatic mount, so tests can mount the app where they choose.
pub const ROOT_ID: &str = "app";

#[wasm_bindgen(start)]
pub fn start() {
    let Some(root) = gloo::utils::document().get_element_by_id(ROOT_ID) else {
        return;
    };
    // Drop the "Loading…" placeholder that index.html shows before the wasm arrives.
    root.set_inner_html("");
    yew::Renderer::<app::App>::with_root(root).render();
}
