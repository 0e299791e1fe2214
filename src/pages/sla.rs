//! The priority panel and SLA clocks of a running session.
//!
//! Impact and Urgency are chosen here (pre-filled from the runbook's defaults, confirmed by
//! the technician); the Priority comes from the core's matrix and is recorded as
//! `priority_set`, a change with a reason. The clocks are the core's `sla()` of the records at
//! `now`, re-read every second. [`SessionClock`] shows the same clocks in a strip on every
//! page while a session runs, and records a breach once, as it happens.

use std::rc::Rc;

use gloo::timers::callback::Interval;
use stepwise_core::drill::clock::format_drill_time;
use stepwise_core::drill::{due_injects, DrillClock};
use stepwise_core::priority::{sla, Standing, TargetView};
use stepwise_core::session::Delivery;
use stepwise_core::Timestamp;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::PriorityBadge;
use crate::hooks::{use_session, SessionHandle};
use crate::library::LoadedMatrix;
use crate::platform::{clock, focus};

#[derive(Clone, PartialEq, Properties)]
pub struct PriorityPanelProps {
    pub handle: SessionHandle,
    /// The matrix the session's header names, when this app has it.
    pub matrix: Option<Rc<LoadedMatrix>>,
    pub read_only: bool,
    /// Changes with every record.
    pub revision: usize,
}

#[component]
pub fn PriorityPanel(props: &PriorityPanelProps) -> Html {
    let now = use_state(clock::now);
    {
        let now = now.clone();
        use_effect_with((), move |_| {
            let tick = Interval::new(1_000, move || now.set(clock::now()));
            move || drop(tick)
        });
    }
    let impact = use_node_ref();
    let urgency = use_node_ref();
    let reason = use_node_ref();
    let handle = &props.handle;
    let session = handle.session();
    let view = match (&session, &props.matrix) {
        (Some(session), Some(matrix)) => sla(&matrix.matrix, session.state(), *now),
        _ => None,
    };
    let Some(session) = session else {
        return html! {};
    };
    let Some(matrix) = props.matrix.clone() else {
        return html! {
            <section class="sla" aria-label="Priority and SLA">
                <p class="hint">{ "No priority matrix is loaded for this session, so Priority and SLA clocks cannot be shown." }</p>
            </section>
        };
    };
    let state = session.state();
    let runbook = session.runbook();
    let current = state.priorities.last().cloned();
    let default_impact = current
        .as_ref()
        .map(|c| c.impact.clone())
        .or(runbook.impact.clone());
    let default_urgency = current
        .as_ref()
        .map(|c| c.urgency.clone())
        .or(runbook.urgency.clone());
    let onsubmit = {
        let (impact, urgency, reason, handle, matrix) = (
            impact.clone(),
            urgency.clone(),
            reason.clone(),
            handle.clone(),
            matrix.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let pick = |node: &NodeRef| {
                node.cast::<HtmlSelectElement>()
                    .map(|s| s.value())
                    .unwrap_or_default()
            };
            let why = reason
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .filter(|v| !v.trim().is_empty());
            handle.set_priority(&matrix, pick(&impact), pick(&urgency), why);
            // The form is rebuilt with the new Priority: keep focus on what was decided.
            focus::after_render(&["#priority-in-force"]);
        })
    };
    let levels = |levels: &[stepwise_core::priority::Level], chosen: &Option<String>| {
        levels
            .iter()
            .map(|l| html! { <option value={l.id.clone()} selected={chosen.as_ref() == Some(&l.id)}>{ l.label.clone() }</option> })
            .collect::<Html>()
    };
    let paused = state.is_paused();
    html! {
        <section class="sla" aria-label="Priority and SLA">
            if let Some(view) = &view {
                <p class="priority-in-force" id="priority-in-force" tabindex="-1" data-testid="priority-in-force">
                    <PriorityBadge id={view.priority.id.clone()} label={view.priority.label.clone()} colour={view.priority.colour.clone()} />
                    if paused { <span class="hint">{ " · clock paused (waiting on customer)" }</span> }
                </p>
                <ul class="clocks" aria-live="polite">
                    { clock_row("First response", view.response, *now, "response") }
                    { clock_row("Resolution", view.resolution, *now, "resolution") }
                </ul>
            } else {
                <p class="hint" data-testid="priority-in-force">{ "No Priority yet: confirm Impact and Urgency." }</p>
            }
            if !props.read_only {
                <form class="priority-form" {onsubmit} key={format!("{}-{}", props.revision, current.is_some())}>
                    <label for="sla-impact">{ "Impact" }</label>
                    <select id="sla-impact" ref={impact}>{ levels(&matrix.matrix.impact, &default_impact) }</select>
                    <label for="sla-urgency">{ "Urgency" }</label>
                    <select id="sla-urgency" ref={urgency}>{ levels(&matrix.matrix.urgency, &default_urgency) }</select>
                    if current.is_some() {
                        <label for="sla-reason">{ "Reason for the change" }</label>
                        <input id="sla-reason" type="text" ref={reason} />
                    }
                    <button type="submit">{ if current.is_some() { "Change priority" } else { "Confirm priority" } }</button>
                </form>
                if current.is_some() {
                    <p class="session-actions">
                        if state.responded.is_none() {
                            <button type="button" onclick={let h = handle.clone(); move |_| h.mark_responded()}>{ "Mark first response given" }</button>
                        }
                        if paused {
                            <button type="button" onclick={let h = handle.clone(); move |_| h.resume_sla()}>{ "Resume clock" }</button>
                        } else {
                            <button type="button" onclick={let h = handle.clone(); move |_| h.pause_sla("Waiting on customer".to_owned())}>{ "Waiting on customer (pause clock)" }</button>
                        }
                    </p>
                }
            }
        </section>
    }
}

