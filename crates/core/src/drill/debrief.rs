//! The debrief: several trainees' verified logs of one scenario, scored and compared.
//!
//! Only a [`VerifiedLog`] gets in, so a debrief never scores a forged or truncated log; a log
//! of another scenario (or another version of it, or a runbook the library no longer has)
//! is refused with the reason. The charts are data ([`Chart`]: rectangles, lines, markers
//! and text in SVG user units) so the app draws them as DOM and the printable HTML as SVG
//! markup from the same geometry. Every text is escaped: log text is data.

use std::fmt::Write as _;
use std::sync::Arc;

use super::clock::format_drill_time;
use super::scenario::Scenario;
use super::score::{score, Scorecard};
use crate::digest::Digest;
use crate::evidence::report::{html, page_start, DRILL_BANNER};
use crate::evidence::VerifiedLog;
use crate::runbook::Runbook;
use crate::session::Session;

/// One trainee's scored log.
#[derive(Debug, Clone, PartialEq)]
pub struct Trainee {
    /// The technician the log names (its header's actor).
    pub name: String,
    /// Who allowed_signers says signed it.
    pub signed_by: String,
    pub key_id: String,
    pub head: Digest,
    pub card: Scorecard,
}

/// The debrief of one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Debrief {
    pub scenario: Scenario,
    pub scenario_sha256: Digest,
    pub trainees: Vec<Trainee>,
}

impl Debrief {
    pub fn new(scenario: Scenario, scenario_sha256: Digest) -> Debrief {
        Debrief {
            scenario,
            scenario_sha256,
            trainees: Vec::new(),
        }
    }

    /// Scores `log` and adds it, or says why it cannot be part of this debrief. `runbook`
    /// is the library's runbook of the scenario with its source's SHA-256.
    pub fn add(
        &mut self,
        log: &VerifiedLog,
        runbook: Arc<Runbook>,
        runbook_sha256: Digest,
    ) -> Result<(), String> {
        let header = log.header();
        let Some(scenario) = header.scenario.as_ref().filter(|_| header.is_drill()) else {
            return Err("a live session, not a drill".to_owned());
        };
        if scenario.id != self.scenario.id {
            return Err(format!(
                "a drill of scenario `{}`, not `{}`",
                scenario.id, self.scenario.id
            ));
        }
        if scenario.sha256 != self.scenario_sha256 {
            return Err(format!(
                "another version of scenario `{}` (SHA-256 {}, not {})",
                scenario.id, scenario.sha256, self.scenario_sha256
            ));
        }
        if header.runbook.sha256 != runbook_sha256 {
            return Err(format!(
                "run with runbook `{}` {} (SHA-256 {}), which is not the library's",
                header.runbook.id, header.runbook.version, header.runbook.sha256
            ));
        }
        if self.trainees.iter().any(|t| t.head == log.head()) {
            return Err("the same log is already in the debrief".to_owned());
        }
        // The seal ends the file, never the session: replay what precedes it.
        let lines = &log.lines()[..log.lines().len() - 1];
        let session = Session::replay(runbook, runbook_sha256, lines.iter().cloned())
            .map_err(|e| format!("its records do not replay: {e}"))?;
        let name = log
            .records()
            .first()
            .and_then(|r| r.actor.as_ref())
            .map_or_else(|| "unnamed".to_owned(), |a| a.name.clone());
        self.trainees.push(Trainee {
            name,
            signed_by: log.principals().join("; "),
            key_id: log.key_id().to_string(),
            head: log.head(),
            card: score(&self.scenario, &session),
        });
        Ok(())
    }

