//! The limits every runbook is held to, so that a file made to hurt is refused with a
//! message naming the limit, before it can stall a browser or mislead a reader.
//!
//! Sizes: a file is at most [`MAX_SOURCE_BYTES`](super::MAX_SOURCE_BYTES); YAML nesting,
//! aliases and anchors are bounded while parsing ([`YAML_MAX_DEPTH`] and the budget in
//! `parse.rs`); after parsing, the counts and text lengths below. Content: no text or id may
//! hold a control character other than tab and line breaks, nor a bidirectional embedding,
//! override or isolate control (U+202A–U+202E, U+2066–U+2069), which can make text read
//! differently from what it is ("Trojan Source"). Ids are short, printable, and hold no space.

use super::model::{Input, Item, Runbook, SpeedCode, Step};

/// The most steps a runbook may have.
pub const MAX_STEPS: usize = 1_000;
/// The most checklist items one step may have.
pub const MAX_ITEMS: usize = 100;
/// The most entries of any other list: inputs, roles, tags, speed codes, links, options.
pub const MAX_ENTRIES: usize = 100;
/// The longest any one text (a title, a body, a template) may be, in bytes.
pub const MAX_TEXT_BYTES: usize = 32 * 1024;
/// The longest an id may be, in bytes.
pub const MAX_ID_BYTES: usize = 128;
/// The deepest YAML nesting accepted (real runbooks need six levels).
pub const YAML_MAX_DEPTH: usize = 32;

/// Where a refused value stands, for the parser to find its line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// A top-level key.
    Top(&'static str),
    Step(usize),
    Item(usize, usize),
    Input(usize),
    SpeedCode(usize),
}

/// The first value of `runbook` that breaks a limit, in the order of the file.
pub(crate) fn check(runbook: &Runbook) -> Option<(Place, String)> {
    first_breach(runbook).err()
}

fn first_breach(runbook: &Runbook) -> Result<(), (Place, String)> {
    let top = |key: &'static str| move |m: String| (Place::Top(key), m);
    id("runbook id", runbook.id.as_str()).map_err(top("id"))?;
    text("title", &runbook.title).map_err(top("title"))?;
    text("summary", &runbook.summary).map_err(top("summary"))?;
    let counts = [
        ("tags", "tags", runbook.tags.len(), MAX_ENTRIES),
        ("roles", "roles", runbook.roles.len(), MAX_ENTRIES),
        ("inputs", "inputs", runbook.inputs.len(), MAX_ENTRIES),
        (
            "speed codes",
            "speed_codes",
            runbook.speed_codes.len(),
            MAX_ENTRIES,
        ),
        ("steps", "steps", runbook.steps.len(), MAX_STEPS),
    ];
    for (what, key, n, limit) in counts {
        count(what, n, limit).map_err(top(key))?;
    }
    for (i, input) in runbook.inputs.iter().enumerate() {
        input_limits(input).map_err(|m| {
            let shown = visible_controls(&input.id);
            (Place::Input(i), format!("input `{shown}`: {m}"))
        })?;
    }
    for (i, code) in runbook.speed_codes.iter().enumerate() {
        speed_code_limits(code).map_err(|m| {
            let shown = visible_controls(&code.id);
            (Place::SpeedCode(i), format!("speed code `{shown}`: {m}"))
        })?;
    }
    all_text("tag", &runbook.tags).map_err(top("tags"))?;
    for (s, step) in runbook.steps.iter().enumerate() {
        let shown = visible_controls(step.id.as_str());
        step_limits(step).map_err(|m| (Place::Step(s), format!("step `{shown}`: {m}")))?;
        for (i, item) in step.checklist.iter().enumerate() {
            item_limits(item).map_err(|m| {
                let item_shown = visible_controls(item.id.as_str());
                (
                    Place::Item(s, i),
                    format!("step `{shown}`, item `{item_shown}`: {m}"),
                )
            })?;
        }
    }
    Ok(())
}

fn input_limits(input: &Input) -> Result<(), String> {
    id("input id", &input.id)?;
    text("input label", &input.label)?;
    count("options", input.options.len(), MAX_ENTRIES)?;
    all_text("option", &input.options)
}

fn speed_code_limits(code: &SpeedCode) -> Result<(), String> {
    id("speed code id", &code.id)?;
    text("title", &code.title)?;
    text("template", &code.template)
}

/// A step's own fields, links and decision; its checklist items are checked one by one.
fn step_limits(step: &Step) -> Result<(), String> {
    id("step id", step.id.as_str())?;
    text("title", &step.title)?;
    text("body", &step.body)?;
    count("checklist items", step.checklist.len(), MAX_ITEMS)?;
    count("links", step.links.len(), MAX_ENTRIES)?;
    for link in &step.links {
        text("link title", &link.title)?;
        text("link", &link.url)?;
    }
    if let Some(decision) = &step.decision {
        text("question", &decision.question)?;
        count("options", decision.options.len(), MAX_ENTRIES)?;
        for option in &decision.options {
            id("option id", &option.id)?;
            text("option label", &option.label)?;
        }
    }
    Ok(())
}

