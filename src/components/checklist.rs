//! A step's checklist: one native checkbox per item, so Space and Tab work as everywhere.

use stepwise_core::ItemId;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistRow {
    pub id: ItemId,
    pub text: AttrValue,
    pub required: bool,
    pub evidence: Option<AttrValue>,
    pub checked: bool,
}

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct ChecklistViewProps {
    /// Prefix for element ids, unique per step.
    pub key_prefix: AttrValue,
    pub rows: Vec<ChecklistRow>,
    /// Emits the item and whether it is now checked.
    pub on_toggle: Callback<(ItemId, bool)>,
}

#[component]
pub fn ChecklistView(props: &ChecklistViewProps) -> Html {
    if props.rows.is_empty() {
        return html! { <p class="checklist-empty">{ "No checklist items in this step." }</p> };
    }
    let rows = props.rows.iter().map(|row| {
        let id = format!("{}-{}", props.key_prefix, row.id);
        let item = row.id.clone();
        let on_toggle = props.on_toggle.clone();
        let onchange = Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            on_toggle.emit((item.clone(), input.checked()));
        });
        html! {
            <li class={classes!("item", row.checked.then_some("checked"))}>
                <input type="checkbox" id={id.clone()} checked={row.checked} {onchange} />
                <label for={id}>
                    { row.text.clone() }
                    if !row.required { <span class="optional">{ " (optional)" }</span> }
                </label>
                if let Some(prompt) = &row.evidence {
                    <p class="evidence-prompt">{ "Evidence: " }{ prompt.clone() }</p>
                }
            </li>
        }
    });
    html! { <ul class="checklist">{ for rows }</ul> }
}
