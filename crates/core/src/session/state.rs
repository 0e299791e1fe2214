//! The reducer: what a session's records add up to, and which records are allowed.
//!
//! [`State::check`] decides whether a record may follow the ones already folded, and
//! [`State::absorb`] folds it. Both the live path (`Session::apply`) and replay from storage
//! go through them, so a replayed session is identical to the one that was recorded.
//!
//! The path is derived, never stored: from the first step, a decided decision leads to its
//! option's step, an undecided one ends the known path, `next` or file order lead on, and a
//! step whose `when` does not hold is passed over. Progress and completion count only the
//! items of steps on that path.

use std::collections::{BTreeMap, BTreeSet};

use thiserror::Error;

use super::record::{Actor, Body, Delivery, Header, Record};
use crate::digest::Digest;
use crate::ids::{ItemId, SessionId, StepId};
use crate::priority::Pause;
use crate::runbook::{Condition, InputKind, Runbook, Step};
use crate::time::Timestamp;

/// Why an action (or a replayed record) was refused. Nothing is recorded when it is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Rejection {
    #[error("unknown step `{0}`")]
    UnknownStep(StepId),
    #[error("unknown item `{item}` in step `{step}`")]
    UnknownItem { step: StepId, item: ItemId },
    #[error("unknown input `{0}`")]
    UnknownInput(String),
    #[error("`{value}` is not valid for input `{input}`: {why}")]
    InvalidInput {
        input: String,
        value: String,
        why: &'static str,
    },
    #[error("item `{item}` in step `{step}` is already checked")]
    AlreadyChecked { step: StepId, item: ItemId },
    #[error("item `{item}` in step `{step}` is not checked")]
    NotChecked { step: StepId, item: ItemId },
    #[error("item `{item}` in step `{step}` asks for no evidence")]
    NoEvidencePrompt { step: StepId, item: ItemId },
    #[error("step `{0}` is already the current step")]
    AlreadyOnStep(StepId),
    #[error("step `{0}` has no decision")]
    NoDecision(StepId),
    #[error("`{option}` is not an option of the decision in step `{step}`")]
    UnknownOption { step: StepId, option: String },
    #[error("unknown speed code `{0}`")]
    UnknownSpeedCode(String),
    #[error("a {0} is required")]
    Required(&'static str),
    #[error("nothing changes: the value is already set")]
    Unchanged,
    #[error("the session cannot complete: required item `{item}` in step `{step}` is open (check it or skip it with a reason)")]
    OpenItem { step: StepId, item: ItemId },
    #[error("the session cannot complete: the decision in step `{0}` has not been made")]
    PendingDecision(StepId),
    #[error("the session is {0}; nothing more can be recorded but an export")]
    Closed(&'static str),
    #[error("`exported` says it covered {named} records, but {actual} precede it")]
    WrongEntries { named: u64, actual: u64 },
    #[error("a seal only ends an exported file; it is never part of a session")]
    SealInSession,
    #[error("a header may only be the first record")]
    HeaderNotFirst,
    #[error("the priority was set with matrix {recorded}, not {given}")]
    OtherMatrix { recorded: Digest, given: Digest },
    #[error("the SLA clock is already paused")]
    AlreadyPaused,
    #[error("the SLA clock is not paused")]
    NotPaused,
    #[error("the first response is already recorded")]
    AlreadyResponded,
    #[error("`{0}` is not an SLA target (response or resolution)")]
    UnknownTarget(String),
    #[error("the {0} breach is already recorded")]
    AlreadyBreached(String),
    #[error("this session is not a drill")]
    NotADrill,
    #[error("the drill has not started: the briefing comes first")]
    BriefingFirst,
    #[error("the drill has already started")]
    DrillAlreadyStarted,
    #[error("the drill clock is already paused")]
    DrillAlreadyPaused,
    #[error("the drill clock is not paused")]
    DrillNotPaused,
    #[error("inject `{0}` is already delivered")]
    InjectAlreadyDelivered(String),
    #[error("inject `{0}` has not been delivered")]
    InjectNotDelivered(String),
    #[error("inject `{0}` is already acknowledged")]
    InjectAlreadyAcknowledged(String),
}

/// What a drill's records add up to. The scenario itself is not needed to fold them: which
/// inject is due when is `drill::due_injects`, from this and the scenario.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DrillState {
    /// When the briefing ended and the drill clock started.
    pub started: Option<Timestamp>,
    /// Stretches the trainer stopped the drill clock.
    pub pauses: Vec<Pause>,
    pub delivered: BTreeMap<String, Delivered>,
    pub acknowledged: BTreeMap<String, Timestamp>,
    /// Steps the trainee has left at least once, for `after_step` injects.
    pub left: BTreeSet<StepId>,
}