fn clock_row(label: &str, target: TargetView, now: Timestamp, id: &str) -> Html {
    let (class, words) = standing_words(target);
    let due = match target.due {
        Some(due) if target.met.is_none() => {
            let left = (due.unix_millis() - now.unix_millis()) / 60_000;
            if left >= 0 {
                format!("due {} (in {} min)", short(due), left)
            } else {
                format!("was due {} ({} min ago)", short(due), -left)
            }
        }
        Some(due) => format!("due {}", short(due)),
        None => "paused".to_owned(),
    };
    html! {
        <li class={classes!("clock", class)} data-testid={format!("clock-{id}")}>
            <strong>{ label.to_owned() }</strong>{ format!(": {due} — {words}") }
        </li>
    }
}

/// The CSS class and the words for where a target stands.
fn standing_words(target: TargetView) -> (&'static str, String) {
    match (target.met, target.standing) {
        (Some(at), Standing::Breached) => ("breached", format!("met late at {}", short(at))),
        (Some(at), _) => ("met", format!("met at {}", short(at))),
        (None, Standing::Breached) => ("breached", "BREACHED".to_owned()),
        (None, Standing::Warning) => ("warning", "over 75% used".to_owned()),
        (None, Standing::Ok) => ("ok", "on track".to_owned()),
    }
}

/// The session's SLA on every page while it runs: the Priority, each clock's time left and
/// standing, and the way back to the session. Mounted once under the top bar, it is also
/// where a breach is recorded (`sla_breached`, once per target) as it happens, whichever
/// page is on screen. Its clock ticks only while a session is open, and starts afresh for
/// each session.
#[component]
pub fn SessionClock() -> Html {
    let handle = use_session();
    let running = handle.as_ref().and_then(|h| {
        h.session()
            .filter(|s| !s.state().is_closed())
            .map(|s| s.header().session.to_string())
    });
    match (handle, running) {
        (Some(handle), Some(id)) => {
            let key = id.clone();
            html! { <ClockStrip {key} {handle} {id} /> }
        }
        _ => html! {},
    }
}

#[derive(Clone, PartialEq, Properties)]
struct ClockStripProps {
    handle: SessionHandle,
    /// The open session's id.
    id: String,
}

