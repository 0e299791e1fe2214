//! The one `Reducible`: UI state over a core [`Session`].
//!
//! Every rule is delegated to `Session::apply`; this reducer keeps the session, counts
//! revisions so Yew knows when to re-render, tracks how many of the session's lines storage
//! has confirmed, and turns a rejection or a storage failure into a visible notice. It does
//! no I/O: clocks and randomness are read by the hook before dispatching, and persistence
//! runs in an effect keyed on `revision` (see `hooks.rs`).

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use stepwise_core::session::{Action, Actor, Session, Start};
use stepwise_core::Timestamp;
use yew::Reducible;

use crate::library::{LoadedMatrix, LoadedRunbook, LoadedScenario};

/// What the UI can ask of the session.
#[derive(Debug, Clone)]
pub enum SessionAction {
    Start {
        runbook: LoadedRunbook,
        matrix: Option<Rc<LoadedMatrix>>,
        /// The scenario of a drill.
        scenario: Option<Rc<LoadedScenario>>,
        start: Start,
        at: Timestamp,
        actor: Option<Actor>,
    },
    /// A replayed session: from storage (`stored`), or received from a hand-over file and
    /// not stored yet.
    Resume {
        runbook: LoadedRunbook,
        matrix: Option<Rc<LoadedMatrix>>,
        scenario: Option<Rc<LoadedScenario>>,
        session: Box<Session>,
        stored: bool,
    },
    Apply {
        action: Action,
        at: Timestamp,
        actor: Option<Actor>,
    },
    /// Whether this tab may write session `id` (the Web Locks outcome).
    WriterChanged {
        id: String,
        writer: Writer,
    },
    /// Storage confirmed the first `lines` lines of the session `id`.
    Persisted {
        id: String,
        lines: usize,
    },
    /// Storage failed; the session goes on in memory and the technician is told at once.
    StorageFailed(String),
    /// Show a problem that arose outside the reducer (an adapter failure).
    Notify(String),
    DismissNotice,
}

/// Whether this tab records actions for the session, or another tab does.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Writer {
    /// Not settled yet; a new session writes meanwhile.
    #[default]
    Unknown,
    Writing,
    /// Another tab holds the session's lock.
    ReadOnly,
    /// This browser cannot tell (no Web Locks); the reason is shown.
    Unguarded(String),
}

impl Writer {
    pub fn may_write(&self) -> bool {
        !matches!(self, Writer::ReadOnly)
    }
}

/// Whether what the technician sees is also safely stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saving {
    Saved,
    Pending,
    Failed(String),
}

#[derive(Debug, Default)]
pub struct SessionState {
    /// Shared and mutated in place so that an action costs one appended record, not a copy
    /// of the whole log; `revision` tells Yew that something changed.
    session: Option<Rc<RefCell<Session>>>,
    runbook: Option<LoadedRunbook>,
    /// The priority matrix the session's header names, when it is known here.
    matrix: Option<Rc<LoadedMatrix>>,
    /// The drill scenario the session's header names, when it is a drill known here.
    scenario: Option<Rc<LoadedScenario>>,
    pub revision: u64,
    /// How many of the session's lines storage has confirmed.
    pub persisted: usize,
    pub storage_error: Option<String>,
    pub writer: Writer,
    pub notice: Option<String>,
}

impl PartialEq for SessionState {
    fn eq(&self, other: &Self) -> bool {
        self.revision == other.revision
    }
}

impl SessionState {
    pub fn session(&self) -> Option<Ref<'_, Session>> {
        self.session.as_ref().map(|cell| cell.borrow())
    }

    pub fn runbook(&self) -> Option<&LoadedRunbook> {
        self.runbook.as_ref()
    }

    pub fn matrix(&self) -> Option<Rc<LoadedMatrix>> {
        self.matrix.clone()
    }

    pub fn scenario(&self) -> Option<Rc<LoadedScenario>> {
        self.scenario.clone()
    }

    pub fn saving(&self) -> Saving {
        let lines = self.session().map_or(0, |s| s.lines().len());
        match &self.storage_error {
            Some(error) => Saving::Failed(error.clone()),
            None if self.persisted < lines => Saving::Pending,
            None => Saving::Saved,
        }
    }

    fn next(&self, change: impl FnOnce(&mut SessionState)) -> Rc<Self> {
        let mut next = SessionState {
            session: self.session.clone(),
            runbook: self.runbook.clone(),
            matrix: self.matrix.clone(),
            scenario: self.scenario.clone(),
            revision: self.revision + 1,
            persisted: self.persisted,
            storage_error: self.storage_error.clone(),
            writer: self.writer.clone(),
            notice: self.notice.clone(),
        };
        change(&mut next);
        Rc::new(next)
    }

    fn is_current(&self, id: &str) -> bool {
        self.session()
            .is_some_and(|s| s.header().session.as_str() == id)
    }
}

impl Reducible for SessionState {
    type Action = SessionAction;

    fn reduce(self: Rc<Self>, action: SessionAction) -> Rc<Self> {
        match action {
            SessionAction::Start {
                runbook,
                matrix,
                scenario,
                start,
                at,
                actor,
            } => {
                let session = Session::start(runbook.runbook.clone(), start, at, actor);
                self.next(|s| {
                    s.session = Some(Rc::new(RefCell::new(session)));
                    s.runbook = Some(runbook);
                    s.matrix = matrix;
                    s.scenario = scenario;
                    s.persisted = 0;
                    s.writer = Writer::Unknown;
                    s.notice = None;
                })
            }
            SessionAction::Resume {
                runbook,
                matrix,
                scenario,
                session,
                stored,
            } => self.next(|s| {
                s.matrix = matrix;
                s.scenario = scenario;
                if !s.is_current(session.header().session.as_str()) {
                    s.writer = Writer::Unknown;
                }
                s.persisted = if stored { session.lines().len() } else { 0 };
                s.session = Some(Rc::new(RefCell::new(*session)));
                s.runbook = Some(runbook);
                s.notice = None;
            }),
            SessionAction::Apply { action, at, actor } => {
                let Some(cell) = &self.session else {
                    return self.next(|s| s.notice = Some("no session is running".to_owned()));
                };
                if !self.writer.may_write() {
                    return self.next(|s| {
                        s.notice = Some("Not recorded: another tab is recording this session; take over here to continue".to_owned())
                    });
                }
                let outcome = cell.borrow_mut().apply(action, at, actor).map(|_| ());
                match outcome {
                    Ok(()) => self.next(|s| s.notice = None),
                    Err(rejection) => {
                        self.next(|s| s.notice = Some(format!("Not recorded: {rejection}")))
                    }
                }
            }
            SessionAction::Persisted { id, lines }
                if self.is_current(&id) && lines > self.persisted =>
            {
                self.next(|s| s.persisted = lines)
            }
            SessionAction::Persisted { .. } => self,
            SessionAction::WriterChanged { id, writer } if self.is_current(&id) => {
                self.next(|s| s.writer = writer)
            }
            SessionAction::WriterChanged { .. } => self,
            SessionAction::StorageFailed(message) => self.next(|s| s.storage_error = Some(message)),
            SessionAction::Notify(message) => self.next(|s| s.notice = Some(message)),
            SessionAction::DismissNotice if self.notice.is_none() => self,
            SessionAction::DismissNotice => self.next(|s| s.notice = None),
        }
    }
}