/// When and how an inject reached the trainee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub seq: u64,
    pub at: Timestamp,
    pub by: Delivery,
}

impl DrillState {
    pub fn is_paused(&self) -> bool {
        self.pauses.last().is_some_and(|p| p.until.is_none())
    }
}

/// How much of the checklist on the path taken is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub required_done: usize,
    pub required_total: usize,
    /// Required items skipped with a reason; they count as settled, not as done.
    pub skipped: usize,
}

impl Progress {
    /// Whole percent done, rounded down; an empty checklist counts as complete.
    pub fn percent(&self) -> u32 {
        (self.done * 100)
            .checked_div(self.total)
            .map_or(100, |p| p as u32)
    }
}

/// Where the session stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    InProgress,
    Completed { outcome: String, summary: String },
    Abandoned { reason: String },
}

/// Something an auditor asks about: work not done in the runbook's order or not done at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deviation {
    pub seq: u64,
    pub kind: DeviationKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviationKind {
    /// A required item skipped, with its reason.
    Skipped {
        step: StepId,
        item: ItemId,
        reason: String,
    },
    /// An item checked in a step the path had not reached (or does not take) at the time.
    OutOfOrder { step: StepId, item: ItemId },
}

/// A Priority as recorded by `priority_set`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorityChoice {
    pub seq: u64,
    pub at: Timestamp,
    pub impact: String,
    pub urgency: String,
    pub priority: String,
    pub matrix: Digest,
    pub reason: Option<String>,
}

/// The steps on the path taken, in order, and where it stops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    pub steps: Vec<usize>,
    /// The step whose undecided decision ends the known path, if any.
    pub pending: Option<usize>,
}

impl Path {
    pub fn contains(&self, index: usize) -> bool {
        self.steps.contains(&index)
    }

    /// The step before / after `index` on the path.
    pub fn neighbour(&self, index: usize, forward: bool) -> Option<usize> {
        let at = self.steps.iter().position(|&s| s == index)?;
        if forward {
            self.steps.get(at + 1).copied()
        } else {
            at.checked_sub(1).and_then(|i| self.steps.get(i).copied())
        }
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
    /// Who acts now: the starter, or the receiver of the last handover.
    pub technician: Option<Actor>,
    /// The key id that signs exports now: the header's, or the last handover's.
    pub signer: Option<String>,
    pub status: Status,
    pub inputs: BTreeMap<String, String>,
    pub decisions: BTreeMap<StepId, String>,
    pub notes: Vec<(u64, Option<StepId>, String)>,
    pub deviations: Vec<Deviation>,
    /// Head hashes of every export so far.
    pub exports: Vec<Digest>,
    /// Every Priority set, in order; the last is in force.
    pub priorities: Vec<PriorityChoice>,
    /// Stretches when the SLA clock stood still ("waiting on customer").
    pub pauses: Vec<Pause>,
    /// When the first response was given.
    pub responded: Option<Timestamp>,
    /// When the session completed or was abandoned: the resolution clock stops there.
    pub closed_at: Option<Timestamp>,
    /// Targets whose breach is recorded.
    pub breaches: BTreeSet<String>,
    /// Set in a drill (header mode `drill`), never in live work.
    pub drill: Option<DrillState>,
    checked: BTreeSet<(StepId, ItemId)>,
    skipped: BTreeMap<(StepId, ItemId), String>,
    evidence: BTreeMap<(StepId, ItemId), String>,
    /// The seq of the last record that changed each item, so an adapter can tell which
    /// items wait for storage to confirm them.
    touched: BTreeMap<(StepId, ItemId), u64>,
}

impl State {
    /// The state right after the header.
    pub fn new(header: &Header, at: Timestamp, actor: Option<Actor>) -> State {
        State {
            session: header.session.clone(),
            started: at,
            last_activity: at,
            current: 0,
            technician: actor,
            signer: header.signer.clone(),
            status: Status::InProgress,
            inputs: BTreeMap::new(),
            decisions: BTreeMap::new(),
            notes: Vec::new(),
            deviations: Vec::new(),
            exports: Vec::new(),
            priorities: Vec::new(),
            pauses: Vec::new(),
            responded: None,
            closed_at: None,
            breaches: BTreeSet::new(),
            drill: header.is_drill().then(DrillState::default),
            checked: BTreeSet::new(),
            skipped: BTreeMap::new(),
            evidence: BTreeMap::new(),
            touched: BTreeMap::new(),
        }
    }

