//! Trust: OpenSSH's `allowed_signers` file, as `ssh-keygen -Y verify` reads it.
//!
//! `principals [options] ssh-ed25519 AAAA… [comment]`, one key per line. The options Stepwise
//! honours are `namespaces="…"` and `valid-after=` / `valid-before=` (`YYYYMMDD[HHMM[SS]][Z]`,
//! read as UTC). Keys are retired with `valid-before`, never deleted, so old evidence keeps
//! verifying. `cert-authority` lines are skipped: Stepwise keys are plain keys.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use thiserror::Error;

use super::keys::PublicKey;
use crate::time::Timestamp;

/// The parsed file: the lines that name a plain key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AllowedSigners {
    entries: Vec<Entry>,
}

/// One line: who may sign with which key, for what, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub line: usize,
    pub principals: String,
    pub namespaces: Option<Vec<String>>,
    pub valid_after: Option<Timestamp>,
    pub valid_before: Option<Timestamp>,
    pub key: PublicKey,
}

/// A line that cannot be read, with its 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{line}:{column}: {message}")]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Why a key is not trusted to sign a log at a time.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TrustError {
    #[error("key {0} is not trusted: no line of allowed_signers has it")]
    NotListed(String),
    #[error("key {key} is not allowed the namespace `{namespace}` (allowed_signers line {line})")]
    Namespace {
        key: String,
        namespace: String,
        line: usize,
    },
    #[error("key {key} is not valid at {at} (allowed_signers line {line}: {window})")]
    NotValid {
        key: String,
        at: Timestamp,
        line: usize,
        window: String,
    },
}

impl AllowedSigners {
    /// Reads the whole file; the first bad line is the error (trust fails closed).
    pub fn parse(text: &str) -> Result<AllowedSigners, ParseError> {
        let mut entries = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            if let Some(entry) = parse_line(index + 1, raw)? {
                entries.push(entry);
            }
        }
        Ok(AllowedSigners { entries })
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The principals trusted to sign with `key` in `namespace` at `at`, comma-joined in file
    /// order; or why there are none.
    pub fn principals_for(
        &self,
        key: &PublicKey,
        namespace: &str,
        at: Timestamp,
    ) -> Result<Vec<String>, TrustError> {
        let id = key.key_id().to_string();
        let mut refusal = TrustError::NotListed(id.clone());
        let mut principals = Vec::new();
        for entry in self.entries.iter().filter(|e| &e.key == key) {
            let allowed = entry
                .namespaces
                .as_ref()
                .is_none_or(|list| list.iter().any(|n| n == namespace));
            if !allowed {
                if matches!(refusal, TrustError::NotListed(_)) {
                    refusal = TrustError::Namespace {
                        key: id.clone(),
                        namespace: namespace.to_owned(),
                        line: entry.line,
                    };
                }
                continue;
            }
            let after_ok = entry.valid_after.is_none_or(|after| at >= after);
            let before_ok = entry.valid_before.is_none_or(|before| at <= before);
            if after_ok && before_ok {
                principals.push(entry.principals.clone());
            } else {
                refusal = TrustError::NotValid {
                    key: id.clone(),
                    at,
                    line: entry.line,
                    window: entry.window(),
                };
            }
        }
        if principals.is_empty() {
            Err(refusal)
        } else {
            Ok(principals)
        }
    }
}

impl Entry {
    fn window(&self) -> String {
        match (self.valid_after, self.valid_before) {
            (Some(a), Some(b)) => format!("valid from {a} to {b}"),
            (Some(a), None) => format!("valid from {a}"),
            (None, Some(b)) => format!("valid until {b}"),
            (None, None) => "always valid".to_owned(),
        }
    }
}

/// A whitespace-separated field and the 1-based column it starts at; quotes keep spaces in.
fn fields(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match (start, c.is_whitespace() && !quoted) {
            (None, false) => {
                start = Some(i);
                quoted = c == '"';
            }
            (Some(s), true) => {
                out.push((s, &line[s..i]));
                start = None;
            }
            (Some(_), false) if c == '"' => quoted = !quoted,
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &line[s..]));
    }
    out.into_iter()
        .map(|(s, f)| (line[..s].chars().count() + 1, f))
        .collect()
}

