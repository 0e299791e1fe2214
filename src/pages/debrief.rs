//! `#/debrief`: the trainer drops several trainees' signed logs of one drill and compares
//! them: a table per trainee and step, inject response times, scores and their breakdown,
//! a timeline against the targets and score bars, and the same as printable HTML and CSV.
//!
//! Every log is verified first (as on `#/verify`); one that does not verify, is not a drill,
//! or is of another scenario or runbook version is listed with the reason and left out of
//! the scores. Scoring and charts are the core's (`drill::Debrief`).

use std::rc::Rc;

use stepwise_core::drill::clock::format_drill_time;
use stepwise_core::drill::{Debrief, Trainee};
use stepwise_core::evidence::VerifiedLog;
use yew::prelude::*;

use crate::components::{ChartView, FileDrop};
use crate::hooks::{use_library, LibraryHandle, LibraryStatus};
use crate::library::{Library, Loadable};
use crate::pages::verify::{
    trust_hint, use_dropped, use_library_trust, verify_dropped, ReadFile, Trust,
};
use crate::platform::download;

/// What came of one dropped file.
#[derive(Debug, Clone, PartialEq)]
struct Admission {
    name: String,
    /// The trainee it was scored as, or why it was left out.
    outcome: Result<String, String>,
}

#[derive(Debug, Clone, PartialEq)]
struct Outcome {
    trust: String,
    admissions: Vec<Admission>,
    debrief: Option<Rc<Debrief>>,
}

#[component]
pub fn DebriefPage() -> Html {
    let library = use_library();
    let library_trust = use_library_trust();
    let dropped = use_dropped();
    let notice = use_state(|| None::<String>);
    // Assessed again as the library's trust, drills and runbooks arrive: logs dropped while
    // the page is still loading are scored once it has, not turned away.
    let assessed = use_memo(
        (
            (*dropped.read).clone(),
            (*library_trust).clone(),
            library.clone(),
        ),
        |(read, trust, library)| {
            let read = read.as_ref()?;
            Some(assess(read, trust.clone(), library.as_ref()).map(Rc::new))
        },
    );
    let outcome = match &*assessed {
        Some(Ok(outcome)) => Some(outcome.clone()),
        _ => None,
    };
    let save = |what: &'static str| {
        let (outcome, notice) = (outcome.clone(), notice.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(debrief) = outcome.as_ref().and_then(|o| o.debrief.clone()) else {
                return;
            };
            let name = format!("stepwise-debrief-{}", debrief.scenario.id);
            let saved = match what {
                "html" => {
                    download::save_text(&format!("{name}.html"), "text/html", &debrief.to_html())
                }
                _ => download::save_text(&format!("{name}.csv"), "text/csv", &debrief.to_csv()),
            };
            notice.set(
                saved
                    .err()
                    .map(|e| format!("The debrief could not be saved: {e}")),
            );
        })
    };
    html! {
        <section class="page debrief">
            <h1>{ "Drill debrief" }</h1>
            <p>{ "Drop the signed logs (" }<code>{ ".stepwise.json" }</code>{ ") your trainees exported at the end of a drill. Each is verified here, in your browser, and scored against its scenario." }</p>
            <p class="hint">{ trust_hint(&library_trust) }</p>
            <FileDrop label="Choose trainees' signed logs" hint="Several files at once; add an allowed_signers file to trust other keys."
                accept=".json,.jsonl,.sig,allowed_signers" multiple=true on_files={dropped.on_files} />
            if let Some(Err(waiting)) = &*assessed {
                <p class="hint" role="status" data-testid="waiting">{ format!("Waiting for {waiting} to load; the logs are scored then.") }</p>
            }
            if let Some(message) = &*notice {
                <p class="error" role="alert">{ message.clone() }</p>
            }
            if let Some(outcome) = &outcome {
                { view(outcome, save("html"), save("csv")) }
            }
        </section>
    }
}

