//! The `stepwise` binary's contract with scripts and CI: output shape and exit codes
//! (0 clean, 1 findings, 2 usage or unreadable input).

use std::path::Path;
use std::process::{Command, Output};

fn stepwise(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stepwise"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn repo(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
        .display()
        .to_string()
}

#[test]
fn lint_of_the_bundled_library_exits_0_with_a_summary() {
    let out = stepwise(&["lint", &repo("runbooks")]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.trim_end().ends_with("0 errors, 0 warnings"),
        "{stdout}"
    );
}

#[test]
fn lint_of_the_bad_fixtures_exits_1_and_prints_positions() {
    let out = stepwise(&["lint", &repo("tests/fixtures/bad")]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    let errors = stdout.lines().filter(|l| l.contains(": error: ")).count();
    assert!(
        errors >= 47,
        "one error or more per fixture, got {errors}:\n{stdout}"
    );
    assert!(
        stdout.lines().filter(|l| l.contains(": error: ")).all(|l| {
            let mut parts = l.splitn(4, ':');
            let (_, line, col) = (parts.next(), parts.next(), parts.next());
            line.is_some_and(|n| n.parse::<u64>().is_ok())
                && col.is_some_and(|n| n.parse::<u64>().is_ok())
        }),
        "every error line is FILE:LINE:COL: …\n{stdout}"
    );
}

#[test]
fn usage_and_unreadable_input_exit_2() {
    assert_eq!(
        stepwise(&["lint"]).status.code(),
        Some(2),
        "no path is a usage error"
    );
    assert_eq!(stepwise(&["frobnicate"]).status.code(), Some(2));
    let missing = stepwise(&["lint", "/no/such/runbook.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/no/such/runbook.yaml"));
}

#[test]
fn schema_prints_the_committed_schema() {
    let out = stepwise(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let committed = std::fs::read(repo("runbooks/runbook.schema.json")).expect("committed schema");
    assert_eq!(out.stdout, committed);
}
