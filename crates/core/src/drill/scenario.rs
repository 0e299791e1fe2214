//! The drill scenario format (`runbooks/drills/*.yaml`, also JSON) and its linter.
//!
//! A scenario names the runbook it drills, a briefing, preset inputs and Impact/Urgency,
//! timed or step-triggered injects with what the trainee is expected to do in response,
//! per-step targets and the weights of the score. Unknown fields are refused, and durations
//! are typed: a `5x` is a parse error at its line and column, not a silent zero. Whether
//! the steps, options and speed codes it names exist in the runbook is the linter's
//! question, since it needs the runbook.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

use crate::ids::{RunbookId, StepId};
use crate::priority::Matrix;
use crate::runbook::{
    check_count, check_id, check_text, deserialize_source, parse_duration, read_mirror, span_at,
    visible_controls, Diagnostic, ParseError, ParseErrorKind, Positioned, Runbook, Severity,
    SourceFormat, Span, MAX_ENTRIES, MAX_STEPS,
};
use crate::session::validate_input;

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub id: String,
    pub title: String,
    /// The runbook drilled, and optionally the exact version the scenario was written for.
    pub runbook: RunbookPin,
    /// Markdown shown to the trainee before the drill clock starts.
    pub briefing: String,
    /// Input values the scenario fixes, by input id; recorded when the drill starts.
    #[serde(default)]
    pub inputs: BTreeMap<String, String>,
    /// Impact and Urgency the scenario fixes, if it does.
    #[serde(default)]
    pub impact: Option<String>,
    #[serde(default)]
    pub urgency: Option<String>,
    #[serde(default)]
    pub injects: Vec<Inject>,
    #[serde(default)]
    pub targets: Vec<Target>,
    #[serde(default)]
    pub scoring: Weights,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunbookPin {
    pub id: RunbookId,
    #[serde(default)]
    pub version: Option<String>,
}

/// News that reaches the trainee during the drill: at a drill-clock offset (`at`), or once
/// they have left a step (`after_step`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inject {
    pub id: String,
    #[serde(default)]
    pub at: Option<DrillDuration>,
    #[serde(default)]
    pub after_step: Option<StepId>,
    pub title: String,
    /// Markdown.
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub expects: Option<Expectation>,
}

/// What the trainee should do in response to an inject, and how soon after it arrives.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    #[serde(default)]
    pub decision: Option<ExpectedDecision>,
    /// The id of a speed code the trainee should send.
    #[serde(default)]
    pub speed_code: Option<String>,
    pub within: DrillDuration,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedDecision {
    pub step: StepId,
    pub option: String,
}

/// A step's target: how long it should take, and the decision option expected there.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub step: StepId,
    #[serde(default)]
    pub within: Option<DrillDuration>,
    #[serde(default)]
    pub decision: Option<String>,
}

/// How much each part of the score counts; the score is out of 100 whatever they add up to.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    pub time: u32,
    pub decisions: u32,
    pub required_items: u32,
    pub communications: u32,
}

impl Default for Weights {
    fn default() -> Weights {
        Weights {
            time: 25,
            decisions: 25,
            required_items: 25,
            communications: 25,
        }
    }
}

/// A duration as authors write it (`90s`, `5m`, `1h30m`), in whole seconds.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DrillDuration(u64);

impl DrillDuration {
    pub fn from_secs(secs: u64) -> DrillDuration {
        DrillDuration(secs)
    }

    pub fn secs(self) -> u64 {
        self.0
    }

    pub fn millis(self) -> i64 {
        i64::try_from(self.0.saturating_mul(1000)).unwrap_or(i64::MAX)
    }
}

/// In the schema, a duration is the text authors write.
#[cfg(feature = "schema")]
impl schemars::JsonSchema for DrillDuration {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Duration".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A duration such as 90s, 5m or 1h30m.",
            "pattern": "^([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?$"
        })
    }
}

