//! The progress indicator: a native `<progress>` plus the same fact in words, announced
//! politely to screen readers when it changes.

use stepwise_core::session::Progress;
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct ProgressMeterProps {
    pub progress: Progress,
}

#[component]
pub fn ProgressMeter(props: &ProgressMeterProps) -> Html {
    let p = props.progress;
    let words = format!("{} of {} items done ({}%)", p.done, p.total, p.percent());
    let required = format!("{} of {} required", p.required_done, p.required_total);
    html! {
        <div class="progress">
            <progress max={p.total.max(1).to_string()} value={p.done.to_string()} aria-label="Checklist progress" />
            <span class="progress-text" data-testid="progress" aria-live="polite">{ words }</span>
            <span class="progress-required">{ required }</span>
        </div>
    }
}