/// Verifies the files and scores every drill log of the first scenario found among them.
/// `Err` names what has still to load before they can be: the library's trust, its drills
/// or the runbook the scenario drills.
fn assess(
    read: &[ReadFile],
    trust: Option<Trust>,
    library: Option<&LibraryHandle>,
) -> Result<Outcome, String> {
    let (trust, verdicts) =
        verify_dropped(read, trust).ok_or_else(|| "the library's allowed_signers".to_owned())?;
    let loaded = match library.map(|l| (l, &l.status)) {
        Some((handle, LibraryStatus::Ready(loaded))) => Ok((handle, loaded.as_ref())),
        Some((_, LibraryStatus::Failed(why))) => Err(format!("the library is not loaded: {why}")),
        Some((_, LibraryStatus::Loading)) | None => return Err("the library".to_owned()),
    };
    let mut debrief: Option<Debrief> = None;
    let mut admissions = Vec::new();
    for (name, verdict) in verdicts {
        let outcome = match (verdict, &loaded) {
            (Err(why), _) => Err(why),
            (Ok(_), Err(why)) => Err(why.clone()),
            (Ok(log), Ok((handle, loaded))) => admit(&log, handle, loaded, &mut debrief)?,
        };
        admissions.push(Admission { name, outcome });
    }
    Ok(Outcome {
        trust,
        admissions,
        debrief: debrief.filter(|d| !d.trainees.is_empty()).map(Rc::new),
    })
}

/// Scores one verified log into `debrief`, started from the first log's scenario: `Ok` with
/// the trainee's name or why the log is left out, `Err` naming what has still to load.
fn admit(
    log: &VerifiedLog,
    handle: &LibraryHandle,
    loaded: &Library,
    debrief: &mut Option<Debrief>,
) -> Result<Result<String, String>, String> {
    let header = log.header();
    let Some(named) = header.scenario.as_ref().filter(|_| header.is_drill()) else {
        return Ok(Err("a live session, not a drill".to_owned()));
    };
    let debrief = match debrief {
        Some(debrief) => debrief,
        None => match loaded.scenario_by_sha(named.sha256) {
            Some(Loadable::Ready(s)) => debrief.insert(Debrief::new(s.scenario.clone(), s.sha256)),
            Some(Loadable::Loading) => return Err("the library's drills".to_owned()),
            Some(Loadable::Broken(why)) => return Ok(Err(why)),
            None => {
                return Ok(Err(format!(
                    "scenario `{}` with SHA-256 {} is not in the library",
                    named.id, named.sha256
                )))
            }
        },
    };
    let pin = debrief.scenario.runbook.id.as_str();
    let runbook = match handle.bundled(pin) {
        Some(Loadable::Ready(runbook)) => runbook,
        Some(Loadable::Loading) => return Err(format!("runbook `{pin}`")),
        Some(Loadable::Broken(why)) => return Ok(Err(why)),
        None => return Ok(Err(format!("the library has no runbook `{pin}`"))),
    };
    Ok(debrief
        .add(log, runbook.runbook.clone(), runbook.sha256)
        .map(|()| {
            debrief
                .trainees
                .last()
                .map(|t| t.name.clone())
                .unwrap_or_default()
        }))
}

fn view(
    outcome: &Outcome,
    save_html: Callback<MouseEvent>,
    save_csv: Callback<MouseEvent>,
) -> Html {
    let admissions = outcome.admissions.iter().map(|a| match &a.outcome {
        Ok(trainee) => html! {
            <li class="verdict valid" data-testid="admission">
                <strong>{ "Scored: " }</strong>{ format!("{} ({trainee})", a.name) }
            </li>
        },
        Err(why) => html! {
            <li class="verdict invalid" data-testid="admission">
                <strong>{ "Left out: " }</strong>{ a.name.clone() }
                <p class="why" role="alert">{ why.clone() }</p>
            </li>
        },
    });
    html! {
        <>
            <p class="hint">{ format!("Checked against {}.", outcome.trust) }</p>
            <ul class="verdicts">{ for admissions }</ul>
            if let Some(debrief) = &outcome.debrief {
                { results(debrief, save_html, save_csv) }
            }
        </>
    }
}

