//! The run page: one runbook's steps, the current step's checklist, progress, and
//! previous/next. Every change goes through the session's intent methods; what is shown is
//! derived from the core's state on each render.
//!
//! Keyboard: `j`/`k` move between items, `x` toggles, `s` skips with a reason, `n` writes a
//! note, `]`/`[` change step, `?` lists them; checkboxes and buttons are native, so Tab,
//! Space and Enter work as everywhere.

use gloo::events::{EventListener, EventListenerOptions};
use stepwise_core::priority::Matrix;
use stepwise_core::runbook::Step;
use stepwise_core::session::{DeviationKind, Session, Status};
use stepwise_core::{ItemId, StepId};
use wasm_bindgen::JsCast;
use web_sys::{
    HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement, KeyboardEvent,
};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::{
    ChecklistRow, ChecklistView, InputRow, InputsPanel, Notice, ProgressMeter, StepList, StepRow,
    TextBlock,
};
use crate::hooks::{use_library, use_session, LibraryHandle, LibraryStatus, SessionHandle};
use crate::library::{Loadable, LoadedRunbook};
use crate::pages::drill::DrillPanel;
use crate::pages::sla::PriorityPanel;
use crate::pages::{EvidencePanel, IdentityForm};
use crate::platform::focus;
use crate::state::{Saving, Writer};

/// Where the runbook of a run page comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Library,
    /// Opened from disk in this tab.
    Local,
    /// A drill: the page's id is the scenario's, which names a library runbook.
    Drill,
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

