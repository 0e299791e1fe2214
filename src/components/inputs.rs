//! The runbook's inputs (ticket, host, user…) as a small form; each field is saved on its
//! own, so every change is one `input_set` record.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::TextInput;

#[derive(Debug, Clone, PartialEq)]
pub struct InputRow {
    pub id: AttrValue,
    pub label: AttrValue,
    /// `text`, `number`, `choice`, `host`, `email` or `ticket`.
    pub kind: &'static str,
    pub options: Vec<AttrValue>,
    pub required: bool,
    pub help: Option<AttrValue>,
    pub value: Option<AttrValue>,
}

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct InputsPanelProps {
    pub rows: Vec<InputRow>,
    #[prop_or_default]
    pub read_only: bool,
    /// The input's id and its new value.
    pub on_set: Callback<(String, String)>,
}

#[component]
pub fn InputsPanel(props: &InputsPanelProps) -> Html {
    if props.rows.is_empty() {
        return html! {};
    }
    let rows = props.rows.iter().map(|row| {
        let id = format!("input-{}", row.id);
        let on_set = props.on_set.clone();
        let input_id = row.id.to_string();
        let current = row.value.clone();
        // Saved when the field loses focus or Enter is pressed: one record per real change.
        let onchange = Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<HtmlSelectElement>()
                .map(|s| s.value())
                .or_else(|| e.target_dyn_into::<HtmlInputElement>().map(|i| i.value()))
                .unwrap_or_default();
            if Some(value.as_str()) != current.as_deref() && !value.trim().is_empty() {
                on_set.emit((input_id.clone(), value));
            }
        });
        let field = if row.kind == "choice" {
            html! {
                <select id={id.clone()} {onchange} disabled={props.read_only}>
                    <option value="" selected={row.value.is_none()}>{ "Choose…" }</option>
                    { for row.options.iter().map(|o| html! {
                        <option value={o.clone()} selected={row.value.as_ref() == Some(o)}>{ o.clone() }</option>
                    }) }
                </select>
            }
        } else {
            let kind = match row.kind {
                "number" => "number",
                "email" => "email",
                _ => "text",
            };
            html! {
                <TextInput id={id.clone()} {kind} initial={row.value.clone().unwrap_or_default()}
                    {onchange} disabled={props.read_only} autocomplete="off" />
            }
        };
        html! {
            <div class="field">
                <label for={id}>{ row.label.clone() }{ if row.required { " *" } else { "" } }</label>
                { field }
                if let Some(help) = &row.help { <span class="hint">{ help.clone() }</span> }
            </div>
        }
    });
    html! {
        <details class="inputs" open=true>
            <summary>{ "Details" }</summary>
            <div class="fields">{ for rows }</div>
        </details>
    }
}
