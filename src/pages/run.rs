//! The run page: one runbook's steps, the current step's checklist, progress, and
//! previous/next. Every change goes through the session's intent methods; what is shown is
//! derived from the core's state on each render.
//!
//! Keyboard: `j` / `k` move to the next / previous step when focus is not in a text field;
//! checkboxes and buttons are native, so Tab, Space and Enter work as everywhere.

use gloo::events::EventListener;
use stepwise_core::runbook::Step;
use stepwise_core::session::Session;
use stepwise_core::StepId;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::{
    ChecklistRow, ChecklistView, Notice, ProgressMeter, StepList, StepRow, TextBlock,
};
use crate::hooks::{use_library, use_session, LibraryStatus, SessionHandle};
use crate::library::LoadedRunbook;

/// Where the runbook of a run page comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Library,
    /// Opened from disk in this tab.
    Local,
}

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct RunPageProps {
    pub id: String,
    pub source: Source,
}

/// What the page can run, or why not.
enum Found {
    Loading,
    Missing(String),
    Broken(String),
    Ready(LoadedRunbook),
}

#[component]
pub fn RunPage(props: &RunPageProps) -> Html {
    let library = use_library();
    let session = use_session();
    let found = match (&library, props.source) {
        (None, _) => Found::Missing("Internal error: the library provider is missing.".into()),
        (Some(library), Source::Local) => match library.opened(&props.id) {
            Some(runbook) => Found::Ready(runbook),
            None => Found::Missing(format!(
                "No runbook with id `{}` was opened from a file in this tab. Open the file again from the library page.",
                props.id
            )),
        },
        (Some(library), Source::Library) => match (&library.status, library.bundled(&props.id)) {
            (LibraryStatus::Loading, _) => Found::Loading,
            (LibraryStatus::Failed(message), _) => {
                Found::Missing(format!("The runbook library could not be loaded.\n{message}"))
            }
            (_, None) => Found::Missing(format!("The library has no runbook with id `{}`.", props.id)),
            (_, Some(Err(message))) => Found::Broken(message),
            (_, Some(Ok(runbook))) => Found::Ready(runbook),
        },
    };
    // Start a session for this runbook once it is loaded, unless one is already running.
    {
        let session = session.clone();
        let runbook = match &found {
            Found::Ready(runbook) => Some(runbook.clone()),
            _ => None,
        };
        let key = runbook.as_ref().map(|r| r.sha256);
        use_effect_with(key, move |_| {
            if let (Some(handle), Some(runbook)) = (session, runbook) {
                if !is_running(&handle, &runbook) {
                    handle.start(&runbook);
                }
            }
        });
    }
    let Some(handle) = session else {
        return page_message("Internal error", "The session provider is missing.");
    };
    match found {
        Found::Loading => page_message("Loading", "Loading the runbook library…"),
        Found::Missing(message) => page_message("No such runbook", &message),
        Found::Broken(message) => page_message("This runbook is broken", &message),
        Found::Ready(runbook) => match handle.session() {
            Some(session) if is_running(&handle, &runbook) => html! {
                <>
                    if props.source == Source::Local {
                        <p class="banner local" role="note">
                            { "Opened from a file: this runbook is not in the library." }
                        </p>
                    }
                    <RunView handle={handle.clone()} revision={session.lines().len()} />
                </>
            },
            _ => page_message("Starting", "Starting the session…"),
        },
    }
}

fn is_running(handle: &SessionHandle, runbook: &LoadedRunbook) -> bool {
    handle.session().is_some_and(|s| {
        s.header().runbook.sha256 == runbook.sha256 && s.header().runbook.id == runbook.runbook.id
    })
}

fn page_message(title: &str, message: &str) -> Html {
    html! {
        <section class="page">
            <h1>{ title.to_owned() }</h1>
            <pre class="message" role="status">{ message.to_owned() }</pre>
            <p><Link<Route> to={Route::Library}>{ "Back to the library" }</Link<Route>></p>
        </section>
    }
}

#[derive(Clone, PartialEq, Properties)]
struct RunViewProps {
    handle: SessionHandle,
    /// Changes with every record, so the view re-renders exactly when the log grows.
    revision: usize,
}