fn results(
    debrief: &Rc<Debrief>,
    save_html: Callback<MouseEvent>,
    save_csv: Callback<MouseEvent>,
) -> Html {
    let summary = debrief.trainees.iter().map(|t| {
        let applied = t.card.applied_weight();
        let parts = t
            .card
            .parts
            .iter()
            .map(|p| match p.fraction {
                Some(f) => format!(
                    "{} {:.0}% ({:.0} pts)",
                    p.name,
                    f * 100.0,
                    p.points(applied)
                ),
                None => format!("{} not scored", p.name),
            })
            .collect::<Vec<_>>()
            .join("; ");
        html! {
            <tr>
                <th scope="row">{ t.name.clone() }</th><td>{ t.signed_by.clone() }</td>
                <td class="score">{ t.card.total }</td><td>{ parts }</td>
                <td>{ t.card.outcome.clone() }</td><td>{ format_drill_time(t.card.ended_ms) }</td>
                <td>{ format!("{}/{}", t.card.required_done, t.card.required_total) }</td>
            </tr>
        }
    });
    html! {
        <section class="debrief-results" aria-labelledby="debrief-title" data-testid="debrief">
            <p class="drill-banner" role="note"><strong>{ "DRILL" }</strong>{ " — training exercise, not a live incident" }</p>
            <h2 id="debrief-title">{ format!("Debrief: {}", debrief.scenario.title) }</h2>
            <p class="session-actions">
                <button type="button" onclick={save_html}>{ "Save debrief (HTML, printable)" }</button>
                <button type="button" onclick={save_csv}>{ "Save debrief (CSV)" }</button>
            </p>
            <table class="timeline" data-testid="debrief-summary">
                <thead><tr>
                    <th scope="col">{ "Trainee" }</th><th scope="col">{ "Signed by" }</th><th scope="col">{ "Score" }</th>
                    <th scope="col">{ "Breakdown" }</th><th scope="col">{ "Outcome" }</th><th scope="col">{ "Drill time" }</th>
                    <th scope="col">{ "Required items" }</th>
                </tr></thead>
                <tbody>{ for summary }</tbody>
            </table>
            <ChartView chart={Rc::new(debrief.score_chart())} testid="score-chart" />
            <ChartView chart={Rc::new(debrief.timeline_chart())} testid="timeline-chart" />
            { for debrief.trainees.iter().map(trainee_view) }
        </section>
    }
}

fn trainee_view(t: &Trainee) -> Html {
    let steps = t.card.steps.iter().map(|s| {
        let taken = if s.stretches.is_empty() {
            "not reached".to_owned()
        } else {
            format_drill_time(s.taken_ms())
        };
        let decision = match (&s.expected_decision, &s.decision) {
            (Some(want), Some(got)) if want == got => format!("{got} (as expected)"),
            (Some(want), Some(got)) => format!("{got} (expected {want})"),
            (Some(want), None) => format!("none (expected {want})"),
            (None, Some(got)) => got.clone(),
            (None, None) => String::new(),
        };
        html! {
            <tr class={classes!(s.is_over_target().then_some("over"))}>
                <td>{ s.title.clone() }</td>
                <td>{ s.target_ms.map(format_drill_time).unwrap_or_default() }</td>
                <td>{ taken }{ if s.is_over_target() { " — over target" } else { "" } }</td>
                <td>{ decision }</td>
            </tr>
        }
    });
    let injects = t.card.injects.iter().map(|i| {
        html! {
            <tr>
                <td>{ i.title.clone() }</td>
                <td>{ i.delivered_ms.map_or("not delivered".to_owned(), format_drill_time) }</td>
                <td>{ i.acknowledged_after_ms.map_or("—".to_owned(), format_drill_time) }</td>
                <td>{ i.expected.clone().unwrap_or_default() }</td>
                <td>{ match (i.responded_after_ms, i.within_ms) {
                    (Some(r), Some(w)) => format!("{} (within {})", format_drill_time(r), format_drill_time(w)),
                    (Some(r), None) => format_drill_time(r),
                    (None, _) if i.expected.is_some() && i.delivered_ms.is_some() => "not done".to_owned(),
                    _ => "—".to_owned(),
                } }</td>
            </tr>
        }
    });
    html! {
        <section class="trainee" aria-label={format!("Trainee {}", t.name)} data-testid="trainee">
            <h3>{ format!("{} — {} / 100", t.name, t.card.total) }</h3>
            <p class="hint">{ format!("Signed by {} (key {}), head {}.", t.signed_by, t.key_id, t.head) }</p>
            <table class="timeline">
                <thead><tr><th scope="col">{ "Step" }</th><th scope="col">{ "Target" }</th><th scope="col">{ "Taken" }</th><th scope="col">{ "Decision" }</th></tr></thead>
                <tbody>{ for steps }</tbody>
            </table>
            <table class="timeline">
                <thead><tr><th scope="col">{ "Inject" }</th><th scope="col">{ "Delivered" }</th><th scope="col">{ "Acknowledged after" }</th><th scope="col">{ "Expected" }</th><th scope="col">{ "Responded after" }</th></tr></thead>
                <tbody>{ for injects }</tbody>
            </table>
            if !t.card.skipped.is_empty() {
                <p>{ "Required items skipped:" }</p>
                <ul>{ for t.card.skipped.iter().map(|(step, item, reason)| html! { <li>{ format!("{step}/{item}: {reason}") }</li> }) }</ul>
            }
        </section>
    }
}
