//! `cargo run -p stepwise-bench --bin gen -- DIR`: writes the benchmark inputs into DIR: the
//! 500-step runbook (YAML and the same content as static HTML), hand-over files of sessions of
//! 100 and 10,000 records on it, the signed export of the 10,000-record one, and the
//! allowed_signers that trusts it.

use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

use stepwise_bench::{
    allowed_signers, export, handover, runbook_html, runbook_id, runbook_yaml, session,
};

const STEPS: usize = 500;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: gen DIR");
        return ExitCode::from(2);
    };
    match write_all(&dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen: {}: {e}", dir.display());
            ExitCode::from(2)
        }
    }
}

fn write_all(dir: &std::path::Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    let id = runbook_id(STEPS);
    fs::write(dir.join(format!("{id}.yaml")), runbook_yaml(STEPS))?;
    fs::write(dir.join(format!("{id}.html")), runbook_html(STEPS))?;
    for records in [100, 10_000] {
        let (session, source) = session(STEPS, records);
        fs::write(
            dir.join(format!("session-{records}.handover.json")),
            handover(&session, &source),
        )?;
        if records == 10_000 {
            let export = export(&session);
            fs::write(dir.join("log-10000.stepwise.json"), export.envelope)?;
            fs::write(dir.join("log-10000.jsonl"), &export.jsonl)?;
        }
    }
    fs::write(dir.join("allowed_signers"), allowed_signers())?;
    Ok(())
}
