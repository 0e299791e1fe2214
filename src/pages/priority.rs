//! The standalone priority calculator (`#/priority`): choose Impact and Urgency, see the
//! Priority and its targets at once. The matrix is the library's `priority.yaml`; every
//! answer comes from the core's `Matrix::priority`.

use stepwise_core::priority::{parse_matrix, Matrix};
use stepwise_core::runbook::SourceFormat;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::PriorityBadge;

use crate::library::LIBRARY_BASE;
use crate::platform::fetch;

#[component]
pub fn PriorityPage() -> Html {
    let matrix = use_state(|| None::<Result<Matrix, String>>);
    let impact = use_state(|| None::<String>);
    let urgency = use_state(|| None::<String>);
    {
        let matrix = matrix.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("{LIBRARY_BASE}priority.yaml");
                let loaded = match fetch::bytes(&url).await {
                    Ok(bytes) => {
                        parse_matrix(&url, &bytes, SourceFormat::Yaml).map_err(|e| e.to_string())
                    }
                    Err(e) => Err(e.to_string()),
                };
                matrix.set(Some(loaded));
            });
        });
    }
    let body = match &*matrix {
        None => html! { <p role="status">{ "Loading the priority matrix…" }</p> },
        Some(Err(message)) => html! { <pre class="error" role="alert">{ message.clone() }</pre> },
        Some(Ok(m)) => {
            let chosen = match (&*impact, &*urgency) {
                (Some(i), Some(u)) => m.priority(i, u).cloned(),
                _ => None,
            };
            html! {
                <>
                    <p class="meta">{ m.title.clone() }</p>
                    <div class="fields">
                        { level_select("Impact", "impact", &m.impact, impact.clone()) }
                        { level_select("Urgency", "urgency", &m.urgency, urgency.clone()) }
                    </div>
                    <div class="priority-result" aria-live="polite" data-testid="priority">
                        if let Some(p) = chosen {
                            <p class="priority-in-force"><PriorityBadge id={p.id.clone()} label={p.label.clone()} colour={p.colour.clone()} /></p>
                            <p>{ format!("Respond within {}, resolve within {} ({} calendar).", p.response, p.resolution, p.calendar) }</p>
                        } else {
                            <p class="hint">{ "Choose Impact and Urgency." }</p>
                        }
                    </div>
                </>
            }
        }
    };
    html! {
        <section class="page priority">
            <h1>{ "Priority calculator" }</h1>
            { body }
        </section>
    }
}

fn level_select(
    label: &str,
    id: &str,
    levels: &[stepwise_core::priority::Level],
    state: UseStateHandle<Option<String>>,
) -> Html {
    let onchange = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            state.set((!value.is_empty()).then_some(value));
        })
    };
    let chosen = levels.iter().find(|l| Some(&l.id) == state.as_ref());
    html! {
        <div class="field">
            <label for={id.to_owned()}>{ label.to_owned() }</label>
            <select id={id.to_owned()} {onchange}>
                <option value="" selected={state.is_none()}>{ "Choose…" }</option>
                { for levels.iter().map(|l| html! {
                    <option value={l.id.clone()} selected={Some(&l.id) == state.as_ref()}>{ l.label.clone() }</option>
                }) }
            </select>
            if let Some(level) = chosen {
                <span class="hint">{ level.description.clone() }</span>
                { for level.questions.iter().map(|q| html! { <span class="hint">{ q.clone() }</span> }) }
            }
        </div>
    }
}
