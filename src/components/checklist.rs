//! A step's checklist: one native checkbox per item (Tab, Space and Enter work as
//! everywhere), the item's evidence answer where it asks for one, and skipping a required
//! item with a reason. What counts as done is the core's decision, passed in as `done`.

use stepwise_core::ItemId;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::TextInput;

#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistRow {
    pub id: ItemId,
    pub text: AttrValue,
    pub required: bool,
    pub evidence_prompt: Option<AttrValue>,
    pub evidence: Option<AttrValue>,
    pub checked: bool,
    /// Checked, and its evidence answered if it asks for any.
    pub done: bool,
    pub skipped: Option<AttrValue>,
    /// Set while its last change is not confirmed by storage: what to say about it.
    pub saving: Option<AttrValue>,
}

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct ChecklistViewProps {
    /// Prefix for element ids, unique per step.
    pub key_prefix: AttrValue,
    pub rows: Vec<ChecklistRow>,
    /// Nothing can be changed (the session is closed, or read-only in this tab).
    #[prop_or_default]
    pub read_only: bool,
    /// The item and whether it is now checked.
    pub on_toggle: Callback<(ItemId, bool)>,
    /// The item and the evidence answer typed for it.
    pub on_evidence: Callback<(ItemId, String)>,
    /// The item and the reason it is skipped.
    pub on_skip: Callback<(ItemId, String)>,
}

#[component]
pub fn ChecklistView(props: &ChecklistViewProps) -> Html {
    if props.rows.is_empty() {
        return html! { <p class="checklist-empty">{ "No checklist items in this step." }</p> };
    }
    let rows = props.rows.iter().map(|row| {
        html! {
            <ItemRow key={row.id.to_string()} id_prefix={props.key_prefix.clone()} row={row.clone()}
                read_only={props.read_only} on_toggle={props.on_toggle.clone()}
                on_evidence={props.on_evidence.clone()} on_skip={props.on_skip.clone()} />
        }
    });
    html! { <ul class="checklist">{ for rows }</ul> }
}

#[derive(Debug, Clone, PartialEq, Properties)]
struct ItemRowProps {
    id_prefix: AttrValue,
    row: ChecklistRow,
    read_only: bool,
    on_toggle: Callback<(ItemId, bool)>,
    on_evidence: Callback<(ItemId, String)>,
    on_skip: Callback<(ItemId, String)>,
}

#[component]
fn ItemRow(props: &ItemRowProps) -> Html {
    let row = &props.row;
    let base = format!("{}-{}", props.id_prefix, row.id);
    let skipping = use_state(|| false);
    let evidence_ref = use_node_ref();
    let reason_ref = use_node_ref();
    let checkbox_ref = use_node_ref();

    let onchange = {
        let item = row.id.clone();
        let on_toggle = props.on_toggle.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            on_toggle.emit((item.clone(), input.checked()));
        })
    };
    let save_evidence = {
        let item = row.id.clone();
        let on_evidence = props.on_evidence.clone();
        let node = evidence_ref.clone();
        let current = row.evidence.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(input) = node.cast::<HtmlInputElement>() {
                let value = input.value();
                if Some(value.as_str()) != current.as_deref() {
                    on_evidence.emit((item.clone(), value));
                }
            }
        })
    };
    let confirm_skip = {
        let item = row.id.clone();
        let on_skip = props.on_skip.clone();
        let node = reason_ref.clone();
        let skipping = skipping.clone();
        let checkbox = checkbox_ref.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(input) = node.cast::<HtmlInputElement>() {
                on_skip.emit((item.clone(), input.value()));
                skipping.set(false);
                // The reason's form goes away; focus returns to the item it was about.
                if let Some(checkbox) = checkbox.cast::<HtmlInputElement>() {
                    if checkbox.focus().is_err() {
                        gloo::console::warn!("focus could not return to the skipped item");
                    }
                }
            }
        })
    };
    {
        // The reason's form opens with the cursor in it, whichever key or click opened it.
        let reason = reason_ref.clone();
        use_effect_with(*skipping, move |open| {
            if *open {
                if let Some(input) = reason.cast::<HtmlInputElement>() {
                    if input.focus().is_err() {
                        gloo::console::warn!("focus could not move to the skip reason");
                    }
                }
            }
        });
    }
    let show_skip = !props.read_only && row.required && !row.checked && row.skipped.is_none();
    let class = classes!(
        "item",
        row.done.then_some("done"),
        (row.checked && !row.done).then_some("needs-evidence"),
        row.skipped.is_some().then_some("skipped"),
    );
    html! {
        <li {class}>
            <div class="item-line">
                <input type="checkbox" id={base.clone()} ref={checkbox_ref} checked={row.checked} disabled={props.read_only} {onchange} />
                <label for={base.clone()}>
                    { row.text.clone() }
                    if !row.required { <span class="optional">{ " (optional)" }</span> }
                    if let Some(saving) = &row.saving { <span class="item-saving">{ " (" }{ saving.clone() }{ ")" }</span> }
                </label>
                if show_skip {
                    <button type="button" class="link-button" aria-expanded={(*skipping).to_string()}
                        onclick={let s = skipping.clone(); move |_| s.set(!*s)}>{ "Skip…" }</button>
                }
            </div>
            if let Some(reason) = &row.skipped {
                <p class="skip-reason">{ "Skipped: " }{ reason.clone() }</p>
            }
            if let Some(prompt) = &row.evidence_prompt {
                <form class="evidence" onsubmit={save_evidence}>
                    <label for={format!("{base}-evidence")}>{ "Evidence: " }{ prompt.clone() }</label>
                    <TextInput id={format!("{base}-evidence")} node={evidence_ref}
                        initial={row.evidence.clone().unwrap_or_default()} disabled={props.read_only}
                        invalid={row.checked && row.evidence.is_none()} />
                    if !props.read_only { <button type="submit">{ "Save evidence" }</button> }
                    if row.checked && row.evidence.is_none() {
                        <span class="hint">{ "Checked, but it counts only once the evidence is saved." }</span>
                    }
                </form>
            }
            if *skipping && show_skip {
                <form class="skip" onsubmit={confirm_skip}>
                    <label for={format!("{base}-reason")}>{ "Why is this item skipped? (recorded for the audit)" }</label>
                    <input id={format!("{base}-reason")} type="text" ref={reason_ref} required=true />
                    <button type="submit">{ "Skip item" }</button>
                </form>
            }
        </li>
    }
}
