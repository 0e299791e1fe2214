//! Bytes to a typed [`Runbook`], or a [`ParseError`] that names file, line and column.
//!
//! YAML goes through granit-parser into a positioned tree (`yaml.rs`: budgets on nesting,
//! anchors and aliases, duplicate keys refused); JSON through `serde_json`. Both report
//! positions, which we keep.
//! This is "parse, don't validate": what comes out is well-formed by type. Rules about the
//! graph of steps (unknown targets, unreachable steps) are the linter's, as diagnostics.

use std::fmt;

use serde::de::DeserializeOwned;
use thiserror::Error;

use super::limits::{self, Place};
use super::lint::Span;
use super::model::Runbook;
use super::spans::{at, RunbookSpans};
use super::yaml;

/// The largest runbook source accepted, in bytes. Real runbooks are a few kilobytes; the
/// limit keeps a hostile file from stalling the browser.
pub const MAX_SOURCE_BYTES: usize = 1024 * 1024;

/// Which syntax a source is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    Yaml,
    Json,
}

impl SourceFormat {
    /// By file extension: `.json` is JSON, `.yaml`/`.yml` YAML, anything else `None`.
    pub fn from_file_name(name: &str) -> Option<SourceFormat> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            Some(SourceFormat::Json)
        } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            Some(SourceFormat::Yaml)
        } else {
            None
        }
    }
}

/// A source that could not become a runbook, with the position of the first problem.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct ParseError {
    pub file: String,
    /// 1-based line; 0 only when the problem is the file as a whole (its size).
    pub line: u64,
    /// 1-based column in characters; 0 with `line` 0.
    pub column: u64,
    #[source]
    pub kind: ParseErrorKind,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.kind)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.kind
            )
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseErrorKind {
    #[error("file is {size} bytes, over the limit of {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("file is not valid UTF-8")]
    NotUtf8,
    #[error("{0}")]
    Syntax(String),
    #[error("a runbook needs at least one step")]
    NoSteps,
    /// A limit of `limits.rs` is broken; the message names it.
    #[error("{0}")]
    Refused(String),
}

/// Parses a runbook from its source bytes.
///
/// ```
/// use stepwise_core::runbook::{parse, SourceFormat};
///
/// let yaml = b"id: demo\ntitle: Demo\nversion: '1'\nkind: request\nsteps:\n  - id: s1\n    title: One\n";
/// let runbook = parse("demo.yaml", yaml, SourceFormat::Yaml).expect("valid");
/// assert_eq!(runbook.steps.len(), 1);
///
/// let err = parse("demo.yaml", b"id: demo\ntitel: Demo\n", SourceFormat::Yaml).unwrap_err();
/// assert_eq!((err.line, err.file.as_str()), (2, "demo.yaml"));
/// ```
pub fn parse(file: &str, bytes: &[u8], format: SourceFormat) -> Result<Runbook, ParseError> {
    let runbook: Runbook = deserialize(file, bytes, format)?;
    if runbook.steps.is_empty() {
        let (line, column) = key_position(bytes, "steps").unwrap_or((1, 1));
        return Err(ParseError {
            file: file.to_owned(),
            line,
            column,
            kind: ParseErrorKind::NoSteps,
        });
    }
    if let Some((place, message)) = limits::check(&runbook) {
        let (line, column) = place_position(bytes, place).unwrap_or((1, 1));
        return Err(ParseError {
            file: file.to_owned(),
            line,
            column,
            kind: ParseErrorKind::Refused(message),
        });
    }
    Ok(runbook)
}