#[component]
fn RunView(props: &RunViewProps) -> Html {
    let handle = props.handle.clone();
    let Some(session) = handle.session() else {
        return html! {};
    };
    let runbook = session.runbook();
    let state = session.state();
    let current = state.current;
    let count = runbook.steps.len();
    let step_id = |index: usize| runbook.steps.get(index).map(|s| s.id.clone());

    let go_to = {
        let handle = handle.clone();
        let ids: Vec<StepId> = runbook.steps.iter().map(|s| s.id.clone()).collect();
        Callback::from(move |index: usize| {
            if index != current {
                if let Some(id) = ids.get(index) {
                    handle.enter_step(id.clone());
                }
            }
        })
    };
    use_keyboard_navigation(go_to.clone(), current, count);

    let rows: Vec<StepRow> = runbook
        .steps
        .iter()
        .map(|s| {
            let (done, total) = state.step_progress(runbook, &s.id);
            StepRow {
                title: s.title.clone().into(),
                done,
                total,
            }
        })
        .collect();
    let notice = handle.notice().map(|message| {
        let handle = handle.clone();
        html! { <Notice message={message.to_owned()} on_dismiss={move |_| handle.dismiss_notice()} /> }
    });
    let step = &runbook.steps[current.min(count - 1)];
    let prev = (current > 0).then(|| step_id(current - 1)).flatten();
    let next = step_id(current + 1);

    html! {
        <section class="page run">
            <header class="run-header">
                <h1>{ runbook.title.clone() }</h1>
                <p class="meta">
                    <span class={classes!("kind", runbook.kind.label())}>{ runbook.kind.label() }</span>
                    <span class="version">{ format!("v{}", runbook.version) }</span>
                    <span class="session">{ format!("Session {}", state.session) }</span>
                </p>
                <ProgressMeter progress={state.progress(runbook)} />
                if !runbook.summary.is_empty() {
                    <details class="summary" open={current == 0}>
                        <summary>{ "About this runbook" }</summary>
                        <TextBlock text={runbook.summary.clone()} />
                    </details>
                }
            </header>
            { for notice }
            <div class="run-body">
                <StepList steps={rows} {current} on_select={go_to.clone()} />
                <article class="step" aria-labelledby="step-title">
                    { step_view(&session, step, current, count, &handle) }
                    <nav class="step-nav" aria-label="Previous and next step">
                        <button type="button" class="prev" disabled={prev.is_none()}
                            onclick={let go = go_to.clone(); move |_| go.emit(current.saturating_sub(1))}>
                            { "← Previous step" }
                        </button>
                        <button type="button" class="next" disabled={next.is_none()}
                            onclick={let go = go_to.clone(); move |_| go.emit(current + 1)}>
                            { "Next step →" }
                        </button>
                    </nav>
                </article>
            </div>
        </section>
    }
}

fn step_view(
    session: &Session,
    step: &Step,
    index: usize,
    count: usize,
    handle: &SessionHandle,
) -> Html {
    let state = session.state();
    let rows: Vec<ChecklistRow> = step
        .checklist
        .iter()
        .map(|item| ChecklistRow {
            id: item.id.clone(),
            text: item.text.clone().into(),
            required: item.required,
            evidence: item.evidence.clone().map(Into::into),
            checked: state.is_checked(&step.id, &item.id),
        })
        .collect();
    let on_toggle = {
        let handle = handle.clone();
        let step = step.id.clone();
        Callback::from(move |(item, checked)| {
            if checked {
                handle.check_item(step.clone(), item);
            } else {
                handle.uncheck_item(step.clone(), item);
            }
        })
    };
    let decision = step.decision.as_ref().map(|decision| {
        let options = decision.options.iter().map(|option| {
            let handle = handle.clone();
            let target = option.next.clone();
            let label = session
                .runbook()
                .step(&target)
                .map(|s| s.title.clone())
                .unwrap_or_default();
            html! {
                <li>
                    <button type="button" onclick={move |_| handle.enter_step(target.clone())}>
                        { option.label.clone() }
                    </button>
                    <span class="goes-to">{ format!(" → {label}") }</span>
                </li>
            }
        });
        html! {
            <div class="decision">
                <h3>{ decision.question.clone() }</h3>
                <ul>{ for options }</ul>
            </div>
        }
    });
    html! {
        <>
            <p class="step-position">{ format!("Step {} of {}", index + 1, count) }</p>
            <h2 id="step-title">{ step.title.clone() }</h2>
            <p class="meta">
                if let Some(role) = &step.role { <span class="role">{ role.clone() }</span> }
                if let Some(estimate) = &step.estimate { <span class="estimate">{ format!("about {estimate}") }</span> }
            </p>
            <TextBlock text={step.body.clone()} />
            <ChecklistView key_prefix={format!("item-{}", step.id)} {rows} {on_toggle} />
            { for decision }
        </>
    }
}

/// `j` / `k` for next / previous step, ignored while typing in a field.
#[hook]
fn use_keyboard_navigation(go_to: Callback<usize>, current: usize, count: usize) {
    use_effect_with((current, count), move |&(current, count)| {
        let listener = EventListener::new(&gloo::utils::document(), "keydown", move |event| {
            let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                return;
            };
            if event.ctrl_key() || event.meta_key() || event.alt_key() || is_typing(event) {
                return;
            }
            match event.key().as_str() {
                "j" if current + 1 < count => go_to.emit(current + 1),
                "k" if current > 0 => go_to.emit(current - 1),
                _ => {}
            }
        });
        move || drop(listener)
    });
}

fn is_typing(event: &KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<HtmlElement>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                && el.get_attribute("type").as_deref() != Some("checkbox")
        })
}