impl TryFrom<String> for DrillDuration {
    type Error = String;

    fn try_from(text: String) -> Result<DrillDuration, String> {
        parse_duration(&text)
            .map(DrillDuration)
            .ok_or_else(|| format!("`{text}` is not a duration such as 90s, 5m or 1h30m"))
    }
}

impl From<DrillDuration> for String {
    fn from(d: DrillDuration) -> String {
        d.to_string()
    }
}

impl fmt::Display for DrillDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m, s) = (self.0 / 3600, self.0 / 60 % 60, self.0 % 60);
        let mut out = String::new();
        if h > 0 {
            out.push_str(&format!("{h}h"));
        }
        if m > 0 {
            out.push_str(&format!("{m}m"));
        }
        if s > 0 || out.is_empty() {
            out.push_str(&format!("{s}s"));
        }
        f.write_str(&out)
    }
}

impl fmt::Debug for DrillDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DrillDuration({self})")
    }
}

impl Scenario {
    pub fn inject(&self, id: &str) -> Option<&Inject> {
        self.injects.iter().find(|i| i.id == id)
    }

    pub fn target(&self, step: &StepId) -> Option<&Target> {
        self.targets.iter().find(|t| &t.step == step)
    }
}

/// Parses a scenario from its source bytes (the same size limit and positions as runbooks).
///
/// ```
/// use stepwise_core::drill::parse_scenario;
/// use stepwise_core::runbook::SourceFormat;
///
/// let yaml = b"id: d\ntitle: D\nrunbook: {id: vpn}\nbriefing: Go.\ninjects:\n  - {id: call, at: 5m, title: A call}\n";
/// let scenario = parse_scenario("d.yaml", yaml, SourceFormat::Yaml).expect("valid");
/// assert_eq!(scenario.injects[0].at.map(|d| d.secs()), Some(300));
///
/// let bad = b"id: d\ntitle: D\nrunbook: {id: vpn}\nbriefing: Go.\ninjects:\n  - {id: call, at: 5x, title: A call}\n";
/// let err = parse_scenario("d.yaml", bad, SourceFormat::Yaml).unwrap_err();
/// assert_eq!(err.line, 6);
/// ```
pub fn parse_scenario(
    file: &str,
    bytes: &[u8],
    format: SourceFormat,
) -> Result<Scenario, ParseError> {
    let scenario: Scenario = deserialize_source(file, bytes, format)?;
    if let Some((inject, message)) = refused(&scenario) {
        let text = String::from_utf8_lossy(bytes);
        let spans: ScenarioSpans = read_mirror(&text);
        let span = inject
            .and_then(|i| spans.injects.get(i))
            .map_or(TOP, |s| at(s.id.as_ref(), TOP));
        return Err(ParseError {
            file: file.to_owned(),
            line: span.line,
            column: span.column,
            kind: ParseErrorKind::Refused(message),
        });
    }
    Ok(scenario)
}

/// The first value that breaks a limit of `runbook::limits`, and the inject it is in.
fn refused(s: &Scenario) -> Option<(Option<usize>, String)> {
    let whole = |m: String| (None, m);
    check_id("scenario id", &s.id)
        .and_then(|()| check_text("title", &s.title))
        .and_then(|()| check_text("briefing", &s.briefing))
        .and_then(|()| check_count("injects", s.injects.len(), MAX_ENTRIES))
        .and_then(|()| check_count("targets", s.targets.len(), MAX_STEPS))
        .and_then(|()| check_count("inputs", s.inputs.len(), MAX_ENTRIES))
        .and_then(|()| {
            s.inputs.iter().try_for_each(|(k, v)| {
                check_id("input id", k).and_then(|()| check_text("input value", v))
            })
        })
        .map_err(whole)
        .err()
        .or_else(|| {
            s.injects.iter().enumerate().find_map(|(i, inject)| {
                check_id("inject id", &inject.id)
                    .and_then(|()| check_text("title", &inject.title))
                    .and_then(|()| check_text("body", &inject.body))
                    .err()
                    .map(|m| {
                        (
                            Some(i),
                            format!("inject `{}`: {m}", visible_controls(&inject.id)),
                        )
                    })
            })
        })
}

