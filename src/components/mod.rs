//! Presentational components: props in, `Callback`s out. No context, no platform calls,
//! no rules: what they show was computed by the core and handed down by a page.

mod chart;
mod checklist;
mod inputs;
mod notice;
mod priority_badge;
mod progress;
mod report;
mod step_list;
mod text;
mod text_input;

pub use chart::ChartView;
pub use checklist::{ChecklistRow, ChecklistView};
// The file picker is the library page's too, so it lives with that page's shared markup.
pub use inputs::{InputRow, InputsPanel};
pub use notice::Notice;
pub use priority_badge::PriorityBadge;
pub use progress::ProgressMeter;
pub use report::ReportView;
pub use step_list::{StepList, StepRow};
pub use stepwise_view::{first, FileDrop};
pub use text::TextBlock;
pub use text_input::TextInput;