    /// Whether `body` may be recorded next as record `seq`. Pure: the state is not changed.
    pub fn check(&self, runbook: &Runbook, body: &Body, seq: u64) -> Result<(), Rejection> {
        match body {
            Body::Exported { entries, .. } if *entries != seq => {
                return Err(Rejection::WrongEntries {
                    named: *entries,
                    actual: seq,
                })
            }
            Body::Exported { .. } => return Ok(()),
            Body::Seal { .. } => return Err(Rejection::SealInSession),
            _ => {}
        }
        match &self.status {
            Status::InProgress => {}
            Status::Completed { .. } => return Err(Rejection::Closed("completed")),
            Status::Abandoned { .. } => return Err(Rejection::Closed("abandoned")),
        }
        if let Some(answer) = self.check_drill(body) {
            return answer;
        }
        match body {
            Body::Header(_) => Err(Rejection::HeaderNotFirst),
            Body::Exported { .. } | Body::Seal { .. } => Ok(()),
            Body::InputSet { input, value } => {
                let found = runbook
                    .inputs
                    .iter()
                    .find(|i| &i.id == input)
                    .ok_or_else(|| Rejection::UnknownInput(input.clone()))?;
                if self.inputs.get(input) == Some(value) {
                    return Err(Rejection::Unchanged);
                }
                validate_input(found.kind, &found.options, value).map_err(|why| {
                    Rejection::InvalidInput {
                        input: input.clone(),
                        value: value.clone(),
                        why,
                    }
                })
            }
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
                item_of(runbook, step, item)?;
                if self.is_checked(step, item) {
                    return Err(Rejection::AlreadyChecked {
                        step: step.clone(),
                        item: item.clone(),
                    });
                }
                Ok(())
            }
            Body::ItemUnchecked { step, item } => {
                item_of(runbook, step, item)?;
                if !self.is_checked(step, item) {
                    return Err(Rejection::NotChecked {
                        step: step.clone(),
                        item: item.clone(),
                    });
                }
                Ok(())
            }
            Body::ItemSkipped { step, item, reason } => {
                item_of(runbook, step, item)?;
                non_empty(reason, "reason for skipping")?;
                if self.is_checked(step, item) {
                    return Err(Rejection::AlreadyChecked {
                        step: step.clone(),
                        item: item.clone(),
                    });
                }
                if self.skip_reason(step, item) == Some(reason.as_str()) {
                    return Err(Rejection::Unchanged);
                }
                Ok(())
            }
            Body::EvidenceSet { step, item, value } => {
                let found = item_of(runbook, step, item)?;
                if found.evidence.is_none() {
                    return Err(Rejection::NoEvidencePrompt {
                        step: step.clone(),
                        item: item.clone(),
                    });
                }
                non_empty(value, "evidence answer")?;
                if self.evidence(step, item) == Some(value.as_str()) {
                    return Err(Rejection::Unchanged);
                }
                Ok(())
            }
            Body::Note { step, text } => {
                if let Some(step) = step {
                    runbook
                        .step(step)
                        .ok_or_else(|| Rejection::UnknownStep(step.clone()))?;
                }
                non_empty(text, "note text")
            }
            Body::Decision { step, option } => {
                let found = runbook
                    .step(step)
                    .ok_or_else(|| Rejection::UnknownStep(step.clone()))?;
                let decision = found
                    .decision
                    .as_ref()
                    .ok_or_else(|| Rejection::NoDecision(step.clone()))?;
                if !decision.options.iter().any(|o| &o.id == option) {
                    return Err(Rejection::UnknownOption {
                        step: step.clone(),
                        option: option.clone(),
                    });
                }
                if self.decisions.get(step) == Some(option) {
                    return Err(Rejection::Unchanged);
                }
                Ok(())
            }
            Body::SpeedCodeCopied { code } => {
                if runbook.speed_codes.iter().any(|c| &c.id == code) {
                    Ok(())
                } else {
                    Err(Rejection::UnknownSpeedCode(code.clone()))
                }
            }
            Body::Handover { to, .. } => non_empty(&to.name, "name of the technician taking over"),
            Body::Completed { outcome, summary } => {
                non_empty(outcome, "outcome")?;
                non_empty(summary, "summary")?;
                self.ready_to_complete(runbook)
            }
            Body::Abandoned { reason } => non_empty(reason, "reason for abandoning"),
            Body::PrioritySet {
                impact,
                urgency,
                priority,
                matrix,
                reason,
            } => {
                non_empty(impact, "Impact")?;
                non_empty(urgency, "Urgency")?;
                non_empty(priority, "Priority")?;
                if let Some(first) = self.priorities.first() {
                    if first.matrix != *matrix {
                        return Err(Rejection::OtherMatrix {
                            recorded: first.matrix,
                            given: *matrix,
                        });
                    }
                }
                match self.priorities.last() {
                    None => Ok(()),
                    Some(last) if &last.impact == impact && &last.urgency == urgency => {
                        Err(Rejection::Unchanged)
                    }
                    Some(_) => non_empty(
                        reason.as_deref().unwrap_or_default(),
                        "reason for changing the Priority",
                    ),
                }
            }
            Body::SlaPaused { reason } => {
                if self.is_paused() {
                    return Err(Rejection::AlreadyPaused);
                }
                non_empty(reason, "reason for pausing the clock")
            }
            Body::SlaResumed {} => {
                if self.is_paused() {
                    Ok(())
                } else {
                    Err(Rejection::NotPaused)
                }
            }
            Body::Responded {} => {
                if self.responded.is_some() {
                    Err(Rejection::AlreadyResponded)
                } else {
                    Ok(())
                }
            }
            Body::SlaBreached { target } => {
                if target != "response" && target != "resolution" {
                    return Err(Rejection::UnknownTarget(target.clone()));
                }
                if self.breaches.contains(target) {
                    return Err(Rejection::AlreadyBreached(target.clone()));
                }
                Ok(())
            }
            Body::DrillStarted {}
            | Body::DrillPaused {}
            | Body::DrillResumed {}
            | Body::InjectDelivered { .. }
            | Body::InjectAcknowledged { .. } => {
                unreachable!("check_drill answers every drill record")
            }
        }
    }