/// Starts a new session of the runbook and moves to its own address, `#/session/<id>`, so a
/// reload resumes that session instead of starting another.
#[component]
pub fn RunPage(props: &RunPageProps) -> Html {
    let library = use_library();
    let session = use_session();
    let navigator = use_navigator();
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
            (_, Some(Loadable::Loading)) => Found::Loading,
            (_, Some(Loadable::Broken(message))) => Found::Broken(message),
            (_, Some(Loadable::Ready(runbook))) => Found::Ready(runbook),
        },
        (Some(library), Source::Drill) => drill_runbook(library, &props.id),
    };
    let scenario = match (&library, props.source) {
        (Some(library), Source::Drill) => library.scenario(&props.id),
        _ => None,
    };
    let identity = session.as_ref().and_then(|h| h.identity());
    let matrix = library
        .as_ref()
        .and_then(|l| l.matrix.clone())
        .and_then(Result::ok);
    {
        let runbook = match &found {
            Found::Ready(runbook) => Some(runbook.clone()),
            _ => None,
        };
        // The header names the signing key, so the session starts once the key has loaded
        // (or failed to: then the session runs, and export says why it cannot sign).
        let key_settled = session.as_ref().is_some_and(|h| h.key().is_some());
        let key = (
            runbook.as_ref().map(|r| r.sha256),
            identity.is_some() && key_settled,
        );
        let session = session.clone();
        use_effect_with(key, move |&(_, ready)| {
            if let (Some(handle), Some(runbook), true) = (session, runbook, ready) {
                if let (Some(id), Some(navigator)) =
                    (handle.start(&runbook, matrix, scenario), navigator)
                {
                    navigator.replace(&Route::Session { id });
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
        Found::Ready(_) if identity.is_none() => html! {
            <section class="page">
                <h1>{ "Who is working on this?" }</h1>
                <p>{ "Every record of the session names the technician who acted. Set your name once for this browser." }</p>
                <IdentityForm {handle} />
            </section>
        },
        Found::Ready(_) => page_message("Starting", "Starting the session…"),
    }
}

/// The library runbook a drill scenario names, checked against the version it pins.
fn drill_runbook(library: &LibraryHandle, id: &str) -> Found {
    let LibraryStatus::Ready(loaded) = &library.status else {
        return match &library.status {
            LibraryStatus::Failed(message) => Found::Missing(format!(
                "The runbook library could not be loaded.\n{message}"
            )),
            _ => Found::Loading,
        };
    };
    let scenario = match loaded.drill(id).map(|d| d.scenario.clone()) {
        None => return Found::Missing(format!("The library has no drill with id `{id}`.")),
        Some(Loadable::Loading) => return Found::Loading,
        Some(Loadable::Broken(message)) => return Found::Broken(message),
        Some(Loadable::Ready(scenario)) => scenario,
    };
    let pin = &scenario.scenario.runbook;
    match library.bundled(pin.id.as_str()) {
        None => Found::Missing(format!(
            "Drill `{id}` is of runbook `{}`, which the library does not have.",
            pin.id
        )),
        Some(Loadable::Loading) => Found::Loading,
        Some(Loadable::Broken(message)) => Found::Broken(message),
        Some(Loadable::Ready(runbook)) => match &pin.version {
            Some(version) if *version != runbook.runbook.version => Found::Broken(format!(
                "Drill `{id}` was written for version {version} of `{}`, but the library has version {}.",
                pin.id, runbook.runbook.version
            )),
            _ => Found::Ready(runbook),
        },
    }
}

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct SessionPageProps {
    pub id: String,
}

/// One session, resumed from storage when it is not the one in memory.
#[component]
pub fn SessionPage(props: &SessionPageProps) -> Html {
    let session = use_session();
    let error = use_state(|| None::<String>);
    let is_current = session
        .as_ref()
        .and_then(|h| h.session().map(|s| s.header().session.as_str() == props.id))
        .unwrap_or(false);
    {
        let (session, error) = (session.clone(), error.clone());
        let settled = session.as_ref().is_some_and(|h| h.is_storage_settled());
        use_effect_with(
            (props.id.clone(), settled, is_current),
            move |(id, settled, is_current)| {
                if let (Some(handle), true, false) = (session, *settled, *is_current) {
                    let id = id.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Err(message) = handle.resume(&id).await {
                            error.set(Some(message));
                        }
                    });
                }
            },
        );
    }
    let Some(handle) = session else {
        return page_message("Internal error", "The session provider is missing.");
    };
    if let Some(message) = &*error {
        return page_message("This session cannot be opened", message);
    }
    let revision = handle.session().map(|s| s.lines().len());
    match revision {
        Some(revision) if is_current => {
            let local = handle.runbook().is_some_and(|r| r.local);
            html! {
                <>
                    if local {
                        <p class="banner local" role="note">{ "Opened from a file: this runbook is not in the library." }</p>
                    }
                    <RunView handle={handle.clone()} {revision} />
                </>
            }
        }
        _ => page_message("Loading", "Loading the session…"),
    }
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
    let path = state.path(runbook);
    let current = state.current;
    let closed = state.is_closed();
    // The matrix the header names, if the library's is that one.
    // The matrix the header names: kept with the session, so a later change of the
    // library's matrix does not take this session's clocks away.
    let matrix = handle.matrix();
    let writer = handle.writer();
    let read_only = closed || !writer.may_write();

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
    let prev = path.neighbour(current, false);
    let next = path.neighbour(current, true);
    let help = use_state(|| false);
    use_keyboard(go_to.clone(), prev, next, help.clone());
    // After moving to another step, focus its title so the next Tab starts there.
    use_effect_with(current, |_| {
        focus::move_to("#step-title");
    });

    let rows: Vec<StepRow> = path
        .steps
        .iter()
        .map(|&index| {
            let s = &runbook.steps[index];
            let (done, total) = state.step_progress(runbook, &s.id);
            StepRow {
                index,
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
    let inputs: Vec<InputRow> = runbook
        .inputs
        .iter()
        .map(|i| InputRow {
            id: i.id.clone().into(),
            label: i.label.clone().into(),
            kind: i.kind.label(),
            options: i.options.iter().cloned().map(Into::into).collect(),
            required: i.required,
            help: i.help.clone().map(Into::into),
            value: state.inputs.get(&i.id).cloned().map(Into::into),
        })
        .collect();
    let on_set_input = {
        let handle = handle.clone();
        Callback::from(move |(input, value)| handle.set_input(input, value))
    };
    let step = &runbook.steps[current.min(runbook.steps.len() - 1)];
    let off_path = !path.contains(current);
    let at_end = next.is_none() && path.pending.is_none() && !off_path;
    let is_drill = session.header().is_drill();
    let drill_panel = html! {
        if is_drill {
            <DrillPanel handle={handle.clone()} revision={props.revision} {read_only} />
        }
    };
    // Before a drill's briefing ends nothing else can be recorded: the page is the briefing.
    if state.drill.as_ref().is_some_and(|d| d.started.is_none()) && !closed {
        return html! {
            <section class="page run">
                <header class="run-header">
                    <h1>{ runbook.title.clone() }</h1>
                    { drill_panel }
                </header>
                { writer_banner(&writer, &handle) }
                { for notice }
            </section>
        };
    }

    html! {
        <section class="page run">
            <header class="run-header">
                <h1>{ runbook.title.clone() }</h1>
                { drill_panel }
                <p class="meta">
                    <span class={classes!("kind", runbook.kind.label())}>{ runbook.kind.label() }</span>
                    <span class="version">{ format!("v{}", runbook.version) }</span>
                    <span class="session">{ format!("Session {}", state.session) }</span>
                </p>
                <ProgressMeter progress={state.progress(runbook)} />
                <PriorityPanel handle={handle.clone()} matrix={matrix.clone()} {read_only} revision={props.revision} />
                { status_banner(&state.status) }
                if !runbook.summary.is_empty() {
                    <details class="summary" open={current == 0}>
                        <summary>{ "About this runbook" }</summary>
                        <TextBlock text={runbook.summary.clone()} />
                    </details>
                }
                <InputsPanel rows={inputs} {read_only} on_set={on_set_input} />
                <DeviationsPanel handle={handle.clone()} count={state.deviations.len()} />
                { speed_codes(&session, &handle, matrix.as_ref().map(|m| &m.matrix), read_only) }
                <p class="session-actions">
                    if !read_only {
                        <button type="button" onclick={let h = handle.clone(); move |_| h.export_handover()}>
                            { "Hand over to a colleague (save file)" }
                        </button>
                    }
                    <button type="button" onclick={let h = handle.clone(); move |_| h.export_time_entries()}>
                        { "Export time entries (CSV)" }
                    </button>
                    if !read_only {
                        <button type="button" data-testid="export-signed" onclick={let h = handle.clone(); move |_| h.export_signed()}>
                            { "Export signed log" }
                        </button>
                    }
                </p>
                <EvidencePanel handle={handle.clone()} exported={handle.exported()} />
            </header>
            { writer_banner(&writer, &handle) }
            if *help {
                <div class="shortcuts" role="dialog" aria-label="Keyboard shortcuts" data-testid="shortcuts">
                    <h2>{ "Keyboard shortcuts" }</h2>
                    <dl>{ for SHORTCUTS.iter().map(|(keys, what)| html! { <><dt><kbd>{ *keys }</kbd></dt><dd>{ *what }</dd></> }) }</dl>
                    <button type="button" onclick={let h = help.clone(); move |_| h.set(false)}>{ "Close (Esc)" }</button>
                </div>
            }
            { for notice }
            <div class="run-body">
                <StepList steps={rows} {current} pending={path.pending.is_some()} on_select={go_to.clone()} />
                <article class="step" aria-labelledby="step-title">
                    if off_path {
                        <p class="banner" role="note">{ "This step is not on the path taken so far." }</p>
                    }
                    { step_view(&session, step, &handle, read_only) }
                    <NotesPanel step={step.id.clone()} notes={notes_of(&session, &step.id)} {read_only} handle={handle.clone()} />
                    <nav class="step-nav" aria-label="Previous and next step">
                        <button type="button" class="prev" disabled={prev.is_none()}
                            onclick={let go = go_to.clone(); move |_| if let Some(p) = prev { go.emit(p) }}>
                            { "← Previous step" }
                        </button>
                        <button type="button" class="next" disabled={next.is_none()}
                            onclick={let go = go_to.clone(); move |_| if let Some(n) = next { go.emit(n) }}>
                            { "Next step →" }
                        </button>
                    </nav>
                    if at_end && !read_only {
                        <FinishPanel handle={handle.clone()} ready={state.ready_to_complete(runbook).err().map(|e| AttrValue::from(e.to_string()))} />
                    }
                </article>
            </div>
        </section>
    }
}

/// Says when another tab records this session, and offers to take it over here.
fn writer_banner(writer: &Writer, handle: &SessionHandle) -> Html {
    match writer {
        Writer::ReadOnly => {
            let handle = handle.clone();
            html! {
                <div class="banner read-only" role="alert" data-testid="read-only">
                    <p>{ "This session is open in another tab, which records its actions. Here it is read-only, so the record stays one chain." }</p>
                    <button type="button" onclick={move |_| handle.take_over()}>{ "Take over here" }</button>
                </div>
            }
        }
        Writer::Unguarded(why) => html! {
            <p class="banner" role="note">{ format!("Opening this session in a second tab cannot be prevented here ({why}); use one tab.") }</p>
        },
        Writer::Unknown | Writer::Writing => html! {},
    }
}

/// The runbook's messages, filled in from the session; one click copies and records it.
fn speed_codes(
    session: &Session,
    handle: &SessionHandle,
    matrix: Option<&Matrix>,
    read_only: bool,
) -> Html {
    let codes = &session.runbook().speed_codes;
    if codes.is_empty() {
        return html! {};
    }
    let rows = codes.iter().map(|code| {
        let Some(filled) = handle.speed_code(&code.id, matrix) else { return html! {} };
        let copy = {
            let (handle, id, matrix) = (handle.clone(), code.id.clone(), matrix.cloned());
            move |_| handle.copy_speed_code(id.clone(), matrix.as_ref())
        };
        html! {
            <li class="speed-code" key={code.id.clone()}>
                <h3>{ code.title.clone() }
                    if let Some(audience) = &code.audience { <span class="hint">{ format!(" ({audience})") }</span> }
                </h3>
                <pre>{ filled.text.clone() }</pre>
                if !filled.missing.is_empty() {
                    <p class="hint" role="note">{ format!("Not set yet: {}", filled.missing.join(", ")) }</p>
                }
                <button type="button" disabled={read_only} onclick={copy}>{ format!("Copy “{}”", code.title) }</button>
            </li>
        }
    });
    html! {
        <details class="speed-codes" data-testid="speed-codes">
            <summary>{ format!("Messages ({})", codes.len()) }</summary>
            <ul>{ for rows }</ul>
        </details>
    }
}

#[derive(Clone, PartialEq, Properties)]
struct DeviationsPanelProps {
    handle: SessionHandle,
    count: usize,
}

/// Skips and out-of-order checks, listed because auditors ask for them. The list is built
/// only while the panel is open: a long session has thousands, and every action re-renders
/// this page.
#[component]
fn DeviationsPanel(props: &DeviationsPanelProps) -> Html {
    let open = use_state(|| false);
    if props.count == 0 {
        return html! {};
    }
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let details: web_sys::Element = e.target_unchecked_into();
            open.set(details.has_attribute("open"));
        })
    };
    let rows = (*open)
        .then(|| props.handle.session())
        .flatten()
        .map(|session| {
            session
                .state()
                .deviations
                .iter()
                .map(|d| {
                    let text = match &d.kind {
                        DeviationKind::Skipped { step, item, reason } => {
                            format!("record {}: `{item}` in `{step}` skipped: {reason}", d.seq)
                        }
                        DeviationKind::OutOfOrder { step, item } => format!(
                            "record {}: `{item}` in `{step}` checked before the path reached it",
                            d.seq
                        ),
                    };
                    html! { <li>{ text }</li> }
                })
                .collect::<Html>()
        });
    html! {
        <details class="deviations" data-testid="deviations" {ontoggle} open={*open}>
            <summary>{ format!("Deviations ({})", props.count) }</summary>
            if let Some(rows) = rows {
                <ul>{ rows }</ul>
            }
        </details>
    }
}

fn status_banner(status: &Status) -> Html {
    match status {
        Status::InProgress => html! {},
        Status::Completed { outcome, summary } => html! {
            <p class="banner done" role="status" data-testid="status">
                { format!("Completed ({outcome}): {summary}") }
            </p>
        },
        Status::Abandoned { reason } => html! {
            <p class="banner abandoned" role="status" data-testid="status">{ format!("Abandoned: {reason}") }</p>
        },
    }
}

fn notes_of(session: &Session, step: &StepId) -> Vec<AttrValue> {
    session
        .state()
        .notes
        .iter()
        .filter(|(_, s, _)| s.as_ref() == Some(step))
        .map(|(_, _, text)| text.clone().into())
        .collect()
}

fn step_view(session: &Session, step: &Step, handle: &SessionHandle, read_only: bool) -> Html {
    let state = session.state();
    let index = session.runbook().step_index(&step.id).unwrap_or_default();
    let rows: Vec<ChecklistRow> = step
        .checklist
        .iter()
        .map(|item| ChecklistRow {
            id: item.id.clone(),
            text: item.text.clone().into(),
            required: item.required,
            evidence_prompt: item.evidence.clone().map(Into::into),
            evidence: state
                .evidence(&step.id, &item.id)
                .map(|e| AttrValue::from(e.to_owned())),
            checked: state.is_checked(&step.id, &item.id),
            done: state.is_done(step, item),
            skipped: state
                .skip_reason(&step.id, &item.id)
                .map(|r| AttrValue::from(r.to_owned())),
            saving: state
                .last_change(&step.id, &item.id)
                .filter(|&seq| seq as usize >= handle.persisted())
                .map(|_| match handle.saving() {
                    Saving::Failed(_) => AttrValue::from("not saved"),
                    _ => AttrValue::from("saving…"),
                }),
        })
        .collect();
    let with_step = |f: fn(&SessionHandle, StepId, ItemId, String)| {
        let handle = handle.clone();
        let step = step.id.clone();
        Callback::from(move |(item, text): (ItemId, String)| f(&handle, step.clone(), item, text))
    };
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
        let chosen = state.decisions.get(&step.id);
        let options = decision.options.iter().map(|option| {
            let handle = handle.clone();
            let step_id = step.id.clone();
            let id = option.id.clone();
            let is_chosen = chosen == Some(&option.id);
            let target = session.runbook().step(&option.next).map(|s| s.title.clone()).unwrap_or_default();
            html! {
                <li>
                    <button type="button" class={classes!(is_chosen.then_some("chosen"))}
                        aria-pressed={is_chosen.to_string()} disabled={read_only}
                        onclick={move |_| handle.decide(step_id.clone(), id.clone())}>
                        { option.label.clone() }
                    </button>
                    <span class="goes-to">{ format!(" → {target}") }</span>
                </li>
            }
        });
        html! {
            <div class="decision" role="group" aria-labelledby="decision-question">
                <h3 id="decision-question">{ decision.question.clone() }</h3>
                <ul>{ for options }</ul>
                if chosen.is_none() { <p class="hint">{ "The path continues once this is decided." }</p> }
            </div>
        }
    });
    html! {
        <>
            <p class="step-position">{ format!("Step {} of {}", index + 1, session.runbook().steps.len()) }</p>
            <h2 id="step-title" tabindex="-1">{ step.title.clone() }</h2>
            <p class="meta">
                if let Some(role) = &step.role { <span class="role">{ role.clone() }</span> }
                if let Some(estimate) = &step.estimate { <span class="estimate">{ format!("about {estimate}") }</span> }
            </p>
            <TextBlock text={step.body.clone()} />
            <ChecklistView key_prefix={format!("item-{}", step.id)} {rows} {read_only} {on_toggle}
                on_evidence={with_step(|h, s, i, v| h.set_evidence(s, i, v))}
                on_skip={with_step(|h, s, i, r| h.skip_item(s, i, r))} />
            { for decision }
        </>
    }
}

