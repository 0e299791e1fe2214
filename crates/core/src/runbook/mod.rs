//! Runbooks as data: the wire format, its parser, and the library index.
//!
//! This module owns what a runbook *is* and how bytes become one. It does not decide what a
//! technician may do with it (that is `session`), and its linter reports problems as diagnostics
//! (data, never errors), each at the line and column of the value it is about.

mod duration;
mod index;
mod limits;
mod lint;
mod model;
mod parse;
#[cfg(feature = "schema")]
mod schema;
mod spans;
mod yaml;

pub use duration::parse_duration;
pub use index::{build_index, parse_index, DrillEntry, Index, IndexEntry, INDEX_FORMAT};
pub(crate) use limits::{count as check_count, id as check_id, text as check_text};
pub use limits::{
    is_forbidden, visible_controls, MAX_ENTRIES, MAX_ID_BYTES, MAX_ITEMS, MAX_STEPS,
    MAX_TEXT_BYTES, YAML_MAX_DEPTH,
};
pub use lint::{lint, placeholders, Diagnostic, Report, Severity, Span, SESSION_FIELDS};
pub use model::{
    Checklist, Condition, Decision, DecisionOption, Input, InputKind, Item, Kind, Link, Runbook,
    SpeedCode, Step,
};
pub(crate) use parse::deserialize as deserialize_source;
pub use parse::{parse, ParseError, ParseErrorKind, SourceFormat, MAX_SOURCE_BYTES};
#[cfg(feature = "schema")]
pub use schema::{drill_schema_json, schema_json};
pub(crate) use spans::{at as span_at, read_mirror};
pub(crate) use yaml::Positioned;
