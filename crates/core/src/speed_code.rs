//! Speed codes filled in: a template's `{{placeholders}}` replaced by the session's values.
//!
//! A value that is not known yet is never left empty, which would read as if it were: it is
//! shown as `[name not set]` and listed, so the technician sees what to fill before sending.

use crate::priority::{sla, Matrix};
use crate::runbook::InputKind;
use crate::session::Session;
use crate::time::Timestamp;

/// A template with its placeholders filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    pub text: String,
    /// Placeholders that had no value, in order of appearance, each once.
    pub missing: Vec<String>,
}

/// Fills `template`, asking `value` for each placeholder name.
///
/// ```
/// use stepwise_core::speed_code::fill;
///
/// let filled = fill("Hi {{user}}, ticket {{ ticket }}.", |name| (name == "user").then(|| "Ana".to_owned()));
/// assert_eq!(filled.text, "Hi Ana, ticket [ticket not set].");
/// assert_eq!(filled.missing, ["ticket"]);
/// ```
pub fn fill(template: &str, value: impl Fn(&str) -> Option<String>) -> Filled {
    let mut text = String::with_capacity(template.len());
    let mut missing: Vec<String> = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        text.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            // Unclosed (the linter reports it): shown as written.
            text.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let name = after[..close].trim();
        match value(name).filter(|v| !v.trim().is_empty()) {
            Some(v) => text.push_str(&v),
            None => {
                text.push_str(&format!("[{name} not set]"));
                if !missing.iter().any(|m| m == name) {
                    missing.push(name.to_owned());
                }
            }
        }
        rest = &after[close + 2..];
    }
    text.push_str(rest);
    Filled { text, missing }
}

/// The value of a placeholder in `session` at `now`: an input by id, or a session field.
/// Priority and due times need the session's priority `matrix`; without it, or before a
/// Priority is set, they are missing.
pub fn session_value(
    session: &Session,
    matrix: Option<&Matrix>,
    name: &str,
    now: Timestamp,
) -> Option<String> {
    let state = session.state();
    let runbook = session.runbook();
    if let Some(value) = state.inputs.get(name) {
        return Some(value.clone());
    }
    match name {
        "technician" => state.technician.as_ref().map(|a| a.name.clone()),
        "ticket" => runbook
            .inputs
            .iter()
            .find(|i| i.kind == InputKind::Ticket)
            .and_then(|i| state.inputs.get(&i.id))
            .cloned(),
        "runbook" => Some(format!("{} (v{})", runbook.title, runbook.version)),
        "started" => Some(state.started.to_string()),
        "now" => Some(now.to_string()),
        "elapsed" => Some(format!(
            "{} min",
            (now.unix_millis() - state.started.unix_millis()).max(0) / 60_000
        )),
        "priority" | "response_due" | "resolution_due" => {
            let view = sla(matrix?, state, now)?;
            match name {
                "priority" => Some(format!("{} {}", view.priority.id, view.priority.label)),
                "response_due" => view.response.due.map(|t| t.to_string()),
                _ => view.resolution.due.map(|t| t.to_string()),
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_known_values_and_marks_missing_ones_once() {
        let value = |name: &str| match name {
            "a" => Some("A".to_owned()),
            "blank" => Some("  ".to_owned()),
            _ => None,
        };
        for (template, text, missing) in [
            ("{{a}}-{{ a }}", "A-A", vec![]),
            (
                "x {{b}} {{b}} {{blank}}",
                "x [b not set] [b not set] [blank not set]",
                vec!["b", "blank"],
            ),
            ("no placeholders", "no placeholders", vec![]),
            ("open {{a", "open {{a", vec![]),
            ("é{{a}}ü", "éAü", vec![]),
        ] {
            let filled = fill(template, value);
            assert_eq!(filled.text, text, "{template}");
            assert_eq!(filled.missing, missing, "{template}");
        }
    }
}