fn is_key_type(field: &str) -> bool {
    field.starts_with("ssh-") || field.starts_with("ecdsa-") || field.starts_with("sk-")
}

fn parse_line(line: usize, raw: &str) -> Result<Option<Entry>, ParseError> {
    let text = raw.trim_start();
    if text.is_empty() || text.starts_with('#') {
        return Ok(None);
    }
    let error = |column: usize, message: String| ParseError {
        line,
        column,
        message,
    };
    let fields = fields(raw);
    let (_, principals) = fields[0];
    let (options, rest) = match fields.get(1) {
        Some(&(_, f)) if is_key_type(f) => (None, &fields[1..]),
        Some(&field) => (Some(field), &fields[2.min(fields.len())..]),
        None => return Err(error(raw.chars().count() + 1, "missing key".to_owned())),
    };
    let mut entry_options = Options::default();
    if let Some((column, text)) = options {
        entry_options = Options::parse(text).map_err(|m| error(column, m))?;
    }
    if entry_options.cert_authority {
        return Ok(None);
    }
    let Some(&(key_column, key_type)) = rest.first() else {
        return Err(error(raw.chars().count() + 1, "missing key".to_owned()));
    };
    let Some(&(_, blob)) = rest.get(1) else {
        return Err(error(
            raw.chars().count() + 1,
            "missing the key's base64".to_owned(),
        ));
    };
    let key = PublicKey::from_openssh(&format!("{key_type} {blob}"))
        .map_err(|e| error(key_column, e.to_string()))?;
    Ok(Some(Entry {
        line,
        principals: unquote(principals).to_owned(),
        namespaces: entry_options.namespaces,
        valid_after: entry_options.valid_after,
        valid_before: entry_options.valid_before,
        key,
    }))
}

#[derive(Default)]
struct Options {
    cert_authority: bool,
    namespaces: Option<Vec<String>>,
    valid_after: Option<Timestamp>,
    valid_before: Option<Timestamp>,
}

impl Options {
    fn parse(text: &str) -> Result<Options, String> {
        let mut options = Options::default();
        for option in split_outside_quotes(text) {
            let (name, value) = match option.split_once('=') {
                Some((name, value)) => (name, Some(unquote(value))),
                None => (option, None),
            };
            match (name.to_ascii_lowercase().as_str(), value) {
                ("cert-authority", None) => options.cert_authority = true,
                ("namespaces", Some(list)) => {
                    options.namespaces = Some(list.split(',').map(str::to_owned).collect())
                }
                ("valid-after", Some(t)) => options.valid_after = Some(parse_time(t)?),
                ("valid-before", Some(t)) => options.valid_before = Some(parse_time(t)?),
                _ => return Err(format!("unknown or malformed option `{option}`")),
            }
        }
        Ok(options)
    }
}

/// `"text"` without its quotes; anything else as it is.
fn unquote(text: &str) -> &str {
    text.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text)
}

