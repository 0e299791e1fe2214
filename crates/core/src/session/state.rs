//! The reducer: what a session's records add up to, and which records are allowed.
//!
//! [`State::check`] decides whether a record may follow the ones already folded, and
//! [`State::absorb`] folds it. Both the live path (`Session::apply`) and replay from storage
//! go through them, so a replayed session is identical to the one that was recorded.

use std::collections::BTreeSet;

use thiserror::Error;

use super::record::{Body, Header, Record};
use crate::ids::{ItemId, SessionId, StepId};
use crate::runbook::Runbook;
use crate::time::Timestamp;

/// Why an action (or a replayed record) was refused. Nothing is recorded when it is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Rejection {
    #[error("unknown step `{0}`")]
    UnknownStep(StepId),
    #[error("unknown item `{item}` in step `{step}`")]
    UnknownItem { step: StepId, item: ItemId },
    #[error("item `{item}` in step `{step}` is already checked")]
    AlreadyChecked { step: StepId, item: ItemId },
    #[error("item `{item}` in step `{step}` is not checked")]
    NotChecked { step: StepId, item: ItemId },
    #[error("step `{0}` is already the current step")]
    AlreadyOnStep(StepId),
    #[error("a header may only be the first record")]
    HeaderNotFirst,
}

/// How much of the checklist is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub required_done: usize,
    pub required_total: usize,
}

impl Progress {
    /// Whole percent done, rounded down; an empty checklist counts as complete.
    pub fn percent(&self) -> u32 {
        (self.done * 100)
            .checked_div(self.total)
            .map_or(100, |p| p as u32)
    }
}

/// The fold of a session's records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    pub session: SessionId,
    pub started: Timestamp,
    pub last_activity: Timestamp,
    /// Index into the runbook's steps of the step the technician is on.
    pub current: usize,
    checked: BTreeSet<(StepId, ItemId)>,
}

impl State {
    /// The state right after the header.
    pub fn new(header: &Header, at: Timestamp) -> State {
        State {
            session: header.session.clone(),
            started: at,
            last_activity: at,
            current: 0,
            checked: BTreeSet::new(),
        }
    }

    /// Whether `body` may be recorded next. Pure: the state is not changed.
    pub fn check(&self, runbook: &Runbook, body: &Body) -> Result<(), Rejection> {
        match body {
            Body::Header(_) => Err(Rejection::HeaderNotFirst),
            Body::StepEntered { step } => {
                let index = runbook
                    .step_index(step)
                    .ok_or_else(|| Rejection::UnknownStep(step.clone()))?;
                if index == self.current {
                    return Err(Rejection::AlreadyOnStep(step.clone()));
                }
                Ok(())
            }
            Body::ItemChecked { step, item } => {
                item_exists(runbook, step, item)?;
                if self.is_checked(step, item) {
                    return Err(Rejection::AlreadyChecked {
                        step: step.clone(),
                        item: item.clone(),
                    });
                }
                Ok(())
            }
            Body::ItemUnchecked { step, item } => {
                item_exists(runbook, step, item)?;
                if !self.is_checked(step, item) {
                    return Err(Rejection::NotChecked {
                        step: step.clone(),
                        item: item.clone(),
                    });
                }
                Ok(())
            }
        }
    }

    /// Folds a record that [`State::check`] accepted.
    pub(crate) fn absorb(&mut self, runbook: &Runbook, record: &Record) {
        self.last_activity = record.ts;
        match &record.body {
            Body::Header(_) => {}
            Body::StepEntered { step } => {
                if let Some(index) = runbook.step_index(step) {
                    self.current = index;
                }
            }
            Body::ItemChecked { step, item } => {
                self.checked.insert((step.clone(), item.clone()));
            }
            Body::ItemUnchecked { step, item } => {
                self.checked.remove(&(step.clone(), item.clone()));
            }
        }
    }

    pub fn is_checked(&self, step: &StepId, item: &ItemId) -> bool {
        self.checked.contains(&(step.clone(), item.clone()))
    }

    /// Progress over every checklist item of the runbook.
    pub fn progress(&self, runbook: &Runbook) -> Progress {
        let mut progress = Progress {
            done: 0,
            total: 0,
            required_done: 0,
            required_total: 0,
        };
        for step in &runbook.steps {
            for item in &step.checklist {
                let done = self.is_checked(&step.id, &item.id);
                progress.total += 1;
                progress.done += usize::from(done);
                if item.required {
                    progress.required_total += 1;
                    progress.required_done += usize::from(done);
                }
            }
        }
        progress
    }

    /// Checked and total items of one step.
    pub fn step_progress(&self, runbook: &Runbook, step: &StepId) -> (usize, usize) {
        runbook.step(step).map_or((0, 0), |s| {
            let done = s
                .checklist
                .iter()
                .filter(|i| self.is_checked(&s.id, &i.id))
                .count();
            (done, s.checklist.len())
        })
    }
}

fn item_exists(runbook: &Runbook, step: &StepId, item: &ItemId) -> Result<(), Rejection> {
    let found = runbook
        .step(step)
        .ok_or_else(|| Rejection::UnknownStep(step.clone()))?;
    found
        .item(item)
        .map(|_| ())
        .ok_or_else(|| Rejection::UnknownItem {
            step: step.clone(),
            item: item.clone(),
        })
}