    /// A Gantt timeline: a row of cumulative targets, then each trainee's steps in drill
    /// time, bars over their target marked, injects as diamonds where they arrived.
    pub fn timeline_chart(&self) -> Chart {
        let mut targets = Vec::new();
        let mut at = 0;
        for t in &self.scenario.targets {
            if let Some(within) = t.within {
                targets.push((t.step.to_string(), at, at + within.millis()));
                at += within.millis();
            }
        }
        let end = self
            .trainees
            .iter()
            .map(|t| t.card.ended_ms)
            .chain(std::iter::once(at))
            .max()
            .unwrap_or(0)
            .max(60_000);
        let rows = 1 + self.trainees.len();
        let (label_w, plot_w, row_h, top) = (150.0, 640.0, 34.0, 28.0);
        let x = |ms: i64| label_w + plot_w * ms as f64 / end as f64;
        let height = top + row_h * rows as f64 + 26.0;
        let mut shapes = Vec::new();
        let tick = tick_step(end);
        let mut t = 0;
        while t <= end {
            shapes.push(Shape::Line {
                x1: x(t),
                y1: top - 6.0,
                x2: x(t),
                y2: height - 22.0,
                class: "grid",
            });
            shapes.push(Shape::Text {
                x: x(t),
                y: height - 8.0,
                text: format!("{}m", t / 60_000),
                class: "axis",
                anchor: "middle",
            });
            t += tick;
        }
        let mut row = |index: usize, label: &str, bars: Vec<(String, i64, i64, &'static str)>| {
            let y = top + row_h * index as f64;
            shapes.push(Shape::Text {
                x: label_w - 8.0,
                y: y + row_h / 2.0 + 4.0,
                text: label.to_owned(),
                class: "label",
                anchor: "end",
            });
            for (what, from, to, class) in bars {
                let (x0, x1) = (x(from), x(to));
                shapes.push(Shape::Rect {
                    x: x0,
                    y: y + 6.0,
                    w: (x1 - x0).max(1.5),
                    h: row_h - 12.0,
                    class,
                    label: format!(
                        "{what}: {} to {}",
                        format_drill_time(from),
                        format_drill_time(to)
                    ),
                });
                // A step's name inside its bar where it fits (about 6.5 units a character).
                let fits = ((x1 - x0 - 8.0) / 6.5).max(0.0) as usize;
                let name = what.trim_end_matches(" target");
                if fits >= 4 {
                    let text: String = if name.chars().count() > fits {
                        name.chars()
                            .take(fits - 1)
                            .chain(std::iter::once('…'))
                            .collect()
                    } else {
                        name.to_owned()
                    };
                    shapes.push(Shape::Text {
                        x: x0 + 4.0,
                        y: y + row_h / 2.0 + 4.0,
                        text,
                        class: "bar-label",
                        anchor: "start",
                    });
                }
            }
            y
        };
        row(
            0,
            "Target",
            targets
                .into_iter()
                .map(|(step, a, b)| (format!("{step} target"), a, b, "target"))
                .collect(),
        );
        let mut markers = Vec::new();
        for (i, trainee) in self.trainees.iter().enumerate() {
            let bars = trainee
                .card
                .steps
                .iter()
                .flat_map(|s| {
                    let class = if s.is_over_target() { "over" } else { "step" };
                    s.stretches
                        .iter()
                        .map(move |&(a, b)| (s.step.to_string(), a, b, class))
                })
                .collect();
            let y = row(i + 1, &trainee.name, bars);
            for inject in &trainee.card.injects {
                if let Some(at) = inject.delivered_ms {
                    markers.push(Shape::Marker {
                        x: x(at),
                        y: y + row_h / 2.0,
                        class: "inject",
                        label: format!("inject {} at {}", inject.title, format_drill_time(at)),
                    });
                }
            }
        }
        shapes.extend(markers);
        Chart {
            title: format!("Timeline of {} (drill time)", self.scenario.title),
            width: label_w + plot_w + 20.0,
            height,
            shapes,
        }
    }

