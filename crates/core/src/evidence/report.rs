//! The completion report: what an auditor reads, built from a log's records alone.
//!
//! One model, three spellings: Markdown, a printable HTML page, and CSV of the timeline. The
//! app renders the same model on screen. Every piece of log text is data: escaped for HTML,
//! for Markdown tables, and against spreadsheet formulas in CSV.

use std::fmt::Write as _;

use crate::digest::Digest;
use crate::runbook::visible_controls;
use crate::session::{Actor, Body, Header, Mode, Record};

/// Who signed, as far as the caller knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    pub key_id: String,
    /// Principals `allowed_signers` trusts with the key; empty when trust was not checked.
    pub principals: Vec<String>,
}

/// The report of one log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub title: String,
    /// Label and value pairs: runbook, version, hashes, mode, outcome, signer, head …
    pub facts: Vec<(String, String)>,
    pub timeline: Vec<Row>,
}

/// One record, as a line of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub seq: u64,
    pub ts: String,
    pub actor: String,
    pub kind: &'static str,
    pub step: String,
    pub item: String,
    pub detail: String,
}

/// The report's sections after the facts: a heading and the record types it lists.
pub const SECTIONS: &[(&str, &[&str])] = &[
    ("Priority history", &["priority_set"]),
    (
        "SLA",
        &["responded", "sla_paused", "sla_resumed", "sla_breached"],
    ),
    ("Skipped items", &["item_skipped"]),
    ("Evidence answers", &["evidence_set"]),
    ("Notes", &["note"]),
    ("Hand-overs and exports", &["handover", "exported"]),
    (
        "Drill",
        &[
            "drill_started",
            "drill_paused",
            "drill_resumed",
            "inject_delivered",
            "inject_acknowledged",
        ],
    ),
];

impl Report {
    /// The report of `records` (a whole log, seal included or not) whose last line hashes to
    /// `head`.
    pub fn new(records: &[Record], head: Digest, signer: Option<Signer>) -> Report {
        let header = records.iter().find_map(|r| match &r.body {
            Body::Header(h) => Some(h),
            _ => None,
        });
        let mut facts = Vec::new();
        let mut fact = |label: &str, value: String| {
            facts.push((label.to_owned(), visible_controls(&value).into_owned()))
        };
        let mut title = "Stepwise log".to_owned();
        if let Some(h) = header {
            title = format!(
                "{}{} {} — session {}",
                if h.is_drill() { "DRILL: " } else { "" },
                h.runbook.id,
                h.runbook.version,
                h.session
            );
            header_facts(h, &mut fact);
        }
        if let Some(first) = records.first() {
            fact("Started", first.ts.to_string());
        }
        fact("Outcome", outcome(records));
        if let Some(p) = records.iter().rev().find_map(|r| match &r.body {
            Body::PrioritySet { priority, .. } => Some(priority.clone()),
            _ => None,
        }) {
            fact("Priority (last set)", p);
        }
        let breaches: Vec<&str> = records
            .iter()
            .filter_map(|r| match &r.body {
                Body::SlaBreached { target } => Some(target.as_str()),
                _ => None,
            })
            .collect();
        fact(
            "SLA breaches",
            if breaches.is_empty() {
                "none recorded".to_owned()
            } else {
                breaches.join(", ")
            },
        );
        if let Some(signer) = signer {
            if !signer.principals.is_empty() {
                fact("Signed by", signer.principals.join("; "));
            }
            fact("Key fingerprint", signer.key_id);
        }
        fact("Records", records.len().to_string());
        fact("Head hash (SHA-256 of the last line)", head.to_hex());
        Report {
            title: visible_controls(&title).into_owned(),
            facts,
            timeline: records.iter().map(row).collect(),
        }
    }