/// The line and column of a refused value: its entry's `id`, or its top-level key.
fn place_position(bytes: &[u8], place: Place) -> Option<(u64, u64)> {
    let spans = RunbookSpans::read(&String::from_utf8_lossy(bytes));
    let fallback = Span { line: 0, column: 0 };
    let span = match place {
        Place::Top(key) => return key_position(bytes, key),
        Place::Step(s) => spans.step(s).map(|st| at(st.id.as_ref(), fallback)),
        Place::Item(s, i) => spans
            .step(s)
            .and_then(|st| st.checklist.get(i))
            .map(|it| at(it.id.as_ref(), fallback)),
        Place::Input(i) => spans.inputs.get(i).map(|x| at(x.id.as_ref(), fallback)),
        Place::SpeedCode(i) => spans
            .speed_codes
            .get(i)
            .map(|x| at(x.id.as_ref(), fallback)),
    }?;
    (span.line > 0).then_some((span.line, span.column))
}

/// Shared by every data file of ours (runbooks, the index, later priority and drills): the
/// size limit, UTF-8, and positions from whichever parser fits the format.
pub(crate) fn deserialize<T: DeserializeOwned>(
    file: &str,
    bytes: &[u8],
    format: SourceFormat,
) -> Result<T, ParseError> {
    let error = |line, column, kind| ParseError {
        file: file.to_owned(),
        line,
        column,
        kind,
    };
    if bytes.len() > MAX_SOURCE_BYTES {
        let kind = ParseErrorKind::TooLarge {
            size: bytes.len(),
            limit: MAX_SOURCE_BYTES,
        };
        return Err(error(0, 0, kind));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = position_of_byte(bytes, e.valid_up_to());
        error(line, column, ParseErrorKind::NotUtf8)
    })?;
    match format {
        SourceFormat::Json => serde_json::from_str(text).map_err(|e| {
            let message = strip_position_suffix(&e.to_string());
            error(
                e.line() as u64,
                e.column() as u64,
                ParseErrorKind::Syntax(message),
            )
        }),
        SourceFormat::Yaml => {
            // The YAML parser builds one positioned tree within its budget; the model is
            // read from the tree, so its messages and positions are the tree's (`yaml.rs`).
            let tree = yaml::read(text, &yaml::BUDGET).map_err(|e| {
                error(
                    e.line.max(1),
                    e.column.max(1),
                    ParseErrorKind::Syntax(e.message),
                )
            })?;
            yaml::from_node(&tree).map_err(|e| {
                error(
                    e.line.max(1),
                    e.column.max(1),
                    ParseErrorKind::Syntax(e.message),
                )
            })
        }
    }
}

/// serde_json appends "at line L column C" to its messages; we print the position in front
/// (`FILE:LINE:COL:`), so the suffix would only repeat it.
fn strip_position_suffix(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(cut) => message[..cut].to_owned(),
        None => message.to_owned(),
    }
}

/// 1-based line and character column of a byte offset into possibly invalid UTF-8.
fn position_of_byte(bytes: &[u8], offset: usize) -> (u64, u64) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u64
        + 1;
    (line, column)
}

