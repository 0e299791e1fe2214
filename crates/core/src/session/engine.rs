//! [`Session`]: the append-only log with its chain, and the entry points that grow it.

use std::sync::Arc;

use thiserror::Error;

use super::record::{
    Actor, AppInfo, Body, Delivery, Header, Mode, Record, RunbookRef, ScenarioRef, Seq, LOG_FORMAT,
};
use super::state::{Rejection, State};
use crate::digest::Digest;
use crate::ids::{ItemId, SessionId, StepId};
use crate::runbook::Runbook;
use crate::time::Timestamp;

/// What a technician can do. Each accepted action becomes exactly one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    SetInput {
        input: String,
        value: String,
    },
    EnterStep(StepId),
    CheckItem {
        step: StepId,
        item: ItemId,
    },
    UncheckItem {
        step: StepId,
        item: ItemId,
    },
    SkipItem {
        step: StepId,
        item: ItemId,
        reason: String,
    },
    SetEvidence {
        step: StepId,
        item: ItemId,
        value: String,
    },
    AddNote {
        step: Option<StepId>,
        text: String,
    },
    Decide {
        step: StepId,
        option: String,
    },
    CopySpeedCode {
        code: String,
    },
    HandOver {
        from: Actor,
        to: Actor,
        /// The key id of the technician taking over.
        signer: Option<String>,
    },
    Complete {
        outcome: String,
        summary: String,
    },
    Abandon {
        reason: String,
    },
    /// Appended by an export: it covered `entries` records and its seal hashed to `head`.
    MarkExported {
        head: Digest,
        entries: u64,
    },
    SetPriority {
        impact: String,
        urgency: String,
        priority: String,
        matrix: Digest,
        reason: Option<String>,
    },
    PauseSla {
        reason: String,
    },
    ResumeSla,
    MarkResponded,
    RecordBreach {
        target: String,
    },
    /// Ends a drill's briefing: the drill clock starts.
    StartDrill,
    PauseDrill,
    ResumeDrill,
    DeliverInject {
        inject: String,
        by: Delivery,
    },
    AcknowledgeInject {
        inject: String,
    },
}

impl Action {
    fn into_body(self) -> Body {
        match self {
            Action::SetInput { input, value } => Body::InputSet { input, value },
            Action::EnterStep(step) => Body::StepEntered { step },
            Action::CheckItem { step, item } => Body::ItemChecked { step, item },
            Action::UncheckItem { step, item } => Body::ItemUnchecked { step, item },
            Action::SkipItem { step, item, reason } => Body::ItemSkipped { step, item, reason },
            Action::SetEvidence { step, item, value } => Body::EvidenceSet { step, item, value },
            Action::AddNote { step, text } => Body::Note { step, text },
            Action::Decide { step, option } => Body::Decision { step, option },
            Action::CopySpeedCode { code } => Body::SpeedCodeCopied { code },
            Action::HandOver { from, to, signer } => Body::Handover { from, to, signer },
            Action::Complete { outcome, summary } => Body::Completed { outcome, summary },
            Action::Abandon { reason } => Body::Abandoned { reason },
            Action::MarkExported { head, entries } => Body::Exported { head, entries },
            Action::SetPriority {
                impact,
                urgency,
                priority,
                matrix,
                reason,
            } => Body::PrioritySet {
                impact,
                urgency,
                priority,
                matrix,
                reason,
            },
            Action::PauseSla { reason } => Body::SlaPaused { reason },
            Action::ResumeSla => Body::SlaResumed {},
            Action::MarkResponded => Body::Responded {},
            Action::RecordBreach { target } => Body::SlaBreached { target },
            Action::StartDrill => Body::DrillStarted {},
            Action::PauseDrill => Body::DrillPaused {},
            Action::ResumeDrill => Body::DrillResumed {},
            Action::DeliverInject { inject, by } => Body::InjectDelivered { inject, by },
            Action::AcknowledgeInject { inject } => Body::InjectAcknowledged { inject },
        }
    }
}