    /// Score bars: each trainee's total, stacked by the points of each part.
    pub fn score_chart(&self) -> Chart {
        let (label_w, plot_w, row_h, top) = (150.0, 500.0, 30.0, 10.0);
        let mut shapes = Vec::new();
        for (i, trainee) in self.trainees.iter().enumerate() {
            let y = top + row_h * i as f64;
            shapes.push(Shape::Text {
                x: label_w - 8.0,
                y: y + row_h / 2.0 + 4.0,
                text: trainee.name.clone(),
                class: "label",
                anchor: "end",
            });
            let applied = trainee.card.applied_weight();
            let mut x = label_w;
            for (part, class) in trainee.card.parts.iter().zip(PART_CLASSES) {
                let points = part.points(applied);
                let w = plot_w * points / 100.0;
                if w > 0.0 {
                    shapes.push(Shape::Rect {
                        x,
                        y: y + 5.0,
                        w,
                        h: row_h - 10.0,
                        class,
                        label: format!("{}: {:.0} points", part.name, points),
                    });
                }
                x += w;
            }
            shapes.push(Shape::Text {
                x: x + 6.0,
                y: y + row_h / 2.0 + 4.0,
                text: format!("{} / 100", trainee.card.total),
                class: "value",
                anchor: "start",
            });
        }
        Chart {
            title: "Scores".to_owned(),
            width: label_w + plot_w + 80.0,
            height: top * 2.0 + row_h * self.trainees.len().max(1) as f64,
            shapes,
        }
    }

