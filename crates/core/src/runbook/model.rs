//! The runbook wire format (serde), shared by YAML and JSON sources.
//!
//! Unknown fields are refused everywhere (`deny_unknown_fields`) so that a typo such as
//! `requried: true` cannot pass silently. Field docs here are the reference that
//! `docs/runbook-format.md` explains for authors.

use serde::{Deserialize, Serialize};

use crate::ids::{ItemId, RunbookId, StepId};

/// A Stepwise runbook: an incident-response or common-request procedure, as authored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Runbook {
    /// Stable identifier, lowercase kebab-case; the route is `#/run/<id>`.
    pub id: RunbookId,
    pub title: String,
    /// The author's version string; recorded in every session header.
    pub version: String,
    pub kind: Kind,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Markdown shown before the first step.
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub owner: Option<String>,
    /// ISO date (`YYYY-MM-DD`) by which the owner reviews the runbook again.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date")))]
    pub review_by: Option<String>,
    /// Default ITIL Impact level id, confirmed by the technician.
    #[serde(default)]
    pub impact: Option<String>,
    /// Default ITIL Urgency level id, confirmed by the technician.
    #[serde(default)]
    pub urgency: Option<String>,
    #[serde(default)]
    pub inputs: Vec<Input>,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub speed_codes: Vec<SpeedCode>,
    pub steps: Vec<Step>,
}

impl Runbook {
    pub fn step(&self, id: &StepId) -> Option<&Step> {
        self.steps.iter().find(|s| &s.id == id)
    }

    pub fn step_index(&self, id: &StepId) -> Option<usize> {
        self.steps.iter().position(|s| &s.id == id)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Incident,
    Request,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Incident => "incident",
            Kind::Request => "request",
        }
    }
}

/// A named field the technician fills in: ticket number, affected host, user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub kind: InputKind,
    #[serde(default)]
    pub required: bool,
    /// The allowed values of a `choice` input.
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub help: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    #[default]
    Text,
    Number,
    Choice,
    Host,
    Email,
    Ticket,
}

impl InputKind {
    pub fn label(self) -> &'static str {
        match self {
            InputKind::Text => "text",
            InputKind::Number => "number",
            InputKind::Choice => "choice",
            InputKind::Host => "host",
            InputKind::Email => "email",
            InputKind::Ticket => "ticket",
        }
    }
}

/// A message template with `{{placeholder}}`s: customer updates, escalations, closure notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SpeedCode {
    pub id: String,
    pub title: String,
    /// Who the message is for, such as `customer` or `escalation`.
    #[serde(default)]
    pub audience: Option<String>,
    pub template: String,
}

pub type Checklist = Vec<Item>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: StepId,
    pub title: String,
    /// Markdown; rendered with raw HTML disabled.
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub role: Option<String>,
    /// Expected duration such as `10m` or `1h30m` (units d, h, m, s in that order).
    #[serde(default)]
    #[cfg_attr(
        feature = "schema",
        schemars(regex(pattern = r"^([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?$"))
    )]
    pub estimate: Option<String>,
    #[serde(default)]
    pub checklist: Checklist,
    #[serde(default)]
    pub decision: Option<Decision>,
    /// The step that follows when there is no decision; default: the next one in the file.
    #[serde(default)]
    pub next: Option<StepId>,
    /// Shows the step only when the condition holds.
    #[serde(default)]
    pub when: Option<Condition>,
    #[serde(default)]
    pub links: Vec<Link>,
}

impl Step {
    pub fn item(&self, id: &ItemId) -> Option<&Item> {
        self.checklist.iter().find(|i| &i.id == id)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: ItemId,
    pub text: String,
    #[serde(default = "yes")]
    pub required: bool,
    /// A prompt the technician must answer before the item counts.
    #[serde(default)]
    pub evidence: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub question: String,
    pub options: Vec<DecisionOption>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DecisionOption {
    pub id: String,
    pub label: String,
    pub next: StepId,
}

/// A condition on an input's value or an earlier decision's chosen option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Condition {
    #[serde(default)]
    pub input: Option<String>,
    #[serde(default)]
    pub decision: Option<StepId>,
    /// The value (or option id) that makes the condition true.
    pub equals: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub title: String,
    pub url: String,
}