fn split_outside_quotes(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

/// `YYYYMMDD`, `YYYYMMDDHHMM` or `YYYYMMDDHHMMSS`, optionally followed by `Z`; always UTC.
fn parse_time(text: &str) -> Result<Timestamp, String> {
    let digits = text.strip_suffix(['Z', 'z']).unwrap_or(text);
    let bad = || format!("`{text}` is not a time (YYYYMMDD[HHMM[SS]]Z)");
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let number = |range: std::ops::Range<usize>| digits[range].parse::<u32>().map_err(|_| bad());
    let (date, time) = match digits.len() {
        8 | 12 | 14 => (
            NaiveDate::from_ymd_opt(number(0..4)? as i32, number(4..6)?, number(6..8)?),
            match digits.len() {
                8 => NaiveTime::from_hms_opt(0, 0, 0),
                12 => NaiveTime::from_hms_opt(number(8..10)?, number(10..12)?, 0),
                _ => NaiveTime::from_hms_opt(number(8..10)?, number(10..12)?, number(12..14)?),
            },
        ),
        _ => return Err(bad()),
    };
    let (Some(date), Some(time)) = (date, time) else {
        return Err(bad());
    };
    let millis = NaiveDateTime::new(date, time).and_utc().timestamp_millis();
    Timestamp::from_unix_millis(millis).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::SeedKey;

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).expect("valid")
    }

    #[test]
    fn reads_options_principals_and_skips_comments() {
        let key = SeedKey::from_seed([9; 32]).public_key();
        let text = format!(
            "# team keys\n\nalice@example.org,\"bob@x\" namespaces=\"stepwise-log,git\",valid-after=\"20260101Z\",valid-before=\"202612311200Z\" {} alice\n",
            key.to_openssh("")
        );
        let signers = AllowedSigners::parse(&text).expect("parses");
        let entry = &signers.entries()[0];
        assert_eq!(entry.line, 3);
        assert_eq!(entry.principals, "alice@example.org,\"bob@x\"");
        assert_eq!(
            entry.namespaces.as_deref(),
            Some(&["stepwise-log".to_owned(), "git".to_owned()][..])
        );
        assert_eq!(entry.valid_after, Some(at("2026-01-01T00:00:00Z")));
        assert_eq!(entry.valid_before, Some(at("2026-12-31T12:00:00Z")));
        let ok = signers.principals_for(&key, "stepwise-log", at("2026-06-01T00:00:00Z"));
        assert_eq!(ok, Ok(vec![entry.principals.clone()]));
        assert!(matches!(
            signers.principals_for(&key, "stepwise-log", at("2027-01-01T00:00:00Z")),
            Err(TrustError::NotValid { line: 3, .. })
        ));
        assert!(matches!(
            signers.principals_for(&key, "file", at("2026-06-01T00:00:00Z")),
            Err(TrustError::Namespace { .. })
        ));
        let stranger = SeedKey::from_seed([8; 32]).public_key();
        assert!(matches!(
            signers.principals_for(&stranger, "stepwise-log", at("2026-06-01T00:00:00Z")),
            Err(TrustError::NotListed(_))
        ));
    }

    #[test]
    fn a_retired_key_still_verifies_old_evidence_beside_its_successor() {
        let old = SeedKey::from_seed([1; 32]).public_key();
        let new = SeedKey::from_seed([2; 32]).public_key();
        let text = format!(
            "a@x valid-before=\"20260601Z\" {}\na@x valid-after=\"20260601Z\" {}\n",
            old.to_openssh(""),
            new.to_openssh("")
        );
        let signers = AllowedSigners::parse(&text).expect("parses");
        assert!(signers
            .principals_for(&old, "stepwise-log", at("2026-05-01T00:00:00Z"))
            .is_ok());
        assert!(signers
            .principals_for(&old, "stepwise-log", at("2026-07-01T00:00:00Z"))
            .is_err());
        assert!(signers
            .principals_for(&new, "stepwise-log", at("2026-07-01T00:00:00Z"))
            .is_ok());
    }

    #[test]
    fn bad_lines_name_line_and_column() {
        let key = SeedKey::from_seed([9; 32]).public_key().to_openssh("");
        let err = AllowedSigners::parse(&format!("ok@x {key}\nbad@x nonsense=1 {key}\n"))
            .expect_err("unknown option");
        assert_eq!((err.line, err.column), (2, 7));
        let err = AllowedSigners::parse("a@x ssh-ed25519 !!!\n").expect_err("bad key");
        assert_eq!((err.line, err.column), (1, 5));
        let err = AllowedSigners::parse("lonely\n").expect_err("no key");
        assert_eq!(err.line, 1);
        assert!(AllowedSigners::parse("a@x valid-after=\"2026\" ssh-ed25519 AAAA\n").is_err());
        let ca = format!("*@x cert-authority {key}\n");
        assert!(AllowedSigners::parse(&ca)
            .expect("skipped")
            .entries()
            .is_empty());
    }
}