    /// The table of every trainee and step, as CSV for a spreadsheet (formula-like cells
    /// neutralised).
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "trainee,signed_by,section,id,title,target,actual,expected,result,score\r\n",
        );
        for t in &self.trainees {
            let mut row = |cells: [String; 8]| {
                let mut line = vec![cell(&t.name), cell(&t.signed_by)];
                line.extend(cells.iter().map(|c| cell(c)));
                out.push_str(&line.join(","));
                out.push_str("\r\n");
            };
            for s in &t.card.steps {
                row([
                    "step".into(),
                    s.step.to_string(),
                    s.title.clone(),
                    s.target_ms.map(format_drill_time).unwrap_or_default(),
                    time_or_not_reached(s),
                    s.expected_decision.clone().unwrap_or_default(),
                    s.decision.clone().unwrap_or_default(),
                    if s.is_over_target() {
                        "over target".into()
                    } else {
                        String::new()
                    },
                ]);
            }
            for i in &t.card.injects {
                row([
                    "inject".into(),
                    i.inject.clone(),
                    i.title.clone(),
                    i.within_ms.map(format_drill_time).unwrap_or_default(),
                    i.responded_after_ms
                        .map(format_drill_time)
                        .unwrap_or_default(),
                    i.expected.clone().unwrap_or_default(),
                    i.acknowledged_after_ms
                        .map(|a| format!("acknowledged after {}", format_drill_time(a)))
                        .unwrap_or_else(|| "not acknowledged".into()),
                    i.credit.map(|c| format!("{c}")).unwrap_or_default(),
                ]);
            }
            for (step, item, reason) in &t.card.skipped {
                row([
                    "skipped".into(),
                    format!("{step}/{item}"),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    reason.clone(),
                    String::new(),
                ]);
            }
            let applied = t.card.applied_weight();
            for p in &t.card.parts {
                row([
                    "part".into(),
                    p.name.into(),
                    format!("weight {}", p.weight),
                    String::new(),
                    String::new(),
                    String::new(),
                    p.fraction
                        .map_or("not scored".into(), |f| format!("{:.0}%", f * 100.0)),
                    format!("{:.1}", p.points(applied)),
                ]);
            }
            row([
                "total".into(),
                String::new(),
                t.card.outcome.clone(),
                String::new(),
                format_drill_time(t.card.ended_ms),
                String::new(),
                format!(
                    "{}/{} required items done",
                    t.card.required_done, t.card.required_total
                ),
                t.card.total.to_string(),
            ]);
        }
        out
    }

    /// A printable, self-contained page: the DRILL banner, scores, the charts as inline SVG,
    /// and the per-step and per-inject tables of every trainee.
    pub fn to_html(&self) -> String {
        let title = format!("Debrief: {}", self.scenario.title);
        let mut out = page_start(&title, &format!("{DEBRIEF_CSS}{CHART_CSS}"));
        out.push_str(DRILL_BANNER);
        let _ = writeln!(out, "<h1>{}</h1>", html(&title));
        let _ = writeln!(
            out,
            "<p>Scenario <code>{}</code> (SHA-256 <code>{}</code>), runbook <code>{}</code>; {} trainees, each log verified.</p>",
            html(&self.scenario.id),
            self.scenario_sha256,
            html(self.scenario.runbook.id.as_str()),
            self.trainees.len()
        );
        out.push_str("<h2>Scores</h2>\n");
        out.push_str(&self.score_chart().to_svg());
        out.push_str("<h2>Timeline</h2>\n");
        out.push_str(&self.timeline_chart().to_svg());
        for t in &self.trainees {
            let _ = writeln!(
                out,
                "<h2>{} — {} / 100</h2>\n<p>Signed by {} (key <code>{}</code>), head <code>{}</code>. {}; {} of {} required items done.</p>",
                html(&t.name),
                t.card.total,
                html(&t.signed_by),
                html(&t.key_id),
                t.head,
                html(&t.card.outcome),
                t.card.required_done,
                t.card.required_total
            );
            out.push_str("<table><thead><tr><th>Step</th><th>Target</th><th>Taken</th><th>Expected decision</th><th>Decision</th></tr></thead><tbody>\n");
            for s in &t.card.steps {
                let _ = writeln!(
                    out,
                    "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    if s.is_over_target() { "over" } else { "" },
                    html(&s.title),
                    s.target_ms.map(format_drill_time).unwrap_or_default(),
                    html(&time_or_not_reached(s)),
                    html(s.expected_decision.as_deref().unwrap_or("")),
                    html(s.decision.as_deref().unwrap_or(""))
                );
            }
            out.push_str("</tbody></table>\n<table><thead><tr><th>Inject</th><th>Delivered</th><th>Acknowledged after</th><th>Expected</th><th>Responded after</th><th>Credit</th></tr></thead><tbody>\n");
            for i in &t.card.injects {
                let _ =
                    writeln!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    html(&i.title),
                    i.delivered_ms.map_or("not delivered".into(), format_drill_time),
                    i.acknowledged_after_ms.map_or("—".into(), format_drill_time),
                    html(i.expected.as_deref().unwrap_or("")),
                    i.responded_after_ms.map_or("—".into(), format_drill_time),
                    i.credit.map(|c| c.to_string()).unwrap_or_default()
                );
            }
            out.push_str("</tbody></table>\n<table><thead><tr><th>Part</th><th>Weight</th><th>Result</th><th>Points</th></tr></thead><tbody>\n");
            let applied = t.card.applied_weight();
            for p in &t.card.parts {
                let _ = writeln!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.1}</td></tr>",
                    p.name,
                    p.weight,
                    p.fraction
                        .map_or("not scored".into(), |f| format!("{:.0}%", f * 100.0)),
                    p.points(applied)
                );
            }
            out.push_str("</tbody></table>\n");
            if !t.card.skipped.is_empty() {
                out.push_str("<p>Required items skipped:</p><ul>\n");
                for (step, item, reason) in &t.card.skipped {
                    let _ = writeln!(
                        out,
                        "<li><code>{}/{}</code>: {}</li>",
                        html(step.as_str()),
                        html(item.as_str()),
                        html(reason)
                    );
                }
                out.push_str("</ul>\n");
            }
        }
        out.push_str("</body></html>\n");
        out
    }
}

/// The CSS classes of the score parts, in the order of `Scorecard::parts`.
pub const PART_CLASSES: [&str; 4] = ["part-time", "part-decisions", "part-items", "part-comms"];

