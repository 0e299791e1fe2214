//! The sessions this browser holds: in progress, completed, abandoned; each one resumes (or
//! opens read-only) at `#/session/<id>`.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::FileDrop;
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
    let body = match &*list {
        None => html! { <p role="status">{ "Loading sessions…" }</p> },
        Some(Err(message)) => html! { <p class="error" role="alert">{ message.clone() }</p> },
        Some(Ok(sessions)) if sessions.is_empty() => {
            html! { <p>{ "No sessions in this browser yet." }</p> }
        }
        Some(Ok(sessions)) => html! {
            <>
                { group("In progress", "in progress", sessions) }
                { group("Completed", "completed", sessions) }
                { group("Abandoned", "abandoned", sessions) }
            </>
        },
    };
    let received = use_state(|| None::<String>);
    let navigator = use_navigator();
    let on_file = {
        let (handle, received) = (handle.clone(), received.clone());
        Callback::from(move |file: web_sys::File| {
            let (handle, received, navigator) =
                (handle.clone(), received.clone(), navigator.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let Some(handle) = handle else { return };
                let outcome = match files::read_bytes(&file).await {
                    Ok(bytes) => {
                        handle
                            .receive_handover(&String::from_utf8_lossy(&bytes))
                            .await
                    }
                    Err(e) => Err(e),
                };
                match (outcome, navigator) {
                    (Ok(id), Some(navigator)) => navigator.push(&Route::Session { id }),
                    (Ok(_), None) => {}
                    (Err(message), _) => received.set(Some(format!("{}: {message}", file.name()))),
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
                    {on_file} />
                if let Some(message) = &*received {
                    <p class="error" role="alert" data-testid="handover-error">{ message.clone() }</p>
                }
            </section>
        </section>
    }
}

fn group(title: &str, status: &str, sessions: &[SessionSummary]) -> Html {
    let rows: Vec<Html> = sessions
        .iter()
        .filter(|s| s.status == status)
        .map(|s| {
            html! {
                <li class="card">
                    <h3><Link<Route> to={Route::Session { id: s.id.clone() }}>{ s.title.clone() }</Link<Route>></h3>
                    <p class="meta">
                        <span>{ format!("v{}", s.version) }</span>
                        <span>{ format!("{} of {} items", s.done, s.total) }</span>
                        <span>{ format!("started {}", s.started) }</span>
                        <span>{ format!("last action {}", s.updated) }</span>
                        if s.local { <span>{ "from a file" }</span> }
                    </p>
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
