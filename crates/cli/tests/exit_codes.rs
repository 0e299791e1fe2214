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

/// `stepwise lint … | head` closes the pipe early: the command finishes without a panic
/// and still exits with its real code.
#[test]
fn a_closed_stdout_pipe_is_no_panic_and_keeps_the_exit_code() {
    use std::process::Stdio;
    let dir = tempfile::tempdir().expect("temp dir");
    // Enough findings to overflow any pipe buffer, so writing meets the closed end.
    for n in 0..400 {
        let body = "id: x\ntitle: X\nversion: '1'\nkind: request\nsteps:\n  - {id: a, title: A, next: b1}\n  - {id: a, title: A, next: b2}\n";
        std::fs::write(
            dir.path()
                .join(format!("bad-{n:03}-{}.yaml", "x".repeat(120))),
            body,
        )
        .expect("write");
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_stepwise"))
        .args(["lint", &dir.path().display().to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("it ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
}

/// The hostile corpus through the CLI: one exit, no panic, and each refused file's message
/// exactly as its first line names it (the core test checks the same through the library).
#[test]
fn lint_of_the_hostile_corpus_reports_each_refusal_and_exits_1() {
    let dir = repo("tests/fixtures/hostile");
    let out = stepwise(&["lint", &dir]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    for entry in std::fs::read_dir(&dir).expect("the corpus exists") {
        let path = entry.expect("an entry").path();
        let text = String::from_utf8_lossy(&std::fs::read(&path).expect("readable")).into_owned();
        let want = text
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches("# hostile: ");
        if want != "inert" {
            let line = format!("{}:{want}", path.display());
            assert!(
                stdout.lines().any(|l| l == line),
                "missing `{line}` in\n{stdout}"
            );
        }
    }
}