/// Styles for the chart classes, shared by the app's stylesheet and the printable page.
pub const CHART_CSS: &str = ".chart text{font:12px system-ui,sans-serif;fill:#222}\
.chart .grid{stroke:#ccc;stroke-width:1}.chart .target{fill:#c9d6e8;stroke:#fff}\
.chart .step{fill:#2f6f4f;stroke:#fff}.chart .over{fill:#b3261e;stroke:#fff}\
.chart .bar-label{font-size:11px;fill:#fff}.chart .target+.bar-label{fill:#222}.chart .inject{fill:#e0a000;stroke:#222}\
.chart .part-time{fill:#2f6f4f}.chart .part-decisions{fill:#1f5fa8}\
.chart .part-items{fill:#7a4fa8}.chart .part-comms{fill:#b86a00}";

const DEBRIEF_CSS: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#111}\
.drill-banner{background:#7a4100;color:#fff;font-weight:700;padding:.4rem .8rem;letter-spacing:.05em}\
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}\
th,td{border:1px solid #999;padding:.2rem .5rem;text-align:left}tr.over td{color:#b3261e}\
@media print{body{margin:0;font-size:10pt}h2{break-after:avoid}tr,svg{break-inside:avoid}}";

fn time_or_not_reached(s: &super::score::StepTime) -> String {
    if s.stretches.is_empty() {
        "not reached".to_owned()
    } else {
        format_drill_time(s.taken_ms())
    }
}

fn cell(text: &str) -> String {
    crate::timesheet::cell(text)
}

/// Grid lines every 1, 2, 5, 10, 15 or 30 minutes, whichever gives at most ten.
fn tick_step(end_ms: i64) -> i64 {
    [1, 2, 5, 10, 15, 30, 60]
        .into_iter()
        .map(|m| m * 60_000)
        .find(|step| end_ms / step <= 10)
        .unwrap_or(120 * 60_000)
}

/// A chart as geometry, in SVG user units.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    pub width: f64,
    pub height: f64,
    pub shapes: Vec<Shape>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// `label` is the bar's tooltip (`<title>`), for people and screen readers.
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        class: &'static str,
        label: String,
    },
    Line {
        x1: f64,
        y1: f64,
        x2: f64,
        y2: f64,
        class: &'static str,
    },
    Text {
        x: f64,
        y: f64,
        text: String,
        class: &'static str,
        anchor: &'static str,
    },
    /// A diamond centred on (x, y).
    Marker {
        x: f64,
        y: f64,
        class: &'static str,
        label: String,
    },
}

impl Shape {
    /// The diamond's outline, for `<polygon points>`.
    pub fn diamond(x: f64, y: f64) -> String {
        format!(
            "{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
            x,
            y - 7.0,
            x + 6.0,
            y,
            x,
            y + 7.0,
            x - 6.0,
            y
        )
    }
}

impl Chart {
    /// The chart as standalone SVG markup, every text escaped.
    pub fn to_svg(&self) -> String {
        let mut out = format!(
            "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {:.0} {:.0}\" width=\"{:.0}\" height=\"{:.0}\" role=\"img\" aria-label=\"{}\">\n<title>{}</title>\n",
            self.width,
            self.height,
            self.width,
            self.height,
            html(&self.title),
            html(&self.title)
        );
        for shape in &self.shapes {
            let _ = match shape {
                Shape::Rect { x, y, w, h, class, label } => writeln!(
                    out,
                    "<rect class=\"{class}\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\"><title>{}</title></rect>",
                    html(label)
                ),
                Shape::Line { x1, y1, x2, y2, class } => writeln!(
                    out,
                    "<line class=\"{class}\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\"/>"
                ),
                Shape::Text { x, y, text, class, anchor } => writeln!(
                    out,
                    "<text class=\"{class}\" x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\">{}</text>",
                    html(text)
                ),
                Shape::Marker { x, y, class, label } => writeln!(
                    out,
                    "<polygon class=\"{class}\" points=\"{}\"><title>{}</title></polygon>",
                    Shape::diamond(*x, *y),
                    html(label)
                ),
            };
        }
        out.push_str("</svg>\n");
        out
    }
}
