//! The library page, shared by the web app (`stepwise`) and the small module that shows it
//! on a first load (`stepwise-lite`, see ARCHITECTURE.md "Boot"): its words, its search and
//! the names the two modules hand over by (plain Rust, for both), and the web app's Yew
//! components for it (feature `components`, on by default). The first-load module draws
//! the same markup without Yew; the boot tests hold the two pages equal. Presentational
//! only: props in, `Callback`s out; links and state are each module's own.

#[cfg(feature = "components")]
mod file_drop;
#[cfg(feature = "components")]
mod library;
#[cfg(feature = "components")]
mod search_box;
pub mod text;

#[cfg(feature = "components")]
pub use file_drop::{first, FileDrop};
#[cfg(feature = "components")]
pub use library::{
    DrillCard, DrillsSection, LibraryFrame, OpenFileSection, RunbookCard, RunbookList,
};
#[cfg(feature = "components")]
pub use search_box::SearchBox;
pub use text::{count_text, matches};

/// What the two modules share outside the page, by name.
pub mod hand_over {
    /// `localStorage` key under which the web app mirrors the technician's name (empty: no
    /// name set yet), so the first-load module can show it without opening IndexedDB.
    pub const IDENTITY_NAME_KEY: &str = "stepwise.identity-name";
    /// `localStorage` key under which the first-load module keeps the text of the last
    /// `index.json` it read, to draw the library from at once on the next visit.
    pub const LAST_INDEX_KEY: &str = "stepwise.last-index";
    /// The IndexedDB database the web app keeps sessions and settings in.
    pub const DB_NAME: &str = "stepwise";
    /// Dispatched on `window` by the first-load module when the full app must take over
    /// (the boot script listens); its `detail` is a chosen runbook `File`, or null.
    pub const EVENT: &str = "stepwise:hand-over";
    /// The `window` property the boot script leaves a handed-over `File` in, for the web
    /// app's open-file section to take on mount.
    pub const FILE_PROPERTY: &str = "stepwiseHandOverFile";
    /// The `window` property the first-load module leaves the library's search in when it
    /// hands over (`{text, focused}`), so the web app's library page goes on from there.
    pub const SEARCH_PROPERTY: &str = "stepwiseHandOverSearch";
}
