//! The one `Reducible`: UI state over a core [`Session`].
//!
//! Every rule is delegated to `Session::apply`; this reducer only keeps the session, counts
//! revisions so Yew knows when to re-render, and turns a rejection into a visible notice.
//! It does no I/O: clocks and randomness are read by the hook before dispatching, and
//! persistence (issue 4) will run in an effect keyed on `revision`.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use stepwise_core::session::{Action, Session, Start};
use stepwise_core::Timestamp;
use yew::Reducible;

use crate::library::LoadedRunbook;

/// What the UI can ask of the session.
#[derive(Debug, Clone)]
pub enum SessionAction {
    Start {
        runbook: LoadedRunbook,
        start: Start,
        at: Timestamp,
    },
    Apply {
        action: Action,
        at: Timestamp,
    },
    /// Show a problem that arose outside the reducer (an adapter failure).
    Notify(String),
    DismissNotice,
}

#[derive(Debug, Default)]
pub struct SessionState {
    /// Shared and mutated in place so that an action costs one appended record, not a copy
    /// of the whole log; `revision` tells Yew that something changed.
    session: Option<Rc<RefCell<Session>>>,
    pub revision: u64,
    pub notice: Option<String>,
}

impl PartialEq for SessionState {
    fn eq(&self, other: &Self) -> bool {
        self.revision == other.revision && self.notice == other.notice
    }
}

impl SessionState {
    pub fn session(&self) -> Option<Ref<'_, Session>> {
        self.session.as_ref().map(|cell| cell.borrow())
    }

    fn next(&self, notice: Option<String>) -> Rc<Self> {
        Rc::new(SessionState {
            session: self.session.clone(),
            revision: self.revision + 1,
            notice,
        })
    }
}

impl Reducible for SessionState {
    type Action = SessionAction;

    fn reduce(self: Rc<Self>, action: SessionAction) -> Rc<Self> {
        match action {
            SessionAction::Start { runbook, start, at } => {
                let session = Session::start(runbook.runbook, start, at, None);
                Rc::new(SessionState {
                    session: Some(Rc::new(RefCell::new(session))),
                    revision: self.revision + 1,
                    notice: None,
                })
            }
            SessionAction::Apply { action, at } => {
                let Some(cell) = &self.session else {
                    return self.next(Some("no session is running".to_owned()));
                };
                let outcome = cell.borrow_mut().apply(action, at, None).map(|_| ());
                match outcome {
                    Ok(()) => self.next(None),
                    Err(rejection) => self.next(Some(format!("Not recorded: {rejection}"))),
                }
            }
            SessionAction::Notify(message) => self.next(Some(message)),
            SessionAction::DismissNotice if self.notice.is_none() => self,
            SessionAction::DismissNotice => self.next(None),
        }
    }
}