/// What the adapter supplies to start a session: the id it drew and who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Start {
    pub session: SessionId,
    pub app: AppInfo,
    /// SHA-256 of the runbook's source bytes exactly as loaded.
    pub runbook_sha256: Digest,
    /// SHA-256 of the priority matrix in force, when one is loaded.
    pub priority_matrix: Option<Digest>,
    /// The key id (`SHA256:…`) of the technician's signing key.
    pub signer: Option<String>,
    /// The scenario, when this session is a drill.
    pub drill: Option<ScenarioRef>,
}

/// A running session: its runbook, its records' exact lines, and their fold.
#[derive(Debug, Clone)]
pub struct Session {
    runbook: Arc<Runbook>,
    header: Header,
    lines: Vec<String>,
    head: Digest,
    state: State,
}

impl Session {
    /// Starts a session with its header record (seq 0).
    pub fn start(
        runbook: Arc<Runbook>,
        start: Start,
        at: Timestamp,
        actor: Option<Actor>,
    ) -> Session {
        let header = Header {
            format: LOG_FORMAT,
            session: start.session,
            app: start.app,
            mode: if start.drill.is_some() {
                Mode::Drill
            } else {
                Mode::Live
            },
            scenario: start.drill,
            runbook: RunbookRef {
                id: runbook.id.clone(),
                version: runbook.version.clone(),
                sha256: start.runbook_sha256,
            },
            priority_matrix: start.priority_matrix,
            signer: start.signer,
        };
        let record = Record {
            seq: Seq(0),
            body: Body::Header(header.clone()),
            ts: at,
            actor,
            prev: Digest::ZERO,
        };
        let line = serialize(&record);
        Session {
            state: State::new(&header, at, record.actor.clone()),
            head: Digest::of(line.as_bytes()),
            lines: vec![line],
            runbook,
            header,
        }
    }

