//! A drill on the run page: the DRILL banner, the briefing before the clock starts, the
//! injects the trainee must acknowledge, and the trainer panel (pause the drill clock,
//! deliver an inject now).
//!
//! When an inject falls due is the core's (`drill::due_injects`); delivering on schedule
//! happens in the SLA strip (`sla.rs`), which is mounted on every page. This panel shows
//! what the records say and dispatches the trainee's and the trainer's intents.

use std::rc::Rc;

use stepwise_core::drill::clock::format_drill_time;
use stepwise_core::drill::{DrillClock, Inject};
use stepwise_core::session::{Delivery, DrillState};
use yew::prelude::*;

use crate::components::TextBlock;
use crate::hooks::SessionHandle;
use crate::library::LoadedScenario;
use crate::platform::focus;

#[derive(Clone, PartialEq, Properties)]
pub struct DrillPanelProps {
    pub handle: SessionHandle,
    /// Changes with every record.
    pub revision: usize,
    pub read_only: bool,
}

#[component]
pub fn DrillPanel(props: &DrillPanelProps) -> Html {
    let handle = &props.handle;
    let Some(session) = handle.session() else {
        return html! {};
    };
    let header = session.header();
    let Some(drill) = session.state().drill.clone() else {
        return html! {};
    };
    let Some(scenario) = handle.scenario() else {
        let named = header
            .scenario
            .as_ref()
            .map_or("none".to_owned(), |s| format!("{} ({})", s.id, s.sha256));
        return html! {
            <>
                { banner("this drill") }
                <p class="error" role="alert">{ format!("The scenario of this drill ({named}) is not available in this browser, so its briefing and injects cannot be shown.") }</p>
            </>
        };
    };
    let title = scenario.scenario.title.clone();
    if drill.started.is_none() {
        let begin = {
            let handle = handle.clone();
            Callback::from(move |_: MouseEvent| {
                handle.begin_drill();
                focus::after_render(&["#step-title"]);
            })
        };
        return html! {
            <>
                { banner(&title) }
                <section class="briefing" aria-labelledby="briefing-title" data-testid="briefing">
                    <h2 id="briefing-title">{ "Briefing" }</h2>
                    <TextBlock text={scenario.scenario.briefing.clone()} />
                    if !props.read_only {
                        <p><button type="button" class="primary" onclick={begin}>{ "Start the drill" }</button></p>
                        <p class="hint">{ "The drill clock starts when you press it; the scenario's inputs and priority are filled in then." }</p>
                    }
                </section>
            </>
        };
    }
    let pending: Vec<&Inject> = scenario
        .scenario
        .injects
        .iter()
        .filter(|i| drill.delivered.contains_key(&i.id) && !drill.acknowledged.contains_key(&i.id))
        .collect();
    html! {
        <>
            { banner(&title) }
            // Each inject is its own role="alert": announced once, when it arrives.
            <div class="injects" data-testid="injects">
                { for pending.into_iter().map(|inject| inject_card(inject, handle, props.read_only)) }
            </div>
            <TrainerPanel handle={handle.clone()} scenario={scenario.clone()} drill={Rc::new(drill)} read_only={props.read_only} />
        </>
    }
}

/// On every screen of a drill: it can never be mistaken for live work.
fn banner(title: &str) -> Html {
    html! {
        <p class="drill-banner" role="note" data-testid="drill-banner">
            <strong>{ "DRILL" }</strong>{ format!(" — {title}. A training exercise, not a live incident.") }
        </p>
    }
}

fn inject_card(inject: &Inject, handle: &SessionHandle, read_only: bool) -> Html {
    let ack = {
        let (handle, id) = (handle.clone(), inject.id.clone());
        Callback::from(move |_: MouseEvent| {
            handle.acknowledge_inject(&id);
            // To the next inject waiting, else back to the work.
            focus::after_render(&[".injects .inject button", "#step-title"]);
        })
    };
    let heading = format!("inject-{}", inject.id);
    html! {
        <section class="inject" role="alert" aria-labelledby={heading.clone()} data-testid="inject" key={inject.id.clone()}>
            <h2 id={heading}>{ "Inject: " }{ inject.title.clone() }</h2>
            <TextBlock text={inject.body.clone()} />
            if !read_only {
                <button type="button" onclick={ack}>{ "Acknowledge" }</button>
            }
        </section>
    }
}

#[derive(Clone, PartialEq, Properties)]
struct TrainerPanelProps {
    handle: SessionHandle,
    scenario: Rc<LoadedScenario>,
    drill: Rc<DrillState>,
    read_only: bool,
}

/// For the trainer, on the same screen: the drill clock, every inject's state, and the two
/// things a trainer does during a drill. Both are recorded.
#[component]
fn TrainerPanel(props: &TrainerPanelProps) -> Html {
    let handle = &props.handle;
    let drill = &props.drill;
    let paused = drill.is_paused();
    let clock = drill
        .started
        .map(|started| DrillClock::new(started, &drill.pauses));
    let toggle = {
        let handle = handle.clone();
        Callback::from(move |_: MouseEvent| {
            if paused {
                handle.resume_drill()
            } else {
                handle.pause_drill()
            }
        })
    };
    let rows = props.scenario.scenario.injects.iter().map(|inject| {
        let when = match (&inject.at, &inject.after_step) {
            (Some(at), _) => format!("at {}", format_drill_time(at.millis())),
            (None, Some(step)) => format!("after step {step}"),
            (None, None) => String::new(),
        };
        let state = match (drill.delivered.get(&inject.id), clock) {
            (Some(d), Some(clock)) => {
                let by = match d.by {
                    Delivery::Schedule => "on schedule",
                    Delivery::Trainer => "by the trainer",
                };
                let acked = if drill.acknowledged.contains_key(&inject.id) {
                    ", acknowledged"
                } else {
                    ", waiting for acknowledgement"
                };
                format!("delivered at {} {by}{acked}", format_drill_time(clock.elapsed(d.at)))
            }
            _ => "not delivered".to_owned(),
        };
        let deliver = {
            let (handle, id) = (handle.clone(), inject.id.clone());
            Callback::from(move |_: MouseEvent| {
                handle.deliver_inject(&id, Delivery::Trainer);
                focus::after_render(&["[data-testid=trainer-panel] summary"]);
            })
        };
        let undelivered = !drill.delivered.contains_key(&inject.id);
        html! {
            <tr key={inject.id.clone()}>
                <td>{ inject.title.clone() }</td><td>{ when }</td><td>{ state }</td>
                <td>
                    if undelivered && !props.read_only {
                        <button type="button" onclick={deliver} aria-label={format!("Deliver “{}” now", inject.title)}>{ "Deliver now" }</button>
                    }
                </td>
            </tr>
        }
    });
    html! {
        <details class="trainer" data-testid="trainer-panel">
            <summary>{ "Trainer panel" }</summary>
            <p>
                { if paused { "The drill clock is paused. " } else { "The drill clock is running. " } }
                if !props.read_only {
                    <button type="button" onclick={toggle}>{ if paused { "Resume the drill clock" } else { "Pause the drill clock" } }</button>
                }
            </p>
            <table class="timeline">
                <thead><tr><th scope="col">{ "Inject" }</th><th scope="col">{ "When" }</th><th scope="col">{ "State" }</th><th scope="col">{ "Action" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </details>
    }
}
