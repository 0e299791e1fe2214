//! The library page's markup, shared by the web app (`stepwise`) and the small module that
//! shows the library on a first load (`stepwise-lite`, see ARCHITECTURE.md "Boot"), so the
//! two draw the same page from the same code. Presentational only: props in, `Callback`s
//! out; links and state are each module's own.

mod file_drop;
mod library;
mod search_box;

pub use file_drop::{first, FileDrop};
pub use library::{
    count_text, matches, DrillCard, DrillsSection, LibraryFrame, OpenFileSection, RunbookCard,
    RunbookList,
};
pub use search_box::SearchBox;

/// What the two modules share outside the page, by name.
pub mod hand_over {
    /// `localStorage` key under which the web app mirrors the technician's name (empty: no
    /// name set yet), so the first-load module can show it without opening IndexedDB.
    pub const IDENTITY_NAME_KEY: &str = "stepwise.identity-name";
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
