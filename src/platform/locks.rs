//! One writer per session across tabs, with the Web Locks API (`navigator.locks`).
//!
//! A tab that opens a session asks for the lock `stepwise-session-<id>` without waiting; the
//! tab that gets it writes, any other shows the session read-only. "Take over" steals the
//! lock: the old holder is told (its `on_lost` runs) and turns read-only itself. web-sys marks
//! the API unstable, so it is reached through `js_sys::Reflect`.
//!
//! Web Locks exist only in secure contexts (HTTPS or localhost), and intranets often serve
//! plain HTTP. There a `BroadcastChannel` of the same name stands in: a tab asks "held?", a
//! holder answers, silence for a short while means the session is free; a steal tells the
//! holder to let go. Two tabs opening the same session in the same instant both ask; the
//! lower tab id wins.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{BroadcastChannel, MessageEvent};

/// A held lock; dropping it releases the lock.
pub enum LockGuard {
    WebLock {
        release: Function,
        // Kept alive for as long as the lock is held: the browser calls them later.
        _granted: Closure<dyn FnMut(JsValue) -> JsValue>,
        _lost: Closure<dyn FnMut(JsValue)>,
    },
    Channel {
        channel: BroadcastChannel,
        _listener: Closure<dyn FnMut(MessageEvent)>,
    },
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        match self {
            // Resolving the promise the lock callback returned releases the lock.
            LockGuard::WebLock { release, .. } => {
                let _ = release.call0(&JsValue::NULL);
            }
            LockGuard::Channel { channel, .. } => {
                channel.set_onmessage(None);
                channel.close();
            }
        }
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
        return acquire_by_channel(name, steal, on_lost).await;
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
        Some(LockGuard::WebLock {
            release,
            _granted: callback,
            _lost: lost,
        }),
    )
}

/// How long a tab waits for a holder to answer before taking the session.
const CHANNEL_WAIT_MS: u32 = 150;

/// The `BroadcastChannel` stand-in for Web Locks (see the module doc).
async fn acquire_by_channel(
    name: &str,
    steal: bool,
    on_lost: impl Fn() + 'static,
) -> (Acquired, Option<LockGuard>) {
    let Ok(channel) = BroadcastChannel::new(name) else {
        return (
            Acquired::Unsupported(
                "this browser has neither Web Locks nor BroadcastChannel".to_owned(),
            ),
            None,
        );
    };
    let me = crate::platform::random::bytes16()
        .map(|b| u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
        .unwrap_or(0);
    // `busy` turns true when a holder answers (or a rival with a lower id asks at once).
    let busy = Rc::new(RefCell::new(false));
    let holding = Rc::new(RefCell::new(false));
    let listener = {
        let (busy, holding, channel) = (busy.clone(), holding.clone(), channel.clone());
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let text = event.data().as_string().unwrap_or_default();
            let (kind, from) = text.split_once(' ').unwrap_or((text.as_str(), "0"));
            let from: u64 = from.parse().unwrap_or(0);
            match kind {
                "held?" if *holding.borrow() => {
                    let _ = channel.post_message(&JsValue::from_str(&format!("held {me}")));
                }
                // Two tabs asking in the same instant: the lower id takes it.
                "held?" if from < me => *busy.borrow_mut() = true,
                "held" => *busy.borrow_mut() = true,
                "steal" if *holding.borrow() => {
                    *holding.borrow_mut() = false;
                    on_lost();
                }
                _ => {}
            }
        })
    };
    channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
    let ask = if steal { "steal" } else { "held?" };
    if channel
        .post_message(&JsValue::from_str(&format!("{ask} {me}")))
        .is_err()
    {
        return (
            Acquired::Unsupported("BroadcastChannel refused the message".to_owned()),
            None,
        );
    }
    if !steal {
        gloo_timers::future::TimeoutFuture::new(CHANNEL_WAIT_MS).await;
        if *busy.borrow() {
            channel.set_onmessage(None);
            channel.close();
            return (Acquired::Busy, None);
        }
    }
    *holding.borrow_mut() = true;
    (
        Acquired::Held,
        Some(LockGuard::Channel {
            channel,
            _listener: listener,
        }),
    )
}
