//! One writer per session across tabs, with the Web Locks API (`navigator.locks`).
//!
//! A tab that opens a session asks for the lock `stepwise-session-<id>` without waiting; the
//! tab that gets it writes, any other shows the session read-only. "Take over" steals the
//! lock: the old holder is told (its `on_lost` runs) and turns read-only itself. web-sys marks
//! the API unstable, so it is reached through `js_sys::Reflect`. Web Locks exist only in
//! secure contexts (HTTPS or localhost); elsewhere `acquire` says so and the caller decides.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A held lock; dropping it releases the lock.
pub struct LockGuard {
    release: Function,
    // Kept alive for as long as the lock is held: the browser calls them later.
    _granted: Closure<dyn FnMut(JsValue) -> JsValue>,
    _lost: Closure<dyn FnMut(JsValue)>,
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        // Resolving the promise the lock callback returned releases the lock.
        let _ = self.release.call0(&JsValue::NULL);
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acquired {
    /// This tab writes.
    Held,
    /// Another tab holds the lock.
    Busy,
    /// This browser or context has no Web Locks.
    Unsupported(String),
}

/// Tries to take the lock `name`; with `steal`, takes it from whoever holds it. `on_lost` runs
/// if another tab steals it later.
pub async fn acquire(
    name: &str,
    steal: bool,
    on_lost: impl Fn() + 'static,
) -> (Acquired, Option<LockGuard>) {
    let navigator = gloo::utils::window().navigator();
    let locks = Reflect::get(&navigator, &JsValue::from_str("locks")).unwrap_or(JsValue::UNDEFINED);
    let request = Reflect::get(&locks, &JsValue::from_str("request"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    let Some(request) = request.filter(|_| !locks.is_undefined()) else {
        return (
            Acquired::Unsupported("Web Locks need HTTPS or localhost".to_owned()),
            None,
        );
    };

    // `granted` resolves with whether the callback got the lock; `held` is what the callback
    // returns, and stays pending until the guard is dropped.
    let granted_resolve: Rc<RefCell<Option<Function>>> = Rc::new(RefCell::new(None));
    let granted = Promise::new(&mut |resolve, _| *granted_resolve.borrow_mut() = Some(resolve));
    let release_slot: Rc<RefCell<Option<Function>>> = Rc::new(RefCell::new(None));
    let held = Promise::new(&mut |resolve, _| *release_slot.borrow_mut() = Some(resolve));

    let callback = {
        let granted_resolve = granted_resolve.clone();
        let held = held.clone();
        Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |lock: JsValue| {
            let got = !lock.is_null() && !lock.is_undefined();
            if let Some(resolve) = granted_resolve.borrow().as_ref() {
                let _ = resolve.call1(&JsValue::NULL, &JsValue::from_bool(got));
            }
            if got {
                held.clone().into()
            } else {
                JsValue::UNDEFINED
            }
        })
    };
    let options = Object::new();
    let flag = if steal { "steal" } else { "ifAvailable" };
    let _ = Reflect::set(&options, &JsValue::from_str(flag), &JsValue::TRUE);
    let outcome = request.call3(
        &locks,
        &JsValue::from_str(name),
        &options,
        callback.as_ref().unchecked_ref(),
    );
    let Ok(outcome) = outcome.and_then(|p| p.dyn_into::<Promise>()) else {
        return (
            Acquired::Unsupported("navigator.locks.request failed".to_owned()),
            None,
        );
    };
    // When another tab steals the lock, the promise `request` returned rejects.
    let lost = Closure::<dyn FnMut(JsValue)>::new(move |_| on_lost());
    let _ = outcome.catch(&lost);

    let got = JsFuture::from(granted)
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    if !got {
        return (Acquired::Busy, None);
    }
    let Some(release) = release_slot.borrow_mut().take() else {
        return (
            Acquired::Unsupported("the lock could not be kept".to_owned()),
            None,
        );
    };
    (
        Acquired::Held,
        Some(LockGuard {
            release,
            _granted: callback,
            _lost: lost,
        }),
    )
}
