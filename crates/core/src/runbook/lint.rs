//! The runbook linter: every problem a runbook has, as data, with its position.
//!
//! Linting never fails: a source that does not even parse yields one `syntax` diagnostic
//! (the parser's first error, with its line and column), and a runbook that parses is then
//! checked by every rule below, each reporting at the value it is about. Rules about the
//! whole library (an out-of-date `index.json`) belong to the caller that sees the folder.

use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::NaiveDate;

use super::duration::parse_duration;
use super::model::{InputKind, Runbook};
use super::parse::{parse, SourceFormat};
use super::spans::{at, RunbookSpans};
use crate::markdown::safe_href;

/// Session fields a speed code may name besides the runbook's inputs.
pub const SESSION_FIELDS: &[&str] = &[
    "technician",
    "ticket",
    "priority",
    "runbook",
    "started",
    "now",
    "response_due",
    "resolution_due",
    "elapsed",
];

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub line: u64,
    pub column: u64,
}

impl Span {
    const START: Span = Span { line: 1, column: 1 };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One finding. `code` names the rule, so editors and tests can match on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub span: Span,
    pub message: String,
}

impl Diagnostic {
    /// `FILE:LINE:COL: error: MESSAGE`, the shape compilers use and editors jump to.
    pub fn render(&self, file: &str) -> String {
        format!(
            "{file}:{}:{}: {}: {}",
            self.span.line, self.span.column, self.severity, self.message
        )
    }
}

/// What the linter found in one source, and the runbook when it parsed.
#[derive(Debug, Clone)]
pub struct Report {
    pub runbook: Option<Runbook>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Lints one runbook source. `today` enables the overdue-review warning.
///
/// ```
/// use stepwise_core::runbook::{lint, SourceFormat};
///
/// let src = b"id: x\ntitle: X\nversion: '1'\nkind: request\nsteps:\n  - id: a\n    title: A\n    next: nowhere\n";
/// let report = lint("x.yaml", src, SourceFormat::Yaml, None);
/// assert_eq!(report.diagnostics[0].render("x.yaml"), "x.yaml:8:11: error: step `a`: `next` names unknown step `nowhere`");
/// ```
pub fn lint(file: &str, bytes: &[u8], format: SourceFormat, today: Option<NaiveDate>) -> Report {
    let runbook = match parse(file, bytes, format) {
        Ok(runbook) => runbook,
        Err(e) => {
            let span = Span {
                line: e.line.max(1),
                column: e.column.max(1),
            };
            let diagnostic = Diagnostic {
                code: "syntax",
                severity: Severity::Error,
                span,
                message: e.kind.to_string(),
            };
            return Report {
                runbook: None,
                diagnostics: vec![diagnostic],
            };
        }
    };
    // The typed parse accepted the bytes, so they are UTF-8.
    let text = String::from_utf8_lossy(bytes);
    let spans = RunbookSpans::read(&text);
    let mut diagnostics = Linter {
        runbook: &runbook,
        spans: &spans,
        today,
        out: Vec::new(),
    }
    .run();
    diagnostics.sort_by_key(|d| (d.span, d.severity));
    Report {
        runbook: Some(runbook),
        diagnostics,
    }
}

struct Linter<'a> {
    runbook: &'a Runbook,
    spans: &'a RunbookSpans,
    today: Option<NaiveDate>,
    out: Vec<Diagnostic>,
}

