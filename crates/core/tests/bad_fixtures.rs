//! Every malformed runbook under `tests/fixtures/bad/` yields the diagnostic its fixture
//! names, at the line and column it names.
//!
//! A YAML fixture states its expectation on its first line, `# expect: LINE:COL: error: MSG`;
//! JSON has no comments, so `NAME.json` has it in `NAME.json.expect`. A fixture without an
//! expectation fails the test, so none can be added unchecked.

use std::fs;
use std::path::{Path, PathBuf};

use stepwise_core::runbook::{lint, SourceFormat};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/bad");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/fixtures/bad exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| SourceFormat::from_file_name(&p.to_string_lossy()).is_some())
        .collect();
    files.sort();
    files
}

fn expectation(path: &Path, bytes: &[u8]) -> String {
    let sidecar = PathBuf::from(format!("{}.expect", path.display()));
    let text = match fs::read_to_string(&sidecar) {
        Ok(text) => text,
        Err(_) => String::from_utf8_lossy(bytes)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned(),
    };
    let line = text.lines().next().unwrap_or_default();
    line.strip_prefix("# expect: ")
        .or_else(|| line.strip_prefix("expect: "))
        .unwrap_or_else(|| panic!("{}: no `# expect:` line", path.display()))
        .to_owned()
}

#[test]
fn every_bad_fixture_yields_its_diagnostic() {
    let files = fixtures();
    assert!(
        files.len() >= 30,
        "at least 30 malformed runbooks, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for path in &files {
        let bytes = fs::read(path).expect("readable");
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let format = SourceFormat::from_file_name(&name).unwrap_or(SourceFormat::Yaml);
        let want = format!("{name}:{}", expectation(path, &bytes));
        let report = lint(&name, &bytes, format, None);
        let got: Vec<String> = report.diagnostics.iter().map(|d| d.render(&name)).collect();
        if !report.has_errors() || !got.contains(&want) {
            failures.push(format!(
                "{name}\n  want: {want}\n  got:  {}",
                got.join("\n        ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
