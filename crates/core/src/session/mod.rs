//! Sessions: one append-only list of JSONL records, and the state that is their fold.
//!
//! A [`Session`] owns the exact bytes of every record, serialized once when it happened and
//! never again, each chained to the previous line by SHA-256. Its [`State`] is always the fold
//! of those records through one reducer, whether they were just applied or replayed from
//! storage, so there is no second source of truth. Persistence, clocks and randomness belong
//! to the adapters: they hand in timestamps and session ids and store the lines we return.

mod engine;
mod handover;
mod record;
mod state;

pub(crate) use engine::serialize;
pub use engine::{Action, ReplayError, ReplayErrorKind, Session, Start};
pub use handover::{HandoverError, HandoverFile, HandoverRunbook, HANDOVER_FORMAT};
pub use record::{
    Actor, AppInfo, Body, Delivery, Header, Mode, Record, RunbookRef, ScenarioRef, Seq, LOG_FORMAT,
};
pub(crate) use state::validate_input;
pub use state::{
    Delivered, Deviation, DeviationKind, DrillState, Path, PriorityChoice, Progress, Rejection,
    State, Status,
};