/// What the scenario linter found, and the scenario when it parsed.
#[derive(Debug, Clone)]
pub struct ScenarioReport {
    pub scenario: Option<Scenario>,
    pub diagnostics: Vec<Diagnostic>,
}

impl ScenarioReport {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Lints a scenario against the runbooks it may name (`library`). Like the runbook linter
/// it never fails: a source that does not parse yields one `syntax` diagnostic.
pub fn lint_scenario(
    file: &str,
    bytes: &[u8],
    format: SourceFormat,
    library: &[&Runbook],
) -> ScenarioReport {
    let scenario = match parse_scenario(file, bytes, format) {
        Ok(s) => s,
        Err(e) => {
            return ScenarioReport {
                scenario: None,
                diagnostics: vec![Diagnostic {
                    code: "syntax",
                    severity: Severity::Error,
                    span: Span {
                        line: e.line.max(1),
                        column: e.column.max(1),
                    },
                    message: e.kind.to_string(),
                }],
            }
        }
    };
    let text = String::from_utf8_lossy(bytes);
    let spans: ScenarioSpans = read_mirror(&text);
    let mut out = Vec::new();
    check(&scenario, &spans, library, &mut out);
    out.sort_by_key(|d| (d.span, d.severity));
    ScenarioReport {
        scenario: Some(scenario),
        diagnostics: out,
    }
}

/// A scenario's preset Impact and Urgency against the priority matrix the drill runs under
/// (the library's `priority.yaml`): each must be one of the matrix's levels, and they come
/// as a pair, since a priority needs both. Without this a drill would start with no
/// priority and a notice, in front of the trainee. A source that does not parse yields
/// nothing here: [`lint_scenario`] reports it.
pub fn lint_scenario_priority(
    file: &str,
    bytes: &[u8],
    format: SourceFormat,
    matrix: &Matrix,
) -> Vec<Diagnostic> {
    let Ok(scenario) = parse_scenario(file, bytes, format) else {
        return Vec::new();
    };
    let spans: ScenarioSpans = read_mirror(&String::from_utf8_lossy(bytes));
    let mut out = Vec::new();
    let presets = [
        ("impact", &scenario.impact, &spans.impact, &matrix.impact),
        (
            "urgency",
            &scenario.urgency,
            &spans.urgency,
            &matrix.urgency,
        ),
    ];
    for (what, value, span, levels) in presets {
        let Some(value) = value else { continue };
        if !levels.iter().any(|l| &l.id == value) {
            let known: Vec<&str> = levels.iter().map(|l| l.id.as_str()).collect();
            out.push(Diagnostic {
                code: "unknown-level",
                severity: Severity::Error,
                span: at(span.as_ref(), TOP),
                message: format!(
                    "{what} `{value}` is not a level of the priority matrix `{}` ({})",
                    matrix.id,
                    known.join(", ")
                ),
            });
        }
    }
    let half = match (&scenario.impact, &scenario.urgency) {
        (Some(_), None) => Some(("impact", "urgency", &spans.impact)),
        (None, Some(_)) => Some(("urgency", "impact", &spans.urgency)),
        _ => None,
    };
    if let Some((given, missing, span)) = half {
        out.push(Diagnostic {
            code: "half-priority",
            severity: Severity::Warning,
            span: at(span.as_ref(), TOP),
            message: format!(
                "{given} is preset but {missing} is not, so the drill starts without a priority"
            ),
        });
    }
    out
}

const TOP: Span = Span { line: 1, column: 1 };

fn check(s: &Scenario, spans: &ScenarioSpans, library: &[&Runbook], out: &mut Vec<Diagnostic>) {
    let mut error = |code: &'static str, span: Span, message: String| {
        out.push(Diagnostic {
            code,
            severity: Severity::Error,
            span,
            message,
        })
    };
    let w = s.scoring;
    if w.time + w.decisions + w.required_items + w.communications == 0 {
        error(
            "zero-weights",
            at(spans.scoring.as_ref(), TOP),
            "every scoring weight is 0, so nothing could be scored".to_owned(),
        );
    }
    let mut seen = HashSet::new();
    for (i, inject) in s.injects.iter().enumerate() {
        let span = spans.injects.get(i);
        let id_span = at(span.and_then(|s| s.id.as_ref()), TOP);
        if !seen.insert(inject.id.as_str()) {
            error(
                "duplicate-id",
                id_span,
                format!("inject id `{}` is used twice", inject.id),
            );
        }
        match (&inject.at, &inject.after_step) {
            (Some(_), Some(_)) => error(
                "inject-trigger",
                id_span,
                format!(
                    "inject `{}` has both `at` and `after_step`; give one",
                    inject.id
                ),
            ),
            (None, None) => error(
                "inject-trigger",
                id_span,
                format!(
                    "inject `{}` needs `at` (a drill-clock time) or `after_step`",
                    inject.id
                ),
            ),
            _ => {}
        }
        if let Some(e) = &inject.expects {
            if e.decision.is_some() == e.speed_code.is_some() {
                error(
                    "inject-expects",
                    at(span.and_then(|s| s.expects.as_ref()), id_span),
                    format!(
                        "inject `{}`: `expects` names exactly one of `decision` or `speed_code`",
                        inject.id
                    ),
                );
            }
        }
    }
    let mut targeted = HashSet::new();
    for (i, target) in s.targets.iter().enumerate() {
        if !targeted.insert(&target.step) {
            let span = at(spans.targets.get(i).and_then(|t| t.step.as_ref()), TOP);
            error(
                "duplicate-id",
                span,
                format!("step `{}` has two targets", target.step),
            );
        }
    }
    let Some(runbook) = library.iter().find(|r| r.id == s.runbook.id) else {
        error(
            "unknown-runbook",
            at(
                spans.runbook.as_ref().and_then(|r| r.value.id.as_ref()),
                TOP,
            ),
            format!("runbook `{}` is not in the library", s.runbook.id),
        );
        return;
    };
    if let Some(version) = s
        .runbook
        .version
        .as_ref()
        .filter(|v| **v != runbook.version)
    {
        error(
            "runbook-version",
            at(
                spans
                    .runbook
                    .as_ref()
                    .and_then(|r| r.value.version.as_ref()),
                TOP,
            ),
            format!(
                "the scenario is for version {version} of `{}`, but the library has {}",
                runbook.id, runbook.version
            ),
        );
    }
    for (input, value) in &s.inputs {
        let span = at(spans.inputs.get(input), TOP);
        match runbook.inputs.iter().find(|x| &x.id == input) {
            None => error(
                "unknown-input",
                span,
                format!("input `{input}` is not an input of `{}`", runbook.id),
            ),
            Some(x) => {
                if let Err(why) = validate_input(x.kind, &x.options, value) {
                    error(
                        "invalid-input",
                        span,
                        format!("`{value}` is not valid for input `{input}`: {why}"),
                    );
                }
            }
        }
    }
    let step_ref = |step: &StepId, span: Span, what: &str, out: &mut Vec<Diagnostic>| {
        let found = runbook.step(step).is_some();
        if !found {
            out.push(Diagnostic {
                code: "unknown-step",
                severity: Severity::Error,
                span,
                message: format!("{what} names unknown step `{step}` of `{}`", runbook.id),
            });
        }
        found
    };
    let option_ref = |step: &StepId, option: &str, span: Span, what: &str| {
        let decision = runbook.step(step).and_then(|s| s.decision.as_ref());
        match decision {
            None => Some(Diagnostic {
                code: "unknown-option",
                severity: Severity::Error,
                span,
                message: format!("{what}: step `{step}` has no decision"),
            }),
            Some(d) if !d.options.iter().any(|o| o.id == option) => Some(Diagnostic {
                code: "unknown-option",
                severity: Severity::Error,
                span,
                message: format!("{what}: step `{step}` has no option `{option}`"),
            }),
            Some(_) => None,
        }
    };
    for (i, inject) in s.injects.iter().enumerate() {
        let span = spans.injects.get(i);
        let what = format!("inject `{}`", inject.id);
        if let Some(step) = &inject.after_step {
            step_ref(
                step,
                at(span.and_then(|s| s.after_step.as_ref()), TOP),
                &format!("{what}: `after_step`"),
                out,
            );
        }
        let Some(e) = &inject.expects else { continue };
        let e_span = span.and_then(|s| s.expects.as_ref()).map(|e| &e.value);
        if let Some(d) = &e.decision {
            let d_span = at(e_span.and_then(|e| e.decision.as_ref()), TOP);
            if step_ref(&d.step, d_span, &format!("{what}: `expects`"), out) {
                out.extend(option_ref(&d.step, &d.option, d_span, &what));
            }
        }
        if let Some(code) = &e.speed_code {
            if !runbook.speed_codes.iter().any(|c| &c.id == code) {
                out.push(Diagnostic {
                    code: "unknown-speed-code",
                    severity: Severity::Error,
                    span: at(e_span.and_then(|e| e.speed_code.as_ref()), TOP),
                    message: format!("{what}: `{code}` is not a speed code of `{}`", runbook.id),
                });
            }
        }
    }
    for (i, target) in s.targets.iter().enumerate() {
        let span = spans.targets.get(i);
        let step_span = at(span.and_then(|t| t.step.as_ref()), TOP);
        if !step_ref(&target.step, step_span, "a target", out) {
            continue;
        }
        if let Some(option) = &target.decision {
            let d_span = at(span.and_then(|t| t.decision.as_ref()), step_span);
            out.extend(option_ref(
                &target.step,
                option,
                d_span,
                &format!("the target of `{}`", target.step),
            ));
        }
    }
}

