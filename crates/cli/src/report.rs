//! `stepwise report FILE`: the completion report of a signed log, as Markdown, HTML or CSV.
//!
//! A report is only printed for a log that verifies, trust included: the report names its
//! signer, and an auditor must not read a forged log dressed as a report. So
//! `--allowed-signers` is required for now; reporting a log whose structure and signature hold
//! but whose signer is not (yet) trusted needs the core to hand back the checked records
//! without a trust decision, which it does not do yet. The model and its spellings are the
//! core's ([`stepwise_core::evidence::Report`]); this module picks one and prints it.

use std::path::Path;
use std::process::ExitCode;

use clap::ValueEnum;
use stepwise_core::evidence::{Report, Signer};

use crate::output::out;
use crate::verify::{one_line, verify_file, Checks};

/// How the report is spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// Markdown, for a ticket or a wiki.
    #[default]
    Md,
    /// A printable, self-contained HTML page.
    Html,
    /// The timeline as CSV, one record per row.
    Csv,
}

pub fn run(file: &Path, format: Format, allowed_signers: &Path) -> anyhow::Result<ExitCode> {
    let checks = Checks::load(Some(allowed_signers), None)?;
    let log = match verify_file(file, &checks)? {
        Ok(log) => log,
        Err(error) => {
            eprintln!(
                "{}",
                one_line(&format!(
                    "stepwise: FAIL {}: {error}; no report for a log that does not verify",
                    file.display()
                ))
            );
            return Ok(ExitCode::from(1));
        }
    };
    let signer = Signer {
        key_id: log.key_id().to_string(),
        principals: log.principals().to_vec(),
    };
    let report = Report::new(log.records(), log.head(), Some(signer));
    out!(
        "{}",
        match format {
            Format::Md => report.to_markdown(),
            Format::Html => report.to_html(),
            Format::Csv => report.to_csv(),
        }
    );
    Ok(ExitCode::SUCCESS)
}