    /// The drill rules: drill records only in a drill, and in a drill nothing but abandoning
    /// before the briefing is over. `None` when the record is not the drill's to judge.
    fn check_drill(&self, body: &Body) -> Option<Result<(), Rejection>> {
        let Some(drill) = &self.drill else {
            return body.is_drill_record().then_some(Err(Rejection::NotADrill));
        };
        if drill.started.is_none() {
            return match body {
                Body::DrillStarted {} => Some(Ok(())),
                Body::Abandoned { .. } => None,
                _ => Some(Err(Rejection::BriefingFirst)),
            };
        }
        let answer = match body {
            Body::DrillStarted {} => Err(Rejection::DrillAlreadyStarted),
            Body::DrillPaused {} if drill.is_paused() => Err(Rejection::DrillAlreadyPaused),
            Body::DrillPaused {} => Ok(()),
            Body::DrillResumed {} if drill.is_paused() => Ok(()),
            Body::DrillResumed {} => Err(Rejection::DrillNotPaused),
            Body::InjectDelivered { inject, .. } if drill.delivered.contains_key(inject) => {
                Err(Rejection::InjectAlreadyDelivered(inject.clone()))
            }
            Body::InjectDelivered { inject, .. } => non_empty(inject, "inject id"),
            Body::InjectAcknowledged { inject } if !drill.delivered.contains_key(inject) => {
                Err(Rejection::InjectNotDelivered(inject.clone()))
            }
            Body::InjectAcknowledged { inject } if drill.acknowledged.contains_key(inject) => {
                Err(Rejection::InjectAlreadyAcknowledged(inject.clone()))
            }
            Body::InjectAcknowledged { .. } => Ok(()),
            _ => return None,
        };
        Some(answer)
    }