    /// Rows of the timeline whose type is one of `kinds`.
    pub fn rows_of<'a>(&'a self, kinds: &'a [&str]) -> impl Iterator<Item = &'a Row> + 'a {
        self.timeline.iter().filter(|r| kinds.contains(&r.kind))
    }

    fn fact(&self, label: &str) -> Option<&str> {
        self.facts
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the log is a drill's: reports and notes say so first, in capitals.
    pub fn is_drill(&self) -> bool {
        self.fact("Mode").is_some_and(|m| m.starts_with("DRILL"))
    }

    /// The plain-text summary for the ticket, with the head hash as the outside anchor.
    pub fn ticket_note(&self) -> String {
        let mut out = String::new();
        if self.is_drill() {
            out.push_str("DRILL — training exercise, not a live incident\n");
        }
        let _ = writeln!(out, "Stepwise log: {}", self.title);
        if let Some(mode) = self.fact("Mode").filter(|_| self.is_drill()) {
            let _ = writeln!(out, "Mode: {mode}");
        }
        for label in [
            "Outcome",
            "Priority (last set)",
            "SLA breaches",
            "Signed by",
            "Key fingerprint",
            "Records",
        ] {
            if let Some(value) = self.fact(label) {
                let _ = writeln!(out, "{label}: {value}");
            }
        }
        if let Some(head) = self.fact("Head hash (SHA-256 of the last line)") {
            let _ = writeln!(out, "Head hash: {head}");
        }
        out
    }

    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        if self.is_drill() {
            out.push_str("> **DRILL — training exercise, not a live incident**\n\n");
        }
        let _ = write!(out, "# {}\n\n| | |\n|---|---|\n", md(&self.title));
        for (label, value) in &self.facts {
            let _ = writeln!(out, "| {} | {} |", md(label), md(value));
        }
        for (heading, kinds) in SECTIONS {
            let rows: Vec<&Row> = self.rows_of(kinds).collect();
            if !rows.is_empty() {
                let _ = write!(out, "\n## {heading}\n\n");
                md_table(&mut out, rows);
            }
        }
        out.push_str("\n## Timeline\n\n");
        md_table(&mut out, self.timeline.iter().collect());
        out
    }

    pub fn to_html(&self) -> String {
        let mut out = page_start(&self.title, PRINT_CSS);
        if self.is_drill() {
            out.push_str(DRILL_BANNER);
        }
        let _ = write!(
            out,
            "<h1>{}</h1>\n<table class=\"facts\">\n",
            html(&self.title)
        );
        for (label, value) in &self.facts {
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                html(label),
                html(value)
            );
        }
        out.push_str("</table>\n");
        for (heading, kinds) in SECTIONS {
            let rows: Vec<&Row> = self.rows_of(kinds).collect();
            if !rows.is_empty() {
                let _ = writeln!(out, "<h2>{heading}</h2>");
                html_table(&mut out, rows);
            }
        }
        out.push_str("<h2>Timeline</h2>\n");
        html_table(&mut out, self.timeline.iter().collect());
        out.push_str("</body></html>\n");
        out
    }

    /// The timeline as CSV, one record per row.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("seq,ts,actor,type,step,item,detail\r\n");
        for r in &self.timeline {
            let cells = [
                r.seq.to_string(),
                r.ts.clone(),
                r.actor.clone(),
                r.kind.to_owned(),
                r.step.clone(),
                r.item.clone(),
                r.detail.clone(),
            ];
            let line: Vec<String> = cells.iter().map(|c| crate::timesheet::cell(c)).collect();
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        }
        out
    }
}

/// The opening of a standalone printable page: no script, no request, only its own styles.
pub(crate) fn page_start(title: &str, css: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>{}</title>\n<style>{css}</style></head><body>\n",
        html(title)
    )
}

/// What every printed page of a drill says first.
pub(crate) const DRILL_BANNER: &str =
    "<p class=\"drill-banner\">DRILL — training exercise, not a live incident</p>\n";