#[derive(Clone, PartialEq, Properties)]
struct NotesPanelProps {
    step: StepId,
    notes: Vec<AttrValue>,
    read_only: bool,
    handle: SessionHandle,
}

/// Free-text notes on the current step, each one a `note` record.
#[component]
fn NotesPanel(props: &NotesPanelProps) -> Html {
    let field = use_node_ref();
    let onsubmit = {
        let field = field.clone();
        let handle = props.handle.clone();
        let step = props.step.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(area) = field.cast::<HtmlTextAreaElement>() {
                handle.add_note(Some(step.clone()), area.value());
                area.set_value("");
            }
        })
    };
    html! {
        <section class="notes" aria-label="Notes on this step">
            if !props.notes.is_empty() {
                <ul>{ for props.notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul>
            }
            if !props.read_only {
                <form {onsubmit}>
                    <label for="note-text">{ "Add a note to this step" }</label>
                    <textarea id="note-text" ref={field} rows="2" />
                    <button type="submit">{ "Add note" }</button>
                </form>
            }
        </section>
    }
}

#[derive(Clone, PartialEq, Properties)]
struct FinishPanelProps {
    handle: SessionHandle,
    /// Why the session cannot complete yet, if it cannot.
    ready: Option<AttrValue>,
}

/// Completing (outcome and summary) or abandoning (reason) the session.
#[component]
fn FinishPanel(props: &FinishPanelProps) -> Html {
    let outcome = use_node_ref();
    let summary = use_node_ref();
    let reason = use_node_ref();
    let on_complete = {
        let (outcome, summary, handle) = (outcome.clone(), summary.clone(), props.handle.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let chosen = outcome
                .cast::<HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            let text = summary
                .cast::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            handle.complete(chosen, text);
        })
    };
    let on_abandon = {
        let (reason, handle) = (reason.clone(), props.handle.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            handle.abandon(
                reason
                    .cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default(),
            );
        })
    };
    html! {
        <section class="finish" aria-labelledby="finish-heading">
            <h3 id="finish-heading">{ "Finish" }</h3>
            if let Some(why) = &props.ready { <p class="hint" role="note">{ why.clone() }</p> }
            <form onsubmit={on_complete}>
                <label for="outcome">{ "Outcome" }</label>
                <select id="outcome" ref={outcome}>
                    { for ["resolved", "workaround", "escalated", "no fault found"].into_iter().enumerate().map(|(i, o)| html! {
                        <option value={o} selected={i == 0}>{ o }</option>
                    }) }
                </select>
                <label for="summary">{ "Summary for the ticket" }</label>
                <textarea id="summary" ref={summary} rows="3" />
                <button type="submit" disabled={props.ready.is_some()}>{ "Complete session" }</button>
            </form>
            <form onsubmit={on_abandon} class="abandon">
                <label for="abandon-reason">{ "Or abandon it, with a reason" }</label>
                <input id="abandon-reason" type="text" ref={reason} />
                <button type="submit">{ "Abandon session" }</button>
            </form>
        </section>
    }
}

