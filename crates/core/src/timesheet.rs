//! Time worked, derived from a session's records, and its CSV for a PSA to import.
//!
//! Records are the only evidence of work, so time is measured between them: consecutive
//! records by the same technician less than [`IDLE_GAP_MINUTES`] apart belong to one stretch
//! of work. A stretch counts at least one minute. Nothing here reads a clock.

use crate::runbook::InputKind;
use crate::session::{Session, Status};
use crate::time::Timestamp;

/// A pause longer than this between two records ends a stretch of work.
pub const IDLE_GAP_MINUTES: i64 = 15;

/// One stretch of work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeEntry {
    pub start: Timestamp,
    pub end: Timestamp,
    pub minutes: i64,
    pub technician: String,
}

/// The stretches of work in `session`, in order.
pub fn time_entries(session: &Session) -> Vec<TimeEntry> {
    let mut entries: Vec<TimeEntry> = Vec::new();
    for line in session.lines() {
        // Every stored line parsed when it was applied or replayed; a line that does not is
        // skipped rather than invented.
        let Ok(record) = serde_json::from_str::<crate::session::Record>(line) else {
            continue;
        };
        let who = record
            .actor
            .as_ref()
            .map_or_else(String::new, |a| a.name.clone());
        let gap_ok = |last: &TimeEntry| {
            last.technician == who
                && record.ts.unix_millis() - last.end.unix_millis() <= IDLE_GAP_MINUTES * 60_000
        };
        match entries.last_mut() {
            Some(last) if gap_ok(last) => last.end = record.ts,
            _ => entries.push(TimeEntry {
                start: record.ts,
                end: record.ts,
                minutes: 0,
                technician: who,
            }),
        }
    }
    for entry in &mut entries {
        let millis = entry.end.unix_millis() - entry.start.unix_millis();
        entry.minutes = ((millis + 59_999) / 60_000).max(1);
    }
    entries
}

/// The time entries as CSV: `date,start,end,minutes,technician,ticket,runbook,summary`.
pub fn to_csv(session: &Session) -> String {
    let state = session.state();
    let runbook = session.runbook();
    let ticket = runbook
        .inputs
        .iter()
        .find(|i| i.kind == InputKind::Ticket)
        .and_then(|i| state.inputs.get(&i.id))
        .cloned()
        .unwrap_or_default();
    let summary = match &state.status {
        Status::Completed { summary, .. } => summary.clone(),
        Status::Abandoned { reason } => format!("Abandoned: {reason}"),
        Status::InProgress => String::new(),
    };
    let mut out = String::from("date,start,end,minutes,technician,ticket,runbook,summary\r\n");
    for entry in time_entries(session) {
        let (start, end) = (entry.start.to_string(), entry.end.to_string());
        let fields = [
            start[..10].to_owned(),
            start[11..16].to_owned(),
            end[11..16].to_owned(),
            entry.minutes.to_string(),
            entry.technician,
            ticket.clone(),
            format!("{} v{}", runbook.title, runbook.version),
            summary.clone(),
        ];
        let row: Vec<String> = fields.iter().map(|f| cell(f)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// One CSV cell (RFC 4180 quoting). Text that a spreadsheet would run as a formula (`=`, `+`,
/// `-`, `@` first) is prefixed with `'`: log text is data, never code.
pub(crate) fn cell(text: &str) -> String {
    let safe = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_and_formulas_neutralised() {
        for (text, want) in [
            ("plain", "plain"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
            ("-1", "'-1"),
            ("line\nbreak", "\"line\nbreak\""),
        ] {
            assert_eq!(cell(text), want, "{text}");
        }
    }
}