    /// Applies one action: checks it against the state, then appends its record.
    ///
    /// Returns the new line, which is what persistence stores and export signs.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use stepwise_core::runbook::{parse, SourceFormat};
    /// # use stepwise_core::session::{Action, AppInfo, Session, Start};
    /// # use stepwise_core::{Digest, ItemId, SessionId, StepId, Timestamp};
    /// let src = b"id: x\ntitle: X\nversion: '1'\nkind: request\nsteps:\n  - id: a\n    title: A\n    checklist: [{id: i, text: Do}]\n";
    /// let runbook = Arc::new(parse("x.yaml", src, SourceFormat::Yaml)?);
    /// let start = Start {
    ///     session: SessionId::from_random_bytes([7; 16]),
    ///     app: AppInfo { name: "stepwise".into(), version: "0.1.0".into() },
    ///     runbook_sha256: Digest::of(src),
    ///     priority_matrix: None,
    ///     signer: None,
    ///     drill: None,
    /// };
    /// let t0 = Timestamp::from_unix_millis(0).unwrap();
    /// let mut session = Session::start(runbook.clone(), start, t0, None);
    /// let check = Action::CheckItem { step: StepId::new("a"), item: ItemId::new("i") };
    /// session.apply(check.clone(), t0, None)?;
    /// assert_eq!(session.state().progress(&runbook).done, 1);
    /// assert!(session.apply(check, t0, None).is_err(), "checking twice is refused");
    /// assert_eq!(session.lines().len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(
        &mut self,
        action: Action,
        at: Timestamp,
        actor: Option<Actor>,
    ) -> Result<&str, Rejection> {
        let body = action.into_body();
        self.state
            .check(&self.runbook, &body, self.lines.len() as u64)?;
        let record = Record {
            seq: Seq(self.lines.len() as u64),
            body,
            ts: at,
            actor,
            prev: self.head,
        };
        let line = serialize(&record);
        self.state.absorb(&self.runbook, &record);
        self.head = Digest::of(line.as_bytes());
        self.lines.push(line);
        Ok(self.lines.last().map(String::as_str).unwrap_or_default())
    }

    /// Rebuilds a session from stored lines, checking seq, chain, header and every rule.
    pub fn replay<I, S>(
        runbook: Arc<Runbook>,
        runbook_sha256: Digest,
        lines: I,
    ) -> Result<Session, ReplayError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut lines = lines.into_iter().map(Into::into);
        let first = lines.next().ok_or(ReplayError {
            seq: 0,
            kind: ReplayErrorKind::Empty,
        })?;
        let record = decode(0, &first)?;
        let Body::Header(header) = &record.body else {
            return Err(ReplayError {
                seq: 0,
                kind: ReplayErrorKind::NoHeader,
            });
        };
        if record.seq != Seq(0) || record.prev != Digest::ZERO {
            return Err(ReplayError {
                seq: 0,
                kind: ReplayErrorKind::BadLink,
            });
        }
        let expected = RunbookRef {
            id: runbook.id.clone(),
            version: runbook.version.clone(),
            sha256: runbook_sha256,
        };
        if header.runbook != expected {
            return Err(ReplayError {
                seq: 0,
                kind: ReplayErrorKind::OtherRunbook,
            });
        }
        let mut session = Session {
            state: State::new(header, record.ts, record.actor.clone()),
            head: Digest::of(first.as_bytes()),
            header: header.clone(),
            lines: vec![first],
            runbook,
        };
        for line in lines {
            let seq = session.lines.len() as u64;
            let record = decode(seq, &line)?;
            if record.seq != Seq(seq) {
                return Err(ReplayError {
                    seq,
                    kind: ReplayErrorKind::SeqGap {
                        found: record.seq.0,
                    },
                });
            }
            if record.prev != session.head {
                return Err(ReplayError {
                    seq,
                    kind: ReplayErrorKind::BadLink,
                });
            }
            session
                .state
                .check(&session.runbook, &record.body, seq)
                .map_err(|r| ReplayError {
                    seq,
                    kind: ReplayErrorKind::Rejected(r),
                })?;
            session.state.absorb(&session.runbook, &record);
            session.head = Digest::of(line.as_bytes());
            session.lines.push(line);
        }
        Ok(session)
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn runbook(&self) -> &Runbook {
        &self.runbook
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The exact lines of the log, in order.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// SHA-256 of the last line: the value a later record's `prev` will carry.
    pub fn head(&self) -> Digest {
        self.head
    }

    /// The whole log as JSON Lines, each line ending in `\n`.
    pub fn to_jsonl(&self) -> String {
        let mut out = String::with_capacity(self.lines.iter().map(|l| l.len() + 1).sum());
        for line in &self.lines {
            out.push_str(line);
            out.push('\n');
        }
        out
    }
}

/// A stored log that cannot be replayed, naming the record that fails and why.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("record {seq}: {kind}")]
pub struct ReplayError {
    pub seq: u64,
    #[source]
    pub kind: ReplayErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReplayErrorKind {
    #[error("the log is empty")]
    Empty,
    #[error("not a record: {0}")]
    Malformed(String),
    #[error("the first record is not a header")]
    NoHeader,
    #[error("the header names another runbook, version or source hash")]
    OtherRunbook,
    #[error("seq {found} where the next seq was expected")]
    SeqGap { found: u64 },
    #[error("`prev` does not match the hash of the previous line")]
    BadLink,
    #[error("{0}")]
    Rejected(#[source] Rejection),
}

fn decode(seq: u64, line: &str) -> Result<Record, ReplayError> {
    serde_json::from_str(line).map_err(|e| ReplayError {
        seq,
        kind: ReplayErrorKind::Malformed(e.to_string()),
    })
}

/// The one place a record becomes bytes. It runs once per record, when it happens.
pub(crate) fn serialize(record: &Record) -> String {
    serde_json::to_string(record)
        .expect("records hold only strings, numbers and maps, which always serialize")
}
