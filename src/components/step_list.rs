//! The steps of the path taken so far, beside the current one: where the technician is and
//! what is left. Steps the path does not take are not listed.

use yew::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub struct StepRow {
    /// The step's index in the runbook, emitted when it is chosen.
    pub index: usize,
    pub title: AttrValue,
    pub done: usize,
    pub total: usize,
}

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct StepListProps {
    pub steps: Vec<StepRow>,
    pub current: usize,
    /// The path ends at an undecided decision; more steps follow once it is made.
    #[prop_or_default]
    pub pending: bool,
    pub on_select: Callback<usize>,
}

#[component]
pub fn StepList(props: &StepListProps) -> Html {
    let rows = props.steps.iter().enumerate().map(|(position, row)| {
        let on_select = props.on_select.clone();
        let index = row.index;
        let is_current = index == props.current;
        let complete = row.total > 0 && row.done == row.total;
        let class = classes!(
            "step-row",
            is_current.then_some("current"),
            complete.then_some("complete")
        );
        html! {
            <li {class}>
                <button type="button" aria-current={is_current.then_some("step")}
                    onclick={move |_| on_select.emit(index)}>
                    <span class="step-number">{ position + 1 }</span>
                    <span class="step-title">{ row.title.clone() }</span>
                    <span class="step-count">{ format!("{}/{}", row.done, row.total) }</span>
                </button>
            </li>
        }
    });
    html! {
        <nav class="steps" aria-label="Steps">
            <ol>{ for rows }</ol>
            if props.pending {
                <p class="hint">{ "More steps follow once the decision is made." }</p>
            }
        </nav>
    }
}