#[component]
fn ClockStrip(props: &ClockStripProps) -> Html {
    let route = use_route::<Route>();
    let now = use_state(clock::now);
    {
        let now = now.clone();
        use_effect_with((), move |_| {
            let tick = Interval::new(1_000, move || now.set(clock::now()));
            move || drop(tick)
        });
    }
    let handle = &props.handle;
    let session = handle.session();
    let matrix = handle.matrix();
    let may_write = handle.writer().may_write();
    let view = match (&session, &matrix) {
        (Some(session), Some(matrix)) => sla(&matrix.matrix, session.state(), *now),
        _ => None,
    };
    // Targets breached now and not recorded yet; recording one empties this list for it.
    let breaches: Vec<&'static str> = match (&session, &view) {
        (Some(session), Some(v)) if may_write && !session.state().is_closed() => {
            [("response", v.response), ("resolution", v.resolution)]
                .into_iter()
                .filter(|(name, t)| {
                    t.standing == Standing::Breached
                        && t.met.is_none()
                        && !session.state().breaches.contains(*name)
                })
                .map(|(name, _)| name)
                .collect()
        }
        _ => Vec::new(),
    };
    {
        let handle = handle.clone();
        use_effect_with(breaches, move |breaches| {
            for target in breaches {
                handle.record_breach(target);
            }
        });
    }
    // A drill's injects that fall due now are delivered here, whichever page is on screen.
    let scenario = handle.scenario();
    let due: Vec<String> = match (&session, &scenario) {
        (Some(session), Some(scenario)) if may_write => {
            due_injects(&scenario.scenario, session.state(), *now)
                .into_iter()
                .map(|i| i.id.clone())
                .collect()
        }
        _ => Vec::new(),
    };
    {
        let handle = handle.clone();
        use_effect_with(due, move |due| {
            for inject in due {
                handle.deliver_inject(inject, Delivery::Schedule);
            }
        });
    }
    let Some(session) = session else {
        return html! {};
    };
    let drill = session.header().is_drill().then(|| {
        let clock = DrillClock::of(session.state());
        let time = match clock {
            None => "briefing".to_owned(),
            Some(c) if c.is_paused() => format!("{} (paused)", format_drill_time(c.elapsed(*now))),
            Some(c) => format_drill_time(c.elapsed(*now)),
        };
        html! {
            <>
                <span class="drill-badge" data-testid="strip-drill">{ "DRILL" }</span>
                <span data-testid="drill-clock">{ format!("Drill clock {time}") }</span>
            </>
        }
    });
    let on_session_page = route
        == Some(Route::Session {
            id: props.id.clone(),
        });
    let clocks = match &view {
        Some(view) => html! {
            <>
                <PriorityBadge id={view.priority.id.clone()} label={view.priority.label.clone()} colour={view.priority.colour.clone()} testid="strip-priority" />
                { strip_clock("First response", view.response, *now, "response") }
                { strip_clock("Resolution", view.resolution, *now, "resolution") }
            </>
        },
        None if matrix.is_none() => {
            html! { <span class="hint">{ "no priority matrix loaded" }</span> }
        }
        None => {
            html! { <span class="hint" data-testid="strip-priority">{ "No Priority yet" }</span> }
        }
    };
    html! {
        <section class={classes!("session-clock", drill.is_some().then_some("drill"))} aria-label="SLA of the running session" data-testid="session-clock">
            { for drill }
            <span class="strip-title">{ session.runbook().title.clone() }</span>
            { clocks }
            if !on_session_page {
                <Link<Route> to={Route::Session { id: props.id.clone() }}>{ "Back to the session" }</Link<Route>>
            }
        </section>
    }
}

/// One clock of the strip: time left (hours and minutes), and its standing in words.
fn strip_clock(label: &str, target: TargetView, now: Timestamp, id: &str) -> Html {
    let (class, words) = standing_words(target);
    let left = match target.due {
        _ if target.met.is_some() => String::new(),
        None => " paused".to_owned(),
        Some(due) => {
            let minutes = (due.unix_millis() - now.unix_millis()) / 60_000;
            if minutes >= 0 {
                format!(" {} left", hours_minutes(minutes))
            } else {
                format!(" {} over", hours_minutes(-minutes))
            }
        }
    };
    html! {
        <span class={classes!("clock", class)} data-testid={format!("strip-{id}")}>
            <strong>{ label.to_owned() }</strong>{ format!("{left} — ") }
            <span aria-live="polite">{ words }</span>
        </span>
    }
}

/// `3 h 05 min`, or `12 min` under an hour.
fn hours_minutes(minutes: i64) -> String {
    if minutes < 60 {
        format!("{minutes} min")
    } else {
        format!("{} h {:02} min", minutes / 60, minutes % 60)
    }
}

/// `2026-12-03 14:05 UTC`: minutes are what a technician reads.
fn short(at: Timestamp) -> String {
    let text = at.to_string();
    format!("{} {} UTC", &text[..10], &text[11..16])
}
