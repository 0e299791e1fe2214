//! Browser adapters: the only code that touches the platform (clock, randomness, network).
//!
//! Each is named by capability and returns errors as values; pages turn them into visible
//! notices. Nothing here knows a rule of the domain.

pub mod clipboard;
pub mod clock;
pub mod download;
pub mod fetch;
pub mod files;
pub mod focus;
pub mod hand_over;
pub mod idle;
pub mod keys;
pub mod locks;
pub mod random;
pub mod storage;
