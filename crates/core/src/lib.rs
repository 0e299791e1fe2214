//! `stepwise-core`: the pure domain of Stepwise.
//!
//! Everything that decides something lives here: the runbook format and its parser, the
//! session records and the reducer that folds them into state, and (as later issues land)
//! priority, evidence and drills. The web app and the CLI are thin adapters around it.
//!
//! What this crate deliberately does not do: read a clock, draw randomness, touch files, the
//! network or the browser. Timestamps, session ids and key material are arguments, so every
//! rule is testable natively and deterministically. `tests/purity.rs` keeps it that way.

pub mod digest;
pub mod drill;
pub mod evidence;
pub mod ids;
pub mod markdown;
pub mod priority;
pub mod runbook;
pub mod session;
pub mod speed_code;
pub mod time;
pub mod timesheet;

pub use digest::Digest;
pub use ids::{ItemId, RunbookId, SessionId, StepId};
pub use time::Timestamp;