/// Positions of the values the rules point at; everything optional, unknown fields ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ScenarioSpans {
    runbook: Option<Positioned<PinSpans>>,
    impact: Option<Positioned<IgnoredAny>>,
    urgency: Option<Positioned<IgnoredAny>>,
    inputs: BTreeMap<String, Positioned<IgnoredAny>>,
    injects: Vec<InjectSpans>,
    targets: Vec<TargetSpans>,
    scoring: Option<Positioned<IgnoredAny>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PinSpans {
    id: Option<Positioned<IgnoredAny>>,
    version: Option<Positioned<IgnoredAny>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct InjectSpans {
    id: Option<Positioned<IgnoredAny>>,
    after_step: Option<Positioned<IgnoredAny>>,
    expects: Option<Positioned<ExpectsSpans>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ExpectsSpans {
    decision: Option<Positioned<IgnoredAny>>,
    speed_code: Option<Positioned<IgnoredAny>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TargetSpans {
    step: Option<Positioned<IgnoredAny>>,
    decision: Option<Positioned<IgnoredAny>>,
}

fn at<T>(value: Option<&Positioned<T>>, fallback: Span) -> Span {
    span_at(value, fallback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_and_print_as_authors_write_them() {
        for (text, secs, shown) in [
            ("90s", 90, "1m30s"),
            ("5m", 300, "5m"),
            ("1h30m", 5400, "1h30m"),
        ] {
            let d = DrillDuration::try_from(text.to_owned()).expect("valid");
            assert_eq!((d.secs(), d.to_string()), (secs, shown.to_owned()));
        }
        assert!(DrillDuration::try_from("5x".to_owned()).is_err());
        assert!(DrillDuration::try_from("0m".to_owned()).is_err());
    }
}