impl Linter<'_> {
    fn run(mut self) -> Vec<Diagnostic> {
        self.review_date();
        self.inputs();
        self.speed_codes();
        self.steps();
        self.graph();
        self.out
    }

    fn error(&mut self, code: &'static str, span: Span, message: String) {
        self.out.push(Diagnostic {
            code,
            severity: Severity::Error,
            span,
            message,
        });
    }

    fn warning(&mut self, code: &'static str, span: Span, message: String) {
        self.out.push(Diagnostic {
            code,
            severity: Severity::Warning,
            span,
            message,
        });
    }

    fn step_span(&self, index: usize) -> Span {
        let step = self.spans.step(index);
        at(step.and_then(|s| s.id.as_ref()), Span::START)
    }

    fn review_date(&mut self) {
        let Some(text) = &self.runbook.review_by else {
            return;
        };
        let span = at(self.spans.review_by.as_ref(), Span::START);
        match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Err(_) => self.error(
                "review-date",
                span,
                format!("`review_by` must be a date as YYYY-MM-DD, not `{text}`"),
            ),
            Ok(date) if self.today.is_some_and(|today| date < today) => self.warning(
                "review-overdue",
                span,
                format!("`review_by` {date} has passed: the owner should review this runbook"),
            ),
            Ok(_) => {}
        }
    }

    fn inputs(&mut self) {
        let mut seen = HashSet::new();
        for (i, input) in self.runbook.inputs.iter().enumerate() {
            let spans = self.spans.inputs.get(i);
            let span = at(spans.and_then(|s| s.id.as_ref()), Span::START);
            if !seen.insert(input.id.as_str()) {
                self.error(
                    "duplicate-id",
                    span,
                    format!("duplicate input id `{}`", input.id),
                );
            }
            if input.kind == InputKind::Choice && input.options.len() < 2 {
                let span = at(spans.and_then(|s| s.kind.as_ref()), span);
                self.error(
                    "choice-options",
                    span,
                    format!(
                        "input `{}` is a choice with fewer than two options",
                        input.id
                    ),
                );
            }
        }
    }

    fn speed_codes(&mut self) {
        let names: HashSet<&str> = self
            .runbook
            .inputs
            .iter()
            .map(|i| i.id.as_str())
            .chain(SESSION_FIELDS.iter().copied())
            .collect();
        let mut seen = HashSet::new();
        for (i, code) in self.runbook.speed_codes.iter().enumerate() {
            let spans = self.spans.speed_codes.get(i);
            let id_span = at(spans.and_then(|s| s.id.as_ref()), Span::START);
            if !seen.insert(code.id.as_str()) {
                self.error(
                    "duplicate-id",
                    id_span,
                    format!("duplicate speed code id `{}`", code.id),
                );
            }
            let template_span = at(spans.and_then(|s| s.template.as_ref()), id_span);
            match placeholders(&code.template) {
                Err(offset) => self.error(
                    "placeholder",
                    template_span,
                    format!(
                        "speed code `{}`: `{{{{` at character {offset} is never closed",
                        code.id
                    ),
                ),
                Ok(found) => {
                    for name in found.into_iter().filter(|n| !names.contains(n)) {
                        self.error(
                            "placeholder",
                            template_span,
                            format!(
                                "speed code `{}`: placeholder `{{{{{name}}}}}` names no input or session field",
                                code.id
                            ),
                        );
                    }
                }
            }
        }
    }

    fn steps(&mut self) {
        let rb = self.runbook;
        let mut step_ids = HashSet::new();
        let input_kinds: HashMap<&str, &super::model::Input> =
            rb.inputs.iter().map(|i| (i.id.as_str(), i)).collect();
        for (index, step) in rb.steps.iter().enumerate() {
            let spans = self.spans.step(index);
            let span = self.step_span(index);
            if !step_ids.insert(step.id.as_str()) {
                self.error(
                    "duplicate-id",
                    span,
                    format!("duplicate step id `{}`", step.id),
                );
            }
            let mut item_ids = HashSet::new();
            for (i, item) in step.checklist.iter().enumerate() {
                let item_span = at(
                    spans
                        .and_then(|s| s.checklist.get(i))
                        .and_then(|s| s.id.as_ref()),
                    span,
                );
                if !item_ids.insert(item.id.as_str()) {
                    self.error(
                        "duplicate-id",
                        item_span,
                        format!("step `{}`: duplicate item id `{}`", step.id, item.id),
                    );
                }
            }
            if let Some(estimate) = &step.estimate {
                if parse_duration(estimate).is_none() {
                    let espan = at(spans.and_then(|s| s.estimate.as_ref()), span);
                    self.error(
                        "duration",
                        espan,
                        format!(
                            "step `{}`: estimate `{estimate}` is not a duration such as `10m` or `1h30m`",
                            step.id
                        ),
                    );
                }
            }
            if let Some(role) = &step.role {
                if !rb.roles.is_empty() && !rb.roles.contains(role) {
                    let rspan = at(spans.and_then(|s| s.role.as_ref()), span);
                    self.warning(
                        "unknown-role",
                        rspan,
                        format!("step `{}`: role `{role}` is not listed in `roles`", step.id),
                    );
                }
            }
            if let Some(next) = &step.next {
                let nspan = at(spans.and_then(|s| s.next.as_ref()), span);
                if rb.step(next).is_none() {
                    self.error(
                        "unknown-target",
                        nspan,
                        format!("step `{}`: `next` names unknown step `{next}`", step.id),
                    );
                }
                if step.decision.is_some() {
                    self.error(
                        "next-and-decision",
                        nspan,
                        format!("step `{}` has both `next` and a `decision`; the decision chooses the next step", step.id),
                    );
                }
            }
            if let Some(decision) = &step.decision {
                let dspans = spans.and_then(|s| s.decision.as_ref());
                let dspan = at(dspans, span);
                if decision.options.len() < 2 {
                    self.error(
                        "decision-options",
                        dspan,
                        format!("step `{}`: a decision needs at least two options", step.id),
                    );
                }
                let mut option_ids = HashSet::new();
                for (o, option) in decision.options.iter().enumerate() {
                    let ospans = dspans.and_then(|d| d.value.options.get(o));
                    let ospan = at(ospans.and_then(|s| s.id.as_ref()), dspan);
                    if !option_ids.insert(option.id.as_str()) {
                        self.error(
                            "duplicate-id",
                            ospan,
                            format!(
                                "step `{}`: duplicate decision option id `{}`",
                                step.id, option.id
                            ),
                        );
                    }
                    if rb.step(&option.next).is_none() {
                        let tspan = at(ospans.and_then(|s| s.next.as_ref()), ospan);
                        self.error(
                            "unknown-target",
                            tspan,
                            format!(
                                "step `{}`: option `{}` names unknown step `{}`",
                                step.id, option.id, option.next
                            ),
                        );
                    }
                }
            }
            if let Some(when) = &step.when {
                let wspans = spans.and_then(|s| s.when.as_ref());
                let wspan = at(wspans, span);
                let equals_span = at(wspans.and_then(|w| w.value.equals.as_ref()), wspan);
                match (&when.input, &when.decision) {
                    (Some(_), Some(_)) | (None, None) => self.error(
                        "when",
                        wspan,
                        format!(
                            "step `{}`: `when` names exactly one of `input` or `decision`",
                            step.id
                        ),
                    ),
                    (Some(input), None) => {
                        let ispan = at(wspans.and_then(|w| w.value.input.as_ref()), wspan);
                        match input_kinds.get(input.as_str()) {
                            None => self.error(
                                "when",
                                ispan,
                                format!("step `{}`: `when` names unknown input `{input}`", step.id),
                            ),
                            Some(found)
                                if found.kind == InputKind::Choice
                                    && !found.options.contains(&when.equals) =>
                            {
                                self.error(
                                    "when",
                                    equals_span,
                                    format!(
                                        "step `{}`: `{}` is not an option of input `{input}`",
                                        step.id, when.equals
                                    ),
                                )
                            }
                            Some(_) => {}
                        }
                    }
                    (None, Some(decided)) => {
                        let dspan = at(wspans.and_then(|w| w.value.decision.as_ref()), wspan);
                        match rb.step(decided).map(|s| &s.decision) {
                            None => self.error(
                                "when",
                                dspan,
                                format!("step `{}`: `when` names unknown step `{decided}`", step.id),
                            ),
                            Some(None) => self.error(
                                "when",
                                dspan,
                                format!("step `{}`: `when` names step `{decided}`, which has no decision", step.id),
                            ),
                            Some(Some(d)) if !d.options.iter().any(|o| o.id == when.equals) => self.error(
                                "when",
                                equals_span,
                                format!(
                                    "step `{}`: `{}` is not an option of the decision in step `{decided}`",
                                    step.id, when.equals
                                ),
                            ),
                            Some(Some(_)) => {}
                        }
                    }
                }
            }
            for (l, link) in step.links.iter().enumerate() {
                if safe_href(&link.url).is_none() {
                    let lspan = at(
                        spans
                            .and_then(|s| s.links.get(l))
                            .and_then(|s| s.url.as_ref()),
                        span,
                    );
                    self.error(
                        "link-url",
                        lspan,
                        format!("step `{}`: link `{}` is not an http(s), mailto, tel or relative address", step.id, link.url),
                    );
                }
            }
        }
    }

    /// Reachability from the first step, and steps from which the end cannot be reached.
    fn graph(&mut self) {
        let rb = self.runbook;
        let index: HashMap<&str, usize> = rb
            .steps
            .iter()
            .enumerate()
            .rev()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let edges: Vec<Vec<usize>> = rb
            .steps
            .iter()
            .enumerate()
            .map(|(i, step)| match (&step.decision, &step.next) {
                (Some(decision), _) => decision
                    .options
                    .iter()
                    .filter_map(|o| index.get(o.next.as_str()).copied())
                    .collect(),
                (None, Some(next)) => index.get(next.as_str()).copied().into_iter().collect(),
                (None, None) if i + 1 < rb.steps.len() => vec![i + 1],
                (None, None) => Vec::new(),
            })
            .collect();
        let reachable = search(&[0], |i| edges[i].clone(), rb.steps.len());
        let ends: Vec<usize> = (0..rb.steps.len())
            .filter(|&i| edges[i].is_empty())
            .collect();
        let mut reverse = vec![Vec::new(); rb.steps.len()];
        for (from, targets) in edges.iter().enumerate() {
            for &to in targets {
                reverse[to].push(from);
            }
        }
        let can_finish = search(&ends, |i| reverse[i].clone(), rb.steps.len());
        for (i, step) in rb.steps.iter().enumerate() {
            let span = self.step_span(i);
            if !reachable[i] {
                self.error(
                    "unreachable",
                    span,
                    format!("step `{}` cannot be reached from the first step", step.id),
                );
            } else if !can_finish[i] {
                self.error(
                    "no-exit",
                    span,
                    format!(
                        "step `{}` is in a cycle with no way out to the end of the runbook",
                        step.id
                    ),
                );
            }
        }
    }
}

