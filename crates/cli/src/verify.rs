//! `stepwise verify FILE...`: checks signed completion logs the way an auditor does.
//!
//! Each FILE is a DSSE envelope (`*.stepwise.json`, or any name not ending in `.jsonl`) or a
//! `X.jsonl` whose OpenSSH signature is read from `X.jsonl.sig`. Per file one line goes to
//! stdout, `OK FILE signer=… key=… entries=N head=HEX` or `FAIL FILE: record N: reason`, and
//! the exit code is 0 when all are OK, 1 when any failed, 2 when an input could not be read.
//! The checks themselves are the core's (docs/evidence.md); this module owns reading the
//! files and printing. Trust fails closed: without `--allowed-signers` the trust set is
//! empty, so every file fails with "not trusted".

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::output::outln;
use anyhow::{anyhow, Context};
use stepwise_core::evidence::{
    verify_envelope, verify_sshsig, AllowedSigners, Failure, VerifiedLog, VerifyError,
    MAX_LOG_BYTES,
};

/// What every file is checked against: who is trusted, and optionally the runbook.
pub struct Checks {
    pub trust: AllowedSigners,
    pub runbook: Option<Vec<u8>>,
}

impl Checks {
    /// Reads `--allowed-signers` and `--runbook`. A missing or malformed allowed_signers file
    /// is an error (`FILE:LINE:COL: message`), never an empty trust set in disguise.
    pub fn load(allowed_signers: Option<&Path>, runbook: Option<&Path>) -> anyhow::Result<Checks> {
        let trust = match allowed_signers {
            Some(path) => load_trust(path)?,
            None => AllowedSigners::default(),
        };
        let runbook = runbook
            .map(|path| fs::read(path).with_context(|| format!("reading {}", path.display())))
            .transpose()?;
        Ok(Checks { trust, runbook })
    }
}

pub fn run(
    files: &[PathBuf],
    allowed_signers: Option<&Path>,
    runbook: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let checks = Checks::load(allowed_signers, runbook)?;
    let mut code = 0u8;
    for file in files {
        match verify_file(file, &checks) {
            Ok(Ok(log)) => outln!("{}", one_line(&ok_line(file, &log))),
            Ok(Err(error)) => {
                outln!("{}", one_line(&format!("FAIL {}: {error}", file.display())));
                code = code.max(1);
            }
            Err(error) => {
                eprintln!("stepwise: error: {}", one_line(&format!("{error:#}")));
                code = 2;
            }
        }
    }
    Ok(ExitCode::from(code))
}

/// Verifies one file. The outer error is an input that could not be read (exit 2); the
/// inner one is a log that does not verify (exit 1).
pub fn verify_file(
    file: &Path,
    checks: &Checks,
) -> anyhow::Result<Result<VerifiedLog, VerifyError>> {
    // A file over the limit is judged without reading it, so a huge one costs nothing.
    let size = fs::metadata(file)
        .with_context(|| format!("reading {}", file.display()))?
        .len();
    if size > MAX_LOG_BYTES as u64 {
        return Ok(Err(VerifyError {
            seq: None,
            kind: Failure::TooLarge {
                size: usize::try_from(size).unwrap_or(usize::MAX),
                limit: MAX_LOG_BYTES,
            },
        }));
    }
    let bytes = fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let runbook = checks.runbook.as_deref();
    if !is_jsonl(file) {
        return Ok(verify_envelope(&bytes, &checks.trust, runbook));
    }
    let sig_path = signature_path(file);
    let armored = fs::read(&sig_path).with_context(|| {
        format!(
            "reading {}, the signature of {}",
            sig_path.display(),
            file.display()
        )
    })?;
    // Bytes that are not UTF-8 cannot be an armored signature; lossy decoding keeps them
    // unparseable, so they fail as a signature rather than as an unreadable file.
    let armored = String::from_utf8_lossy(&armored);
    Ok(verify_sshsig(&bytes, &armored, &checks.trust, runbook))
}

/// Whether the file is a bare log, signed by a `.sig` file beside it.
pub fn is_jsonl(file: &Path) -> bool {
    file.extension().is_some_and(|e| e == "jsonl")
}

/// `X.jsonl` → `X.jsonl.sig`.
pub fn signature_path(file: &Path) -> PathBuf {
    let mut name = OsString::from(file.as_os_str());
    name.push(".sig");
    PathBuf::from(name)
}

/// Replaces control characters, so that text from a log cannot break the one-line-per-file
/// output or drive the terminal.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

fn ok_line(file: &Path, log: &VerifiedLog) -> String {
    format!(
        "OK {} signer={} key={} entries={} head={}",
        file.display(),
        log.principals().join(";"),
        log.key_id(),
        log.entries(),
        log.head().to_hex()
    )
}

fn load_trust(path: &Path) -> anyhow::Result<AllowedSigners> {
    let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let (line, column) = position(&bytes[..e.valid_up_to()]);
        anyhow!("{}:{line}:{column}: not UTF-8", path.display())
    })?;
    AllowedSigners::parse(text).map_err(|e| anyhow!("{}:{e}", path.display()))
}

/// The 1-based line and column just after `before` (valid UTF-8 up to a bad byte).
fn position(before: &[u8]) -> (usize, usize) {
    let text = String::from_utf8_lossy(before);
    let line = text.matches('\n').count() + 1;
    let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_path_appends_sig_to_the_whole_name() {
        assert_eq!(
            signature_path(Path::new("a/log.jsonl")),
            PathBuf::from("a/log.jsonl.sig")
        );
        assert!(is_jsonl(Path::new("a/log.jsonl")));
        assert!(!is_jsonl(Path::new("a/log.stepwise.json")));
        assert!(!is_jsonl(Path::new("a/jsonl")));
    }

    #[test]
    fn position_counts_lines_and_characters() {
        assert_eq!(position(b""), (1, 1));
        assert_eq!(position(b"ab"), (1, 3));
        assert_eq!(position("x\nü".as_bytes()), (2, 2));
    }

    #[test]
    fn one_line_neutralises_control_characters() {
        assert_eq!(one_line("a\nb\x1b[2Jc\td"), "a?b?[2Jc?d");
    }
}
