//! Where things stand in a runbook's source: a mirror of the model that keeps only positions.
//!
//! The typed model stays free of span wrappers; the linter re-reads the same text into this
//! mirror (through the positioned YAML tree of `yaml.rs`, for YAML and for JSON, which is
//! YAML too) and looks up the line and column of the value a rule points at. Fields are all
//! optional and unknown ones ignored, so the mirror reads whatever the typed parse accepted.

use serde::de::IgnoredAny;
use serde::Deserialize;

use super::lint::Span;
use super::yaml::{self, Positioned};

pub(crate) type S<T> = Positioned<T>;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RunbookSpans {
    pub id: Option<S<IgnoredAny>>,
    pub review_by: Option<S<String>>,
    pub steps: Option<S<Vec<StepSpans>>>,
    pub inputs: Vec<InputSpans>,
    pub speed_codes: Vec<SpeedCodeSpans>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct InputSpans {
    pub id: Option<S<IgnoredAny>>,
    pub kind: Option<S<IgnoredAny>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SpeedCodeSpans {
    pub id: Option<S<IgnoredAny>>,
    pub template: Option<S<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct StepSpans {
    pub id: Option<S<IgnoredAny>>,
    pub role: Option<S<IgnoredAny>>,
    pub estimate: Option<S<IgnoredAny>>,
    pub next: Option<S<IgnoredAny>>,
    pub decision: Option<S<DecisionSpans>>,
    pub when: Option<S<WhenSpans>>,
    pub checklist: Vec<ItemSpans>,
    pub links: Vec<LinkSpans>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ItemSpans {
    pub id: Option<S<IgnoredAny>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct DecisionSpans {
    pub options: Vec<OptionSpans>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct OptionSpans {
    pub id: Option<S<IgnoredAny>>,
    pub next: Option<S<IgnoredAny>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WhenSpans {
    pub input: Option<S<IgnoredAny>>,
    pub decision: Option<S<IgnoredAny>>,
    pub equals: Option<S<IgnoredAny>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct LinkSpans {
    pub url: Option<S<IgnoredAny>>,
}

impl RunbookSpans {
    /// Reads positions from `text`; a text the mirror cannot read yields no positions.
    pub fn read(text: &str) -> RunbookSpans {
        read_mirror(text)
    }

    pub fn step(&self, index: usize) -> Option<&StepSpans> {
        self.steps.as_ref().and_then(|s| s.value.get(index))
    }
}

/// Reads a position mirror (a struct of [`S`] fields) from `text`; empty when it cannot.
pub(crate) fn read_mirror<T: serde::de::DeserializeOwned + Default>(text: &str) -> T {
    yaml::read(text, &yaml::BUDGET)
        .ok()
        .and_then(|tree| yaml::from_node(&tree).ok())
        .unwrap_or_default()
}

/// The position of an optional spanned value, or of `fallback` when it has none.
pub(crate) fn at<T>(value: Option<&S<T>>, fallback: Span) -> Span {
    value.map_or(fallback, |s| {
        if s.line == 0 {
            fallback
        } else {
            Span {
                line: s.line,
                column: s.column,
            }
        }
    })
}