/// Where a top-level `key:` (YAML) or `"key"` (JSON) stands, for errors found after parsing.
fn key_position(bytes: &[u8], key: &str) -> Option<(u64, u64)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let yaml = format!("{key}:");
    let json = format!("\"{key}\"");
    text.lines().enumerate().find_map(|(n, line)| {
        let column = if line.starts_with(&yaml) {
            Some(0)
        } else {
            line.find(&json)
        }?;
        Some((n as u64 + 1, line[..column].chars().count() as u64 + 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One helper for every parse case: the source, and either `Ok(step count)` or the
    /// expected `line:column: message` prefix.
    fn check(source: &str, format: SourceFormat, expect: Result<usize, &str>) {
        let got = parse("t", source.as_bytes(), format);
        match (got, expect) {
            (Ok(runbook), Ok(steps)) => assert_eq!(runbook.steps.len(), steps),
            (Err(e), Err(want)) => {
                let printed = e.to_string();
                assert!(
                    printed.starts_with(&format!("t:{want}")),
                    "expected `t:{want}…`, got `{printed}`"
                );
            }
            (got, want) => panic!("expected {want:?}, got {got:?}"),
        }
    }

    const MINIMAL: &str = "id: x\ntitle: X\nversion: '1'\nkind: incident\nsteps:\n  - id: a\n    title: A\n    checklist:\n      - id: i1\n        text: Do it\n";

    #[test]
    fn minimal_yaml_parses_with_defaults() {
        check(MINIMAL, SourceFormat::Yaml, Ok(1));
        let rb = parse("t", MINIMAL.as_bytes(), SourceFormat::Yaml).expect("valid");
        assert!(
            rb.steps[0].checklist[0].required,
            "items are required by default"
        );
    }

    #[test]
    fn unknown_field_is_refused_at_its_position() {
        let src = MINIMAL.replace(
            "        text: Do it",
            "        text: Do it\n        requried: false",
        );
        check(
            &src,
            SourceFormat::Yaml,
            Err("11:9: unknown field `requried`"),
        );
    }

    #[test]
    fn wrong_type_names_line_and_column() {
        let src = MINIMAL.replace("kind: incident", "kind: outage");
        check(
            &src,
            SourceFormat::Yaml,
            Err("4:7: unknown variant `outage`"),
        );
    }

    #[test]
    fn missing_field_is_an_error() {
        let src = MINIMAL.replace("title: X\n", "");
        let err = parse("t", src.as_bytes(), SourceFormat::Yaml).unwrap_err();
        assert!(err.to_string().contains("missing field `title`"), "{err}");
    }

    #[test]
    fn yaml_errors_point_at_the_value() {
        // The whole document is read before any field: a syntax error is found as such.
        check(
            "id: x\ntitle: [unclosed\n",
            SourceFormat::Yaml,
            Err("2:8: unclosed bracket '['"),
        );
        check(
            "id: x\ntitle: [a, b]\n",
            SourceFormat::Yaml,
            Err("2:8: expected a text here"),
        );
        check(
            "id: x\ntitle: \"unterminated\n",
            SourceFormat::Yaml,
            Err("2:8: "),
        );
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let src = MINIMAL.replace("title: X\n", "title: X\ntitle: Y\n");
        check(&src, SourceFormat::Yaml, Err("3:1: "));
    }

    #[test]
    fn json_is_accepted_and_its_errors_have_positions() {
        let json = r#"{"id":"x","title":"X","version":"1","kind":"request","steps":[{"id":"a","title":"A"}]}"#;
        check(json, SourceFormat::Json, Ok(1));
        check(
            "{\n  \"id\": 3\n}",
            SourceFormat::Json,
            Err("2:9: invalid type: integer `3`"),
        );
    }

    #[test]
    fn no_steps_points_at_the_steps_key() {
        let src = "id: x\ntitle: X\nversion: '1'\nkind: request\nsteps: []\n";
        check(
            src,
            SourceFormat::Yaml,
            Err("5:1: a runbook needs at least one step"),
        );
    }

    #[test]
    fn invalid_utf8_names_the_byte_position() {
        let mut bytes = b"id: x\ntitle: ab".to_vec();
        bytes.push(0xff);
        let err = parse("t", &bytes, SourceFormat::Yaml).unwrap_err();
        assert_eq!(
            (err.line, err.column, err.kind),
            (2, 10, ParseErrorKind::NotUtf8)
        );
    }

    #[test]
    fn oversized_source_names_the_limit() {
        let big = vec![b'#'; MAX_SOURCE_BYTES + 1];
        let err = parse("big.yaml", &big, SourceFormat::Yaml).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "big.yaml: file is {} bytes, over the limit of {} bytes",
                MAX_SOURCE_BYTES + 1,
                MAX_SOURCE_BYTES
            )
        );
    }

    #[test]
    fn format_from_file_name() {
        assert_eq!(
            SourceFormat::from_file_name("a.YML"),
            Some(SourceFormat::Yaml)
        );
        assert_eq!(
            SourceFormat::from_file_name("a.json"),
            Some(SourceFormat::Json)
        );
        assert_eq!(SourceFormat::from_file_name("a.txt"), None);
    }
}
