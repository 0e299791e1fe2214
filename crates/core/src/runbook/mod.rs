//! Runbooks as data: the wire format, its parser, and the library index.
//!
//! This module owns what a runbook *is* and how bytes become one. It does not decide what a
//! technician may do with it (that is `session`), and it does not lint style or reachability
//! beyond what a well-formed runbook needs (the linter of issue 3 will return diagnostics).

mod index;
mod model;
mod parse;

pub use index::{build_index, parse_index, Index, IndexEntry, INDEX_FORMAT};
pub use model::{
    Checklist, Condition, Decision, DecisionOption, Input, InputKind, Item, Kind, Link, Runbook,
    SpeedCode, Step,
};
pub use parse::{parse, ParseError, ParseErrorKind, SourceFormat, MAX_SOURCE_BYTES};
