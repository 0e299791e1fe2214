//! The list of steps beside the current one: where the technician is and what is left.

use yew::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub struct StepRow {
    pub title: AttrValue,
    pub done: usize,
    pub total: usize,
}

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct StepListProps {
    pub steps: Vec<StepRow>,
    pub current: usize,
    pub on_select: Callback<usize>,
}

#[component]
pub fn StepList(props: &StepListProps) -> Html {
    let rows = props.steps.iter().enumerate().map(|(index, row)| {
        let on_select = props.on_select.clone();
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
                    <span class="step-number">{ index + 1 }</span>
                    <span class="step-title">{ row.title.clone() }</span>
                    <span class="step-count">{ format!("{}/{}", row.done, row.total) }</span>
                </button>
            </li>
        }
    });
    html! {
        <nav class="steps" aria-label="Steps">
            <ol>{ for rows }</ol>
        </nav>
    }
}
