//! The record types of the session log, exactly as they are written to JSON Lines.
//!
//! Field names and spellings here are a contract with auditors' tools (see DESIGN.md,
//! "Evidence"): rename nothing without bumping [`LOG_FORMAT`].

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::digest::Digest;
use crate::ids::{ItemId, RunbookId, SessionId, StepId};
use crate::time::Timestamp;

/// The log format version written in every header.
pub const LOG_FORMAT: u32 = 1;

/// A record's position in its session: 0, 1, 2 … without gaps.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Seq(pub u64);

impl fmt::Display for Seq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Debug for Seq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Seq({})", self.0)
    }
}

/// One line of the log. `body` is flattened so that `type` and its fields sit beside `seq`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub seq: Seq,
    #[serde(flatten)]
    pub body: Body,
    pub ts: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<Actor>,
    /// SHA-256 of the exact bytes of the previous line; zeros for seq 0.
    pub prev: Digest,
}

/// What happened. Names are past tense or nouns, as records are facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Body {
    Header(Header),
    InputSet {
        input: String,
        value: String,
    },
    StepEntered {
        step: StepId,
    },
    ItemChecked {
        step: StepId,
        item: ItemId,
    },
    ItemUnchecked {
        step: StepId,
        item: ItemId,
    },
    /// A required item deliberately left undone; the reason is what an auditor reads.
    ItemSkipped {
        step: StepId,
        item: ItemId,
        reason: String,
    },
    /// The technician's answer to an item's evidence prompt.
    EvidenceSet {
        step: StepId,
        item: ItemId,
        value: String,
    },
    Note {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step: Option<StepId>,
        text: String,
    },
    /// The option chosen at a step's decision; it decides the path from there.
    Decision {
        step: StepId,
        option: String,
    },
    SpeedCodeCopied {
        code: String,
    },
    /// The session passes from one technician to another; later records are the new one's.
    Handover {
        from: Actor,
        to: Actor,
        /// The key id (`SHA256:…`) of the technician taking over: their key signs from here.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        signer: Option<String>,
    },
    Completed {
        outcome: String,
        summary: String,
    },
    Abandoned {
        reason: String,
    },
    /// An export covered the first `entries` records (so `entries` is this record's own
    /// `seq`), and its seal line had SHA-256 `head`: the hash pasted into the ticket.
    Exported {
        head: Digest,
        entries: u64,
    },
    /// The last line of an export, never of a live session: `entries` records precede it,
    /// and `key` (OpenSSH `ssh-ed25519 AAAA…`) is the key that signs the export.
    Seal {
        entries: u64,
        key: String,
    },
    /// Impact and Urgency chosen, and the Priority the matrix gives them. A change after the
    /// first needs a reason.
    PrioritySet {
        impact: String,
        urgency: String,
        priority: String,
        matrix: Digest,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// "Waiting on customer": the resolution clock stops.
    SlaPaused {
        reason: String,
    },
    SlaResumed {},
    /// The first response to the customer was given (also implied by copying a customer
    /// speed code).
    Responded {},
    /// A target (`response` or `resolution`) was breached; recorded once per target.
    SlaBreached {
        target: String,
    },
    /// A drill's briefing is over and its clock starts; nothing of the drill is recorded
    /// before it.
    DrillStarted {},
    /// The trainer stopped the drill clock; injects wait and step times do not run.
    DrillPaused {},
    DrillResumed {},
    /// An inject of the scenario reached the trainee: on schedule, or sent by the trainer.
    InjectDelivered {
        inject: String,
        by: Delivery,
    },
    /// The trainee acknowledged an inject they were shown.
    InjectAcknowledged {
        inject: String,
    },
}

/// Who sent an inject: the scenario's schedule, or the trainer ahead of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    Schedule,
    Trainer,
}

impl Body {
    /// Whether the record is one of a drill's own (its clock and its injects), which only a
    /// drill session may hold.
    pub fn is_drill_record(&self) -> bool {
        matches!(
            self,
            Body::DrillStarted {}
                | Body::DrillPaused {}
                | Body::DrillResumed {}
                | Body::InjectDelivered { .. }
                | Body::InjectAcknowledged { .. }
        )
    }

    /// The record's `type` as written in the log.
    pub fn type_name(&self) -> &'static str {
        match self {
            Body::Header(_) => "header",
            Body::InputSet { .. } => "input_set",
            Body::StepEntered { .. } => "step_entered",
            Body::ItemChecked { .. } => "item_checked",
            Body::ItemUnchecked { .. } => "item_unchecked",
            Body::ItemSkipped { .. } => "item_skipped",
            Body::EvidenceSet { .. } => "evidence_set",
            Body::Note { .. } => "note",
            Body::Decision { .. } => "decision",
            Body::SpeedCodeCopied { .. } => "speed_code_copied",
            Body::Handover { .. } => "handover",
            Body::Completed { .. } => "completed",
            Body::Abandoned { .. } => "abandoned",
            Body::Exported { .. } => "exported",
            Body::Seal { .. } => "seal",
            Body::PrioritySet { .. } => "priority_set",
            Body::SlaPaused { .. } => "sla_paused",
            Body::SlaResumed {} => "sla_resumed",
            Body::Responded {} => "responded",
            Body::SlaBreached { .. } => "sla_breached",
            Body::DrillStarted {} => "drill_started",
            Body::DrillPaused {} => "drill_paused",
            Body::DrillResumed {} => "drill_resumed",
            Body::InjectDelivered { .. } => "inject_delivered",
            Body::InjectAcknowledged { .. } => "inject_acknowledged",
        }
    }
}

/// Record 0: what was run, by which app, in which mode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub format: u32,
    pub session: SessionId,
    pub app: AppInfo,
    pub mode: Mode,
    /// The scenario of a drill (mode `drill`); absent in live work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<ScenarioRef>,
    pub runbook: RunbookRef,
    /// SHA-256 of the priority matrix in force; set once priority lands (issue 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority_matrix: Option<Digest>,
    /// The signer's key id (`SHA256:…`); set once signing lands (issue 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppInfo {
    pub name: String,
    pub version: String,
}

/// Live work or a drill. A drill's header also names its scenario ([`Header::scenario`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Live,
    Drill,
}

/// Which drill scenario, and the SHA-256 of its source bytes exactly as loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioRef {
    pub id: String,
    pub sha256: Digest,
}

impl Header {
    /// Whether this session is a drill: every screen, report and note must say so.
    pub fn is_drill(&self) -> bool {
        self.mode == Mode::Drill
    }
}

/// Which runbook, which version, and the SHA-256 of its source bytes exactly as loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunbookRef {
    pub id: RunbookId,
    pub version: String,
    pub sha256: Digest,
}

/// The person who acted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}