    /// Whether the SLA clock stands still now.
    pub fn is_paused(&self) -> bool {
        self.pauses.last().is_some_and(|p| p.until.is_none())
    }

    /// Folds a record that [`State::check`] accepted.
    pub(crate) fn absorb(&mut self, runbook: &Runbook, record: &Record) {
        self.last_activity = record.ts;
        let key = |step: &StepId, item: &ItemId| (step.clone(), item.clone());
        if let Body::ItemChecked { step, item }
        | Body::ItemUnchecked { step, item }
        | Body::ItemSkipped { step, item, .. }
        | Body::EvidenceSet { step, item, .. } = &record.body
        {
            self.touched.insert(key(step, item), record.seq.0);
        }
        match &record.body {
            Body::Header(_) => {}
            Body::SpeedCodeCopied { code } => {
                let to_customer = runbook
                    .speed_codes
                    .iter()
                    .any(|c| &c.id == code && c.audience.as_deref() == Some("customer"));
                if to_customer && self.responded.is_none() {
                    self.responded = Some(record.ts);
                }
            }
            Body::PrioritySet {
                impact,
                urgency,
                priority,
                matrix,
                reason,
            } => self.priorities.push(PriorityChoice {
                seq: record.seq.0,
                at: record.ts,
                impact: impact.clone(),
                urgency: urgency.clone(),
                priority: priority.clone(),
                matrix: *matrix,
                reason: reason.clone(),
            }),
            Body::SlaPaused { .. } => self.pauses.push(Pause {
                from: record.ts,
                until: None,
            }),
            Body::SlaResumed {} => {
                if let Some(last) = self.pauses.last_mut() {
                    last.until = Some(record.ts);
                }
            }
            Body::Responded {} => self.responded = Some(record.ts),
            Body::SlaBreached { target } => {
                self.breaches.insert(target.clone());
            }
            Body::InputSet { input, value } => {
                self.inputs.insert(input.clone(), value.clone());
            }
            Body::StepEntered { step } => {
                if let (Some(drill), Some(left)) =
                    (&mut self.drill, runbook.steps.get(self.current))
                {
                    drill.left.insert(left.id.clone());
                }
                if let Some(index) = runbook.step_index(step) {
                    self.current = index;
                }
            }
            Body::ItemChecked { step, item } => {
                if let Some(index) = runbook.step_index(step) {
                    let path = self.path(runbook);
                    let reached = path.steps.iter().position(|&s| s == self.current);
                    let at = path.steps.iter().position(|&s| s == index);
                    let ahead = match (at, reached) {
                        (Some(at), Some(reached)) => at > reached,
                        _ => true,
                    };
                    if ahead {
                        self.deviations.push(Deviation {
                            seq: record.seq.0,
                            kind: DeviationKind::OutOfOrder {
                                step: step.clone(),
                                item: item.clone(),
                            },
                        });
                    }
                }
                self.skipped.remove(&key(step, item));
                self.checked.insert(key(step, item));
            }
            Body::ItemUnchecked { step, item } => {
                self.checked.remove(&key(step, item));
            }
            Body::ItemSkipped { step, item, reason } => {
                self.skipped.insert(key(step, item), reason.clone());
                self.deviations.push(Deviation {
                    seq: record.seq.0,
                    kind: DeviationKind::Skipped {
                        step: step.clone(),
                        item: item.clone(),
                        reason: reason.clone(),
                    },
                });
            }
            Body::EvidenceSet { step, item, value } => {
                self.evidence.insert(key(step, item), value.clone());
            }
            Body::Note { step, text } => {
                self.notes.push((record.seq.0, step.clone(), text.clone()))
            }
            Body::Decision { step, option } => {
                self.decisions.insert(step.clone(), option.clone());
            }
            Body::Handover { to, signer, .. } => {
                self.technician = Some(to.clone());
                self.signer = signer.clone();
            }
            Body::Completed { outcome, summary } => {
                self.status = Status::Completed {
                    outcome: outcome.clone(),
                    summary: summary.clone(),
                }
            }
            Body::Abandoned { reason } => {
                self.status = Status::Abandoned {
                    reason: reason.clone(),
                }
            }
            Body::Exported { head, .. } => self.exports.push(*head),
            Body::Seal { .. } => {}
            Body::DrillStarted {}
            | Body::DrillPaused {}
            | Body::DrillResumed {}
            | Body::InjectDelivered { .. }
            | Body::InjectAcknowledged { .. } => {
                if let Some(drill) = &mut self.drill {
                    absorb_drill(drill, record);
                }
            }
        }
    }

