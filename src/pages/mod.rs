//! Route-level components: they read the contexts, derive what to show from the core's
//! state, and dispatch intents. Layout lives in `components`.

mod debrief;
mod drill;
mod evidence;
mod identity;
mod library;
mod not_found;
mod open;
mod priority;
mod run;
mod sessions;
mod sla;
mod verify;

pub use debrief::DebriefPage;
pub use evidence::EvidencePanel;
pub use identity::{IdentityForm, IdentityPage};
pub use library::LibraryPage;
pub use not_found::NotFoundPage;
pub use priority::PriorityPage;
pub use run::{RunPage, SessionPage, Source};
pub use sessions::SessionsPage;
pub use sla::SessionClock;
pub use verify::VerifyPage;