/// The keyboard shortcuts, as the `?` panel lists them.
const SHORTCUTS: &[(&str, &str)] = &[
    ("j / k", "next / previous checklist item"),
    ("x", "check or uncheck the item"),
    ("s", "skip the item, with a reason"),
    ("n", "write a note on this step"),
    ("] / [", "next / previous step"),
    ("?", "show or hide this list"),
];

/// Keyboard-first work on the run page. Ignored while typing in a field, so `n` in a note is
/// a letter. Items are the step's native checkboxes, so the browser keeps focus visible.
#[hook]
fn use_keyboard(
    go_to: Callback<usize>,
    prev: Option<usize>,
    next: Option<usize>,
    help: UseStateHandle<bool>,
) {
    use_effect_with((prev, next), move |&(prev, next)| {
        let options = EventListenerOptions::enable_prevent_default();
        let listener = EventListener::new_with_options(
            &gloo::utils::document(),
            "keydown",
            options,
            move |event| {
                let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                if event.ctrl_key() || event.meta_key() || event.alt_key() || is_typing(event) {
                    return;
                }
                let handled = match event.key().as_str() {
                    "j" => move_focus(1),
                    "k" => move_focus(-1),
                    "x" => focused_item().map(|item| item.click()).is_some(),
                    "s" => skip_focused(),
                    "n" => focus::move_to("#note-text"),
                    "]" => next.map(|n| go_to.emit(n)).is_some(),
                    "[" => prev.map(|p| go_to.emit(p)).is_some(),
                    "?" => {
                        help.set(!*help);
                        true
                    }
                    "Escape" if *help => {
                        help.set(false);
                        true
                    }
                    _ => false,
                };
                if handled {
                    event.prevent_default();
                }
            },
        );
        move || drop(listener)
    });
}