    pub fn is_checked(&self, step: &StepId, item: &ItemId) -> bool {
        self.checked.contains(&(step.clone(), item.clone()))
    }

    pub fn skip_reason(&self, step: &StepId, item: &ItemId) -> Option<&str> {
        self.skipped
            .get(&(step.clone(), item.clone()))
            .map(String::as_str)
    }

    pub fn evidence(&self, step: &StepId, item: &ItemId) -> Option<&str> {
        self.evidence
            .get(&(step.clone(), item.clone()))
            .map(String::as_str)
    }

    /// Whether an item counts as done: checked, and its evidence answered if it asks for any.
    pub fn is_done(&self, step: &Step, item: &crate::runbook::Item) -> bool {
        self.is_checked(&step.id, &item.id)
            && (item.evidence.is_none() || self.evidence(&step.id, &item.id).is_some())
    }

    /// The seq of the last record that changed the item, if any did.
    pub fn last_change(&self, step: &StepId, item: &ItemId) -> Option<u64> {
        self.touched.get(&(step.clone(), item.clone())).copied()
    }

    pub fn is_closed(&self) -> bool {
        self.status != Status::InProgress
    }

    /// Whether the step's `when` holds given the inputs and decisions so far.
    pub fn is_shown(&self, step: &Step) -> bool {
        step.when.as_ref().is_none_or(|c| self.holds(c))
    }

    fn holds(&self, condition: &Condition) -> bool {
        match (&condition.input, &condition.decision) {
            (Some(input), None) => self.inputs.get(input) == Some(&condition.equals),
            (None, Some(step)) => self.decisions.get(step) == Some(&condition.equals),
            _ => false,
        }
    }

    /// The path taken so far (see the module doc).
    pub fn path(&self, runbook: &Runbook) -> Path {
        let mut steps = Vec::new();
        let mut seen = vec![false; runbook.steps.len()];
        let mut at = Some(0);
        let mut pending = None;
        while let Some(index) = at {
            let Some(step) = runbook.steps.get(index) else {
                break;
            };
            if std::mem::replace(&mut seen[index], true) {
                break;
            }
            if !self.is_shown(step) {
                at = Some(index + 1);
                continue;
            }
            steps.push(index);
            at = match (&step.decision, &step.next) {
                (Some(decision), _) => match self.decisions.get(&step.id) {
                    Some(chosen) => decision
                        .options
                        .iter()
                        .find(|o| &o.id == chosen)
                        .and_then(|o| runbook.step_index(&o.next)),
                    None => {
                        pending = Some(index);
                        None
                    }
                },
                (None, Some(next)) => runbook.step_index(next),
                (None, None) => Some(index + 1),
            };
        }
        Path { steps, pending }
    }

