//! The sessions this browser holds: in progress, completed, abandoned; each one resumes (or
//! opens read-only) at `#/session/<id>`.

use stepwise_core::evidence::MAX_LOG_BYTES;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::{first, FileDrop};
use crate::hooks::use_session;
use crate::platform::files;
use crate::platform::storage::SessionSummary;

#[component]
pub fn SessionsPage() -> Html {
    let handle = use_session();
    let list = use_state(|| None::<Result<Vec<SessionSummary>, String>>);
    {
        let (handle, list) = (handle.clone(), list.clone());
        let settled = handle.as_ref().is_some_and(|h| h.is_storage_settled());
        use_effect_with(settled, move |&settled| {
            if let (true, Some(handle)) = (settled, handle) {
                wasm_bindgen_futures::spawn_local(async move {
                    list.set(Some(handle.stored_sessions().await));
                });
            }
        });
    }
    let navigator = use_navigator();
    let body = match &*list {
        None => html! { <p role="status">{ "Loading sessions…" }</p> },
        Some(Err(message)) => html! { <p class="error" role="alert">{ message.clone() }</p> },
        Some(Ok(sessions)) if sessions.is_empty() => {
            html! { <p>{ "No sessions in this browser yet." }</p> }
        }
        Some(Ok(sessions)) => {
            let on_discard = {
                let (handle, list, navigator) = (handle.clone(), list.clone(), navigator.clone());
                Callback::from(move |(id, reason): (String, String)| {
                    let (handle, list, navigator) =
                        (handle.clone(), list.clone(), navigator.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        let Some(handle) = handle else { return };
                        match handle.discard(&id, &reason).await {
                            // The session's page shows the discard as it is recorded.
                            Ok(()) => {
                                if let Some(navigator) = navigator {
                                    navigator.push(&Route::Session { id });
                                }
                            }
                            Err(message) => list.set(Some(Err(message))),
                        }
                    });
                })
            };
            html! {
                <>
                    { group("In progress", "in progress", sessions, Some(on_discard)) }
                    { group("Completed", "completed", sessions, None) }
                    { group("Abandoned", "abandoned", sessions, None) }
                </>
            }
        }
    };
    let received = use_state(|| None::<String>);
    let on_file = {
        let (handle, received) = (handle.clone(), received.clone());
        Callback::from(move |file: web_sys::File| {
            let (handle, received, navigator) =
                (handle.clone(), received.clone(), navigator.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let Some(handle) = handle else { return };
                let outcome = match files::read_bytes(&file, MAX_LOG_BYTES).await {
                    Ok(bytes) => handle
                        .receive_handover(&String::from_utf8_lossy(&bytes))
                        .await
                        .map_err(|message| format!("{}: {message}", file.name())),
                    Err(e) => Err(e),
                };
                match (outcome, navigator) {
                    (Ok(id), Some(navigator)) => navigator.push(&Route::Session { id }),
                    (Ok(_), None) => {}
                    (Err(message), _) => received.set(Some(message)),
                }
            });
        })
    };
    html! {
        <section class="page sessions">
            <h1>{ "Sessions" }</h1>
            { body }
            <section class="open-file" aria-labelledby="receive-heading">
                <h2 id="receive-heading">{ "Continue a session handed over to you" }</h2>
                <FileDrop label="Choose a hand-over file" accept=".json"
                    hint="…or drop it here. Its whole chain is checked, then a hand-over record naming you continues it."
                    on_files={first(on_file)} />
                if let Some(message) = &*received {
                    <p class="error" role="alert" data-testid="handover-error">{ message.clone() }</p>
                }
            </section>
        </section>
    }
}

fn group(
    title: &str,
    status: &str,
    sessions: &[SessionSummary],
    on_discard: Option<Callback<(String, String)>>,
) -> Html {
    let rows: Vec<Html> = sessions
        .iter()
        .filter(|s| s.status == status)
        .map(|s| {
            html! {
                <li class="card" key={s.id.clone()}>
                    <h3><Link<Route> to={Route::Session { id: s.id.clone() }}>{ s.title.clone() }</Link<Route>></h3>
                    if let Some(drill) = &s.drill {
                        <p class="meta"><span class="drill-badge">{ "DRILL" }</span>{ format!(" scenario {drill}: a training exercise, not live work") }</p>
                    }
                    <p class="meta">
                        <span>{ format!("v{}", s.version) }</span>
                        <span>{ format!("{} of {} items", s.done, s.total) }</span>
                        <span>{ format!("started {}", s.started) }</span>
                        <span>{ format!("last action {}", s.updated) }</span>
                        if s.local { <span>{ "from a file" }</span> }
                    </p>
                    if let Some(on_discard) = &on_discard {
                        <Discard id={s.id.clone()} on_discard={on_discard.clone()} />
                    }
                </li>
            }
        })
        .collect();
    if rows.is_empty() {
        return html! {};
    }
    html! {
        <section aria-label={title.to_owned()}>
            <h2>{ format!("{title} ({})", rows.len()) }</h2>
            <ul class="runbooks">{ for rows }</ul>
        </section>
    }
}

#[derive(Clone, PartialEq, Properties)]
struct DiscardProps {
    id: AttrValue,
    on_discard: Callback<(String, String)>,
}

/// Discarding asks for a reason first; the discard is recorded, never a silent delete.
#[component]
fn Discard(props: &DiscardProps) -> Html {
    let open = use_state(|| false);
    let reason = use_node_ref();
    if !*open {
        let open = open.clone();
        return html! { <button type="button" class="link-button" onclick={move |_| open.set(true)}>{ "Discard…" }</button> };
    }
    let onsubmit = {
        let (reason, id, on_discard) = (
            reason.clone(),
            props.id.to_string(),
            props.on_discard.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = reason
                .cast::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            on_discard.emit((id.clone(), text));
        })
    };
    let field = format!("discard-{}", props.id);
    html! {
        <form class="skip" {onsubmit}>
            <label for={field.clone()}>{ "Why is this session discarded? (recorded)" }</label>
            <input id={field} type="text" ref={reason} required=true />
            <button type="submit">{ "Discard session" }</button>
        </form>
    }
}
