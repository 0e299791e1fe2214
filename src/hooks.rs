//! Typed access to the app's two contexts, and the providers that publish them.
//!
//! Pages call `use_library()` and `use_session()`; they never touch `use_context` or the
//! reducer directly. `SessionHandle` offers intent methods (`check_item`, `enter_step`) that
//! read the clock and randomness *before* dispatching, so the reducer stays free of I/O.

use std::cell::Ref;
use std::rc::Rc;

use stepwise_core::session::{Action, AppInfo, Session, Start};
use stepwise_core::{ItemId, SessionId, StepId};
use yew::prelude::*;

use crate::library::{fetch_library, Library, LoadedRunbook, LIBRARY_BASE};
use crate::platform::{clock, random};
use crate::state::{SessionAction, SessionState};

/// The bundled library as the pages see it.
#[derive(Debug, Clone, PartialEq)]
pub enum LibraryStatus {
    Loading,
    /// The index itself could not be loaded; no runbook can be listed.
    Failed(String),
    Ready(Rc<Library>),
}

/// The library context: the bundled library, and runbooks opened from disk in this tab
/// (kept apart: opening a file never adds it to the library).
#[derive(Clone, PartialEq)]
pub struct LibraryHandle {
    pub status: LibraryStatus,
    opened: UseStateHandle<Rc<Vec<LoadedRunbook>>>,
}

impl LibraryHandle {
    /// The runbook with `id` from the bundled library: `None` while loading or unknown,
    /// `Some(Err)` when it is listed but broken.
    pub fn bundled(&self, id: &str) -> Option<Result<LoadedRunbook, String>> {
        match &self.status {
            LibraryStatus::Ready(library) => library.entry(id).map(|e| e.runbook.clone()),
            _ => None,
        }
    }

    /// A runbook opened from disk, by id.
    pub fn opened(&self, id: &str) -> Option<LoadedRunbook> {
        self.opened
            .iter()
            .find(|r| r.runbook.id.as_str() == id)
            .cloned()
    }

    /// Keeps a runbook opened from disk for this tab; a later file with the same id wins.
    pub fn open(&self, runbook: LoadedRunbook) {
        let mut list: Vec<LoadedRunbook> = self
            .opened
            .iter()
            .filter(|r| r.runbook.id != runbook.runbook.id)
            .cloned()
            .collect();
        list.push(runbook);
        self.opened.set(Rc::new(list));
    }
}

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct LibraryProviderProps {
    #[prop_or_default]
    pub preloaded: Option<Rc<Library>>,
    pub children: Html,
}

/// Loads the library once (or takes the preloaded one) and publishes it.
#[component]
pub fn LibraryProvider(props: &LibraryProviderProps) -> Html {
    let status = use_state(|| match &props.preloaded {
        Some(library) => LibraryStatus::Ready(library.clone()),
        None => LibraryStatus::Loading,
    });
    let opened = use_state(|| Rc::new(Vec::new()));
    {
        let status = status.clone();
        let needs_fetch = props.preloaded.is_none();
        use_effect_with((), move |_| {
            if needs_fetch {
                wasm_bindgen_futures::spawn_local(async move {
                    status.set(match fetch_library(LIBRARY_BASE).await {
                        Ok(library) => LibraryStatus::Ready(Rc::new(library)),
                        Err(message) => LibraryStatus::Failed(message),
                    });
                });
            }
        });
    }
    let context = LibraryHandle {
        status: (*status).clone(),
        opened,
    };
    html! {
        <ContextProvider<LibraryHandle> {context}>
            { props.children.clone() }
        </ContextProvider<LibraryHandle>>
    }
}

#[hook]
pub fn use_library() -> Option<LibraryHandle> {
    use_context::<LibraryHandle>()
}

/// The session context: the reducer's handle with intent methods.
#[derive(Clone, PartialEq)]
pub struct SessionHandle {
    inner: UseReducerHandle<SessionState>,
}

impl SessionHandle {
    pub fn session(&self) -> Option<Ref<'_, Session>> {
        self.inner.session()
    }

    pub fn notice(&self) -> Option<&str> {
        self.inner.notice.as_deref()
    }

    /// Starts a new session of `runbook`, drawing its id from the browser's CSPRNG.
    pub fn start(&self, runbook: &LoadedRunbook) {
        let bytes = match random::bytes16() {
            Ok(bytes) => bytes,
            Err(message) => return self.inner.dispatch(SessionAction::Notify(message)),
        };
        let start = Start {
            session: SessionId::from_random_bytes(bytes),
            app: AppInfo {
                name: env!("CARGO_PKG_NAME").to_owned(),
                version: env!("CARGO_PKG_VERSION").to_owned(),
            },
            runbook_sha256: runbook.sha256,
        };
        self.inner.dispatch(SessionAction::Start {
            runbook: runbook.clone(),
            start,
            at: clock::now(),
        });
    }

    pub fn check_item(&self, step: StepId, item: ItemId) {
        self.apply(Action::CheckItem { step, item });
    }

    pub fn uncheck_item(&self, step: StepId, item: ItemId) {
        self.apply(Action::UncheckItem { step, item });
    }

    pub fn enter_step(&self, step: StepId) {
        self.apply(Action::EnterStep(step));
    }

    pub fn dismiss_notice(&self) {
        self.inner.dispatch(SessionAction::DismissNotice);
    }

    fn apply(&self, action: Action) {
        self.inner.dispatch(SessionAction::Apply {
            action,
            at: clock::now(),
        });
    }
}

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct SessionProviderProps {
    pub children: Html,
}

#[component]
pub fn SessionProvider(props: &SessionProviderProps) -> Html {
    let inner = use_reducer(SessionState::default);
    html! {
        <ContextProvider<SessionHandle> context={SessionHandle { inner }}>
            { props.children.clone() }
        </ContextProvider<SessionHandle>>
    }
}

#[hook]
pub fn use_session() -> Option<SessionHandle> {
    use_context::<SessionHandle>()
}
