//! `stepwise index DIR`: writes or checks `DIR/index.json` from the runbooks in DIR.
//!
//! The web app cannot list a folder on a static host, so the library's table of contents is
//! generated here and committed. Every runbook that fails to parse is reported as
//! `FILE:LINE:COL: error: MESSAGE` and left out; the exit code is then 1.

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use stepwise_core::runbook::{build_index, parse, Runbook, SourceFormat};

pub const INDEX_FILE: &str = "index.json";

pub fn run(dir: &Path, check: bool) -> anyhow::Result<ExitCode> {
    let (runbooks, errors) = load_dir(dir)?;
    for error in &errors {
        eprintln!("{error}");
    }
    let index = build_index(runbooks.iter().map(|(file, rb)| (file.as_str(), rb)));
    let text = index.to_json();
    let path = dir.join(INDEX_FILE);
    if check {
        let current = fs::read_to_string(&path).unwrap_or_default();
        if current != text {
            eprintln!(
                "{}: error: out of date with the runbooks; run `stepwise index {}`",
                path.display(),
                dir.display()
            );
            return Ok(ExitCode::from(1));
        }
        println!(
            "{}: up to date ({} runbooks)",
            path.display(),
            index.runbooks.len()
        );
    } else {
        fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        println!("{}: {} runbooks", path.display(), index.runbooks.len());
    }
    Ok(if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Parses every runbook file directly in `dir`, sorted by name. Returns the runbooks with
/// their file names, and one printable error line per file that failed.
pub fn load_dir(dir: &Path) -> anyhow::Result<(Vec<(String, Runbook)>, Vec<String>)> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| name != INDEX_FILE && SourceFormat::from_file_name(name).is_some())
        .collect();
    names.sort();
    let mut runbooks = Vec::new();
    let mut errors = Vec::new();
    for name in names {
        let path = dir.join(&name);
        let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let format = SourceFormat::from_file_name(&name).unwrap_or(SourceFormat::Yaml);
        match parse(&path.display().to_string(), &bytes, format) {
            Ok(runbook) => runbooks.push((name, runbook)),
            Err(e) => errors.push(format!(
                "{}:{}:{}: error: {}",
                e.file, e.line, e.column, e.kind
            )),
        }
    }
    Ok((runbooks, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str =
        "id: good\ntitle: Good\nversion: '1'\nkind: request\nsteps:\n  - {id: s, title: S}\n";

    #[test]
    fn writes_then_checks_the_index() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("good.yaml"), GOOD).expect("write");
        assert_eq!(
            run(dir.path(), true).expect("runs"),
            ExitCode::from(1),
            "missing index is out of date"
        );
        assert_eq!(run(dir.path(), false).expect("runs"), ExitCode::SUCCESS);
        assert_eq!(run(dir.path(), true).expect("runs"), ExitCode::SUCCESS);
        let written = fs::read_to_string(dir.path().join(INDEX_FILE)).expect("read");
        assert!(written.contains("\"file\": \"good.yaml\""), "{written}");
        fs::write(dir.path().join("good.yaml"), GOOD.replace("Good", "Better")).expect("write");
        assert_eq!(
            run(dir.path(), true).expect("runs"),
            ExitCode::from(1),
            "edited title is noticed"
        );
    }

    #[test]
    fn broken_runbooks_are_reported_with_position_and_left_out() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("good.yaml"), GOOD).expect("write");
        fs::write(dir.path().join("bad.yaml"), "id: bad\ntitle: [\n").expect("write");
        let (runbooks, errors) = load_dir(dir.path()).expect("reads");
        assert_eq!(runbooks.len(), 1);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains("bad.yaml:"), "{}", errors[0]);
        assert!(errors[0].contains(": error: "), "{}", errors[0]);
    }

    #[test]
    fn bundled_library_parses_and_its_index_is_current() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../runbooks");
        let (runbooks, errors) = load_dir(&dir).expect("reads runbooks/");
        assert_eq!(errors, Vec::<String>::new());
        assert!(
            runbooks.len() >= 3,
            "the library ships at least three runbooks"
        );
        let index = build_index(runbooks.iter().map(|(file, rb)| (file.as_str(), rb)));
        let committed =
            fs::read_to_string(dir.join(INDEX_FILE)).expect("runbooks/index.json exists");
        assert_eq!(committed, index.to_json(), "run `stepwise index runbooks`");
    }
}