    /// Progress over the items of the steps on the path.
    pub fn progress(&self, runbook: &Runbook) -> Progress {
        let mut progress = Progress {
            done: 0,
            total: 0,
            required_done: 0,
            required_total: 0,
            skipped: 0,
        };
        for index in self.path(runbook).steps {
            let step = &runbook.steps[index];
            for item in &step.checklist {
                let done = self.is_done(step, item);
                progress.total += 1;
                progress.done += usize::from(done);
                if item.required {
                    progress.required_total += 1;
                    progress.required_done += usize::from(done);
                    progress.skipped +=
                        usize::from(!done && self.skip_reason(&step.id, &item.id).is_some());
                }
            }
        }
        progress
    }

    /// Done and total items of one step.
    pub fn step_progress(&self, runbook: &Runbook, step: &StepId) -> (usize, usize) {
        runbook.step(step).map_or((0, 0), |s| {
            let done = s.checklist.iter().filter(|i| self.is_done(s, i)).count();
            (done, s.checklist.len())
        })
    }

    /// Ok when every required item on the path is done or skipped and no decision is pending.
    pub fn ready_to_complete(&self, runbook: &Runbook) -> Result<(), Rejection> {
        let path = self.path(runbook);
        for &index in &path.steps {
            let step = &runbook.steps[index];
            let open = step.checklist.iter().find(|i| {
                i.required && !self.is_done(step, i) && self.skip_reason(&step.id, &i.id).is_none()
            });
            if let Some(item) = open {
                return Err(Rejection::OpenItem {
                    step: step.id.clone(),
                    item: item.id.clone(),
                });
            }
        }
        match path.pending {
            Some(index) => Err(Rejection::PendingDecision(runbook.steps[index].id.clone())),
            None => Ok(()),
        }
    }
}

fn absorb_drill(drill: &mut DrillState, record: &Record) {
    match &record.body {
        Body::DrillStarted {} => drill.started = Some(record.ts),
        Body::DrillPaused {} => drill.pauses.push(Pause {
            from: record.ts,
            until: None,
        }),
        Body::DrillResumed {} => {
            if let Some(last) = drill.pauses.last_mut() {
                last.until = Some(record.ts);
            }
        }
        Body::InjectDelivered { inject, by } => {
            drill.delivered.insert(
                inject.clone(),
                Delivered {
                    seq: record.seq.0,
                    at: record.ts,
                    by: *by,
                },
            );
        }
        Body::InjectAcknowledged { inject } => {
            drill.acknowledged.insert(inject.clone(), record.ts);
        }
        _ => {}
    }
}

fn item_of<'a>(
    runbook: &'a Runbook,
    step: &StepId,
    item: &ItemId,
) -> Result<&'a crate::runbook::Item, Rejection> {
    let found = runbook
        .step(step)
        .ok_or_else(|| Rejection::UnknownStep(step.clone()))?;
    found.item(item).ok_or_else(|| Rejection::UnknownItem {
        step: step.clone(),
        item: item.clone(),
    })
}

fn non_empty(text: &str, what: &'static str) -> Result<(), Rejection> {
    if text.trim().is_empty() {
        Err(Rejection::Required(what))
    } else {
        Ok(())
    }
}

/// Checks a value against its input's kind. Deliberately lenient on shapes a service desk
/// writes in many ways (hosts, tickets); strict where the kind is a closed set.
pub(crate) fn validate_input(
    kind: InputKind,
    options: &[String],
    value: &str,
) -> Result<(), &'static str> {
    let value = value.trim();
    if value.is_empty() {
        return Err("a value is required");
    }
    match kind {
        InputKind::Choice if !options.iter().any(|o| o == value) => Err("not one of the options"),
        InputKind::Number if value.parse::<f64>().map_or(true, |n| !n.is_finite()) => {
            Err("not a number")
        }
        InputKind::Email if !is_email_like(value) => Err("not an e-mail address"),
        InputKind::Host if value.chars().any(char::is_whitespace) => {
            Err("a host name has no spaces")
        }
        _ => Ok(()),
    }
}

fn is_email_like(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !value.chars().any(char::is_whitespace)
        }
        None => false,
    }
}