/// Marks every node reachable from `starts` along `next`.
fn search(starts: &[usize], next: impl Fn(usize) -> Vec<usize>, len: usize) -> Vec<bool> {
    let mut seen = vec![false; len];
    let mut stack: Vec<usize> = starts.iter().copied().filter(|&s| s < len).collect();
    while let Some(node) = stack.pop() {
        if std::mem::replace(&mut seen[node], true) {
            continue;
        }
        stack.extend(next(node).into_iter().filter(|&n| !seen[n]));
    }
    seen
}

/// The names of `{{ name }}` placeholders in a template, or the character offset of a `{{`
/// that is never closed.
pub fn placeholders(template: &str) -> Result<Vec<&str>, usize> {
    let mut names = Vec::new();
    let mut rest = template;
    let mut consumed = 0;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            return Err(template[..consumed + open].chars().count());
        };
        names.push(after[..close].trim());
        consumed += open + 2 + close + 2;
        rest = &after[close + 2..];
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found_and_unclosed_ones_reported() {
        assert_eq!(
            placeholders("Hi {{user}}, {{ ticket }}!"),
            Ok(vec!["user", "ticket"])
        );
        assert_eq!(placeholders("no placeholders"), Ok(vec![]));
        assert_eq!(placeholders("é {{open"), Err(2));
    }

    #[test]
    fn overdue_review_is_a_warning_only_when_today_is_known() {
        let src = b"id: x\ntitle: X\nversion: '1'\nkind: request\nreview_by: '2020-01-01'\nsteps:\n  - {id: a, title: A}\n";
        assert!(lint("x", src, SourceFormat::Yaml, None)
            .diagnostics
            .is_empty());
        let today = NaiveDate::from_ymd_opt(2026, 1, 1);
        let report = lint("x", src, SourceFormat::Yaml, today);
        assert_eq!(report.diagnostics.len(), 1);
        assert_eq!(report.diagnostics[0].severity, Severity::Warning);
        assert_eq!(
            report.diagnostics[0].span,
            Span {
                line: 5,
                column: 12
            }
        );
        assert!(!report.has_errors());
    }
}