fn checkboxes() -> Vec<HtmlElement> {
    let Ok(list) = gloo::utils::document().query_selector_all(".checklist input[type=checkbox]")
    else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        .collect()
}

fn focused_item() -> Option<HtmlElement> {
    let active = gloo::utils::document().active_element()?;
    checkboxes()
        .into_iter()
        .find(|c| c.is_same_node(Some(&active)))
}

/// Moves focus `by` items, starting at the first item when none has focus.
fn move_focus(by: i32) -> bool {
    let boxes = checkboxes();
    if boxes.is_empty() {
        return false;
    }
    let active = gloo::utils::document().active_element();
    let at = boxes
        .iter()
        .position(|c| active.as_ref().is_some_and(|a| c.is_same_node(Some(a))));
    let target = match at {
        Some(at) => (at as i32 + by).clamp(0, boxes.len() as i32 - 1) as usize,
        None => 0,
    };
    boxes[target].focus().is_ok()
}

/// Opens the focused item's skip form and puts the cursor in its reason field.
fn skip_focused() -> bool {
    let Some(item) = focused_item() else {
        return false;
    };
    let Some(row) = item.closest("li").ok().flatten() else {
        return false;
    };
    let Some(button) = row
        .query_selector(".link-button")
        .ok()
        .flatten()
        .and_then(|b| b.dyn_into::<HtmlElement>().ok())
    else {
        return false;
    };
    // The form opens with the cursor in its reason (the item row's effect).
    button.click();
    true
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