const PRINT_CSS: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#111}\
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}\
th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}\
.facts th{width:18rem;background:#f2f2f2}td{word-break:break-word}\
.drill-banner{background:#7a4100;color:#fff;font-weight:700;padding:.4rem .8rem;letter-spacing:.05em}\
@media print{body{margin:0;font-size:10pt}h2{break-after:avoid}tr{break-inside:avoid}}";

fn header_facts(h: &Header, fact: &mut impl FnMut(&str, String)) {
    fact("Runbook", h.runbook.id.to_string());
    fact("Runbook version", h.runbook.version.clone());
    fact("Runbook SHA-256", h.runbook.sha256.to_hex());
    fact("Session", h.session.to_string());
    fact(
        "Mode",
        match (h.mode, &h.scenario) {
            (Mode::Live, _) => "live".to_owned(),
            (Mode::Drill, Some(s)) => format!("DRILL (scenario {}, SHA-256 {})", s.id, s.sha256),
            (Mode::Drill, None) => "DRILL (no scenario named)".to_owned(),
        },
    );
    fact("App", format!("{} {}", h.app.name, h.app.version));
    if let Some(m) = h.priority_matrix {
        fact("Priority matrix SHA-256", m.to_hex());
    }
}

fn outcome(records: &[Record]) -> String {
    records
        .iter()
        .rev()
        .find_map(|r| match &r.body {
            Body::Completed { outcome, .. } => Some(format!("completed: {outcome} ({})", r.ts)),
            Body::Abandoned { reason } => Some(format!("abandoned: {reason} ({})", r.ts)),
            _ => None,
        })
        .unwrap_or_else(|| "in progress".to_owned())
}

fn actor(a: &Option<Actor>) -> String {
    match a {
        Some(Actor {
            name,
            email: Some(e),
        }) => format!("{name} <{e}>"),
        Some(Actor { name, email: None }) => name.clone(),
        None => String::new(),
    }
}

fn row(r: &Record) -> Row {
    let (step, item, detail) = match &r.body {
        Body::Header(h) => (
            String::new(),
            String::new(),
            format!("runbook {} {}", h.runbook.id, h.runbook.version),
        ),
        Body::InputSet { input, value } => {
            (String::new(), String::new(), format!("{input} = {value}"))
        }
        Body::StepEntered { step } => (step.to_string(), String::new(), String::new()),
        Body::ItemChecked { step, item } | Body::ItemUnchecked { step, item } => {
            (step.to_string(), item.to_string(), String::new())
        }
        Body::ItemSkipped { step, item, reason } => {
            (step.to_string(), item.to_string(), reason.clone())
        }
        Body::EvidenceSet { step, item, value } => {
            (step.to_string(), item.to_string(), value.clone())
        }
        Body::Note { step, text } => (
            step.as_ref().map(ToString::to_string).unwrap_or_default(),
            String::new(),
            text.clone(),
        ),
        Body::Decision { step, option } => (step.to_string(), String::new(), option.clone()),
        Body::SpeedCodeCopied { code } => (String::new(), String::new(), code.clone()),
        Body::Handover { from, to, signer } => (
            String::new(),
            String::new(),
            format!(
                "{} → {}{}",
                actor(&Some(from.clone())),
                actor(&Some(to.clone())),
                signer
                    .as_ref()
                    .map(|s| format!(" (key {s})"))
                    .unwrap_or_default()
            ),
        ),
        Body::Completed { outcome, summary } => (
            String::new(),
            String::new(),
            format!("{outcome}: {summary}"),
        ),
        Body::Abandoned { reason } => (String::new(), String::new(), reason.clone()),
        Body::Exported { head, entries } => (
            String::new(),
            String::new(),
            format!("{entries} records, head {head}"),
        ),
        Body::Seal { entries, key } => (
            String::new(),
            String::new(),
            format!("{entries} records, signed by {key}"),
        ),
        Body::PrioritySet {
            impact,
            urgency,
            priority,
            reason,
            ..
        } => (
            String::new(),
            String::new(),
            format!(
                "{priority} (impact {impact}, urgency {urgency}){}",
                reason
                    .as_ref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default()
            ),
        ),
        Body::SlaPaused { reason } => (String::new(), String::new(), reason.clone()),
        Body::SlaResumed {} | Body::Responded {} => (String::new(), String::new(), String::new()),
        Body::SlaBreached { target } => (
            String::new(),
            String::new(),
            format!("{target} target breached"),
        ),
        Body::DrillStarted {} | Body::DrillPaused {} | Body::DrillResumed {} => {
            (String::new(), String::new(), String::new())
        }
        Body::InjectDelivered { inject, by } => (
            String::new(),
            String::new(),
            format!(
                "{inject} ({})",
                match by {
                    crate::session::Delivery::Schedule => "on schedule",
                    crate::session::Delivery::Trainer => "sent by the trainer",
                }
            ),
        ),
        Body::InjectAcknowledged { inject } => (String::new(), String::new(), inject.clone()),
    };
    // Log text is shown as it is: a control character or a bidirectional override in a
    // note or a name is printed as `‹U+202E›`, never obeyed.
    let shown = |text: String| visible_controls(&text).into_owned();
    Row {
        seq: r.seq.0,
        ts: r.ts.to_string(),
        actor: shown(actor(&r.actor)),
        kind: r.body.type_name(),
        step: shown(step),
        item: shown(item),
        detail: shown(detail),
    }
}

/// Text for a Markdown table cell: no table, HTML or emphasis syntax survives.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn md_table(out: &mut String, rows: Vec<&Row>) {
    out.push_str(
        "| seq | time | actor | type | step | item | detail |\n|---|---|---|---|---|---|---|\n",
    );
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            r.seq,
            md(&r.ts),
            md(&r.actor),
            r.kind,
            md(&r.step),
            md(&r.item),
            md(&r.detail)
        );
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    html_into(&mut out, text);
    out
}

/// Appends `text` to `out` escaped as [`html`] does: the five characters of markup (`&`,
/// `<`, `>`, `"`, `'`) as references, everything else as it is.
pub fn html_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

fn html_table(out: &mut String, rows: Vec<&Row>) {
    out.push_str("<table><thead><tr><th>seq</th><th>time</th><th>actor</th><th>type</th><th>step</th><th>item</th><th>detail</th></tr></thead><tbody>\n");
    for r in rows {
        let _ = writeln!(out, "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", r.seq, html(&r.ts), html(&r.actor), r.kind, html(&r.step), html(&r.item), html(&r.detail));
    }
    out.push_str("</tbody></table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_five_characters_of_markup_are_escaped_and_nothing_else() {
        for (text, want) in [
            ("VPN not connecting", "VPN not connecting"),
            ("a & b", "a &amp; b"),
            ("<script>", "&lt;script&gt;"),
            (r#"say "hi""#, "say &quot;hi&quot;"),
            ("it's", "it&#39;s"),
            ("…or drop it · v1", "…or drop it · v1"),
        ] {
            assert_eq!(html(text), want, "{text:?}");
            let mut out = String::from("kept ");
            html_into(&mut out, text);
            assert_eq!(out, format!("kept {want}"), "{text:?}");
        }
    }
}
