//! Presentational components: props in, `Callback`s out. No context, no platform calls,
//! no rules: what they show was computed by the core and handed down by a page.

mod chart;
mod checklist;
mod file_drop;
mod inputs;
mod notice;
mod priority_badge;
mod progress;
mod report;
mod search_box;
mod step_list;
mod text;
mod text_input;

pub use chart::ChartView;
pub use checklist::{ChecklistRow, ChecklistView};
pub use file_drop::{first, FileDrop};
pub use inputs::{InputRow, InputsPanel};
pub use notice::Notice;
pub use priority_badge::PriorityBadge;
pub use progress::ProgressMeter;
pub use report::ReportView;
pub use search_box::SearchBox;
pub use step_list::{StepList, StepRow};
pub use text::TextBlock;
pub use text_input::TextInput;