fn item_limits(item: &Item) -> Result<(), String> {
    id("item id", item.id.as_str())?;
    text("text", &item.text)?;
    match &item.evidence {
        Some(prompt) => text("evidence prompt", prompt),
        None => Ok(()),
    }
}

/// A text field: bounded, and free of the characters that hide or disguise text.
pub(crate) fn text(what: &str, value: &str) -> Result<(), String> {
    if value.len() > MAX_TEXT_BYTES {
        return Err(format!(
            "{what} is {} bytes, over the limit of {MAX_TEXT_BYTES} bytes",
            value.len()
        ));
    }
    match value.chars().find(|&c| is_forbidden(c)) {
        Some(c) => Err(format!("{what} contains {}", describe(c))),
        None => Ok(()),
    }
}

/// An id: as a text, and short, with no space.
pub(crate) fn id(what: &str, value: &str) -> Result<(), String> {
    if value.len() > MAX_ID_BYTES {
        return Err(format!(
            "{what} is {} bytes, over the limit of {MAX_ID_BYTES} bytes",
            value.len()
        ));
    }
    text(what, value)?;
    if value.chars().any(char::is_whitespace) {
        return Err(format!(
            "{what} `{value}` contains a space; ids are single words"
        ));
    }
    Ok(())
}

pub(crate) fn count(what: &str, n: usize, limit: usize) -> Result<(), String> {
    if n > limit {
        Err(format!("{n} {what}, over the limit of {limit}"))
    } else {
        Ok(())
    }
}

fn all_text(what: &str, values: &[String]) -> Result<(), String> {
    values.iter().try_for_each(|v| text(what, v))
}

/// Control characters (but tab and line breaks) and the bidirectional controls that embed,
/// override or isolate: what can make a text display other than it reads.
pub fn is_forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn describe(c: char) -> String {
    let code = format!("U+{:04X}", u32::from(c));
    if c.is_control() {
        format!("the control character {code}")
    } else {
        format!("the bidirectional control character {code}, which can make text read differently from what it is")
    }
}

/// `text` with every forbidden character shown as `‹U+202E›`: for log text (notes, names)
/// that a report prints, so that nothing in it disguises itself.
pub fn visible_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_forbidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| {
                if is_forbidden(c) {
                    format!("‹U+{:04X}›", u32::from(c))
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_and_ids_are_bounded_and_plain() {
        assert!(text("title", "VPN – ünïcode is fine\n\twith tabs").is_ok());
        assert_eq!(
            text("title", "a\u{202E}b"),
            Err("title contains the bidirectional control character U+202E, which can make text read differently from what it is".into())
        );
        assert_eq!(
            text("body", "nul\0here"),
            Err("body contains the control character U+0000".into())
        );
        let long = "x".repeat(MAX_TEXT_BYTES + 1);
        assert_eq!(
            text("body", &long),
            Err(format!(
                "body is {} bytes, over the limit of {MAX_TEXT_BYTES} bytes",
                MAX_TEXT_BYTES + 1
            ))
        );
        assert!(id("step id", "triage-1").is_ok());
        assert!(id("step id", "two words").is_err());
        assert!(id("step id", &"a".repeat(129)).is_err());
        assert_eq!(
            count("steps", 1001, MAX_STEPS),
            Err("1001 steps, over the limit of 1000".into())
        );
        assert_eq!(visible_controls("a\u{2066}b"), "a‹U+2066›b");
        assert_eq!(visible_controls("plain"), "plain");
    }

    /// A refused id is named in the message with its hidden characters made visible, never
    /// as written, wherever it stands.
    #[test]
    fn messages_show_refused_ids_with_their_controls_visible() {
        use crate::runbook::{parse, SourceFormat};
        let head = "id: r\ntitle: R\nversion: '1'\nkind: incident\n";
        for (body, named) in [
            (
                "steps:\n  - id: a\n    title: A\n    checklist:\n      - {id: \"i\\u202Ej\", text: T}\n",
                "step `a`, item `i‹U+202E›j`: item id contains",
            ),
            (
                "speed_codes:\n  - {id: \"c\\u202Ed\", title: C, template: T}\nsteps:\n  - {id: a, title: A}\n",
                "speed code `c‹U+202E›d`: speed code id contains",
            ),
        ] {
            let source = format!("{head}{body}");
            let message = match parse("r.yaml", source.as_bytes(), SourceFormat::Yaml) {
                Ok(_) => panic!("{source} parsed"),
                Err(e) => e.to_string(),
            };
            assert!(message.contains(named), "{message}");
            assert!(!message.contains('\u{202E}'), "{message}");
        }
    }
}
