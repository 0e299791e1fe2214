//! `stepwise index DIR`: writes or checks `DIR/index.json` from the runbooks in DIR and the
//! drill scenarios in `DIR/drills/`.
//!
//! The web app cannot list a folder on a static host, so the library's table of contents is
//! generated here. Every runbook that fails to parse is reported as
//! `FILE:LINE:COL: error: MESSAGE` and left out; the exit code is then 1.

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use crate::output::outln;
use anyhow::Context;
use stepwise_core::drill::parse_scenario;
use stepwise_core::runbook::{build_index, parse, Index, ParseError, SourceFormat};

pub const INDEX_FILE: &str = "index.json";

pub fn run(dir: &Path, check: bool) -> anyhow::Result<ExitCode> {
    let (index, errors) = expected_index(dir)?;
    for error in &errors {
        eprintln!("{error}");
    }
    let path = dir.join(INDEX_FILE);
    if check {
        if !is_current(dir, &index) {
            eprintln!(
                "{}: error: out of date with the runbooks; run `stepwise index {}`",
                path.display(),
                dir.display()
            );
            return Ok(ExitCode::from(1));
        }
        outln!(
            "{}: up to date ({} runbooks, {} drills)",
            path.display(),
            index.runbooks.len(),
            index.drills.len()
        );
    } else {
        fs::write(&path, index.to_json()).with_context(|| format!("writing {}", path.display()))?;
        outln!(
            "{}: {} runbooks, {} drills",
            path.display(),
            index.runbooks.len(),
            index.drills.len()
        );
    }
    Ok(if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Whether `dir/index.json` holds exactly what `stepwise index` would write.
pub fn is_current(dir: &Path, index: &Index) -> bool {
    fs::read_to_string(dir.join(INDEX_FILE)).is_ok_and(|text| text == index.to_json())
}

/// The index of the runbooks directly in `dir`, and one printable error line per runbook
/// file that does not parse (those are left out of the index).
pub fn expected_index(dir: &Path) -> anyhow::Result<(Index, Vec<String>)> {
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    for path in runbook_files(dir)? {
        let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let name = file_name(&path);
        let format = SourceFormat::from_file_name(&name).unwrap_or(SourceFormat::Yaml);
        match parse(&path.display().to_string(), &bytes, format) {
            Ok(runbook) => loaded.push((name, runbook, bytes)),
            Err(e) => errors.push(rendered(&e)),
        }
    }
    let mut drills = Vec::new();
    for path in drill_files(dir)? {
        let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let name = format!("{DRILLS_DIR}/{}", file_name(&path));
        let format = SourceFormat::from_file_name(&name).unwrap_or(SourceFormat::Yaml);
        match parse_scenario(&path.display().to_string(), &bytes, format) {
            Ok(scenario) => drills.push((name, scenario, bytes)),
            Err(e) => errors.push(rendered(&e)),
        }
    }
    let index = build_index(
        loaded
            .iter()
            .map(|(name, rb, bytes)| (name.as_str(), rb, bytes.as_slice())),
    )
    .with_drills(
        drills
            .iter()
            .map(|(name, s, bytes)| (name.as_str(), s, bytes.as_slice())),
    );
    Ok((index, errors))
}

/// A parse error as the linter prints it: `FILE:LINE:COL: error: MESSAGE`.
fn rendered(e: &ParseError) -> String {
    format!(
        "{}:{}:{}: error: {}",
        e.file,
        e.line.max(1),
        e.column.max(1),
        e.kind
    )
}

/// The folder of drill scenarios beside the runbooks.
pub const DRILLS_DIR: &str = "drills";

/// The drill scenarios in `dir/drills/`, sorted; none when there is no such folder.
pub fn drill_files(dir: &Path) -> anyhow::Result<Vec<std::path::PathBuf>> {
    let drills = dir.join(DRILLS_DIR);
    if !drills.is_dir() {
        return Ok(Vec::new());
    }
    runbook_files(&drills)
}

/// A drill scenario: a data file in a folder named `drills`.
pub fn is_drill_file(path: &Path) -> bool {
    path.parent()
        .and_then(Path::file_name)
        .is_some_and(|d| d == DRILLS_DIR)
        && SourceFormat::from_file_name(&file_name(path)).is_some()
}

/// The runbook files directly in `dir`, sorted: `*.yaml`, `*.yml`, `*.json`, except the index
/// and JSON Schemas.
pub fn runbook_files(dir: &Path) -> anyhow::Result<Vec<std::path::PathBuf>> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| is_runbook_file(p))
        .collect();
    files.sort();
    Ok(files)
}

pub fn is_runbook_file(path: &Path) -> bool {
    let name = file_name(path);
    name != INDEX_FILE
        && !name.ends_with(".schema.json")
        && !is_priority_file(path)
        && SourceFormat::from_file_name(&name).is_some()
}

/// A priority matrix: `priority.yaml` (or `.yml`/`.json`) or `*.priority.yaml`.
pub fn is_priority_file(path: &Path) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    let stem = name
        .rsplit_once('.')
        .map_or(name.as_str(), |(stem, _)| stem);
    SourceFormat::from_file_name(&name).is_some()
        && (stem == "priority" || stem.ends_with(".priority"))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
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
        fs::write(
            dir.path().join("good.yaml"),
            GOOD.replace("version: '1'", "version: '1' # same"),
        )
        .expect("write");
        assert_eq!(
            run(dir.path(), true).expect("runs"),
            ExitCode::from(1),
            "a changed byte changes the SHA-256"
        );
    }

    #[test]
    fn broken_runbooks_are_reported_with_position_and_left_out() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("good.yaml"), GOOD).expect("write");
        fs::write(dir.path().join("bad.yaml"), "id: bad\ntitle: [\n").expect("write");
        let (index, errors) = expected_index(dir.path()).expect("reads");
        assert_eq!(index.runbooks.len(), 1);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains("bad.yaml:"), "{}", errors[0]);
        assert!(errors[0].contains(": error: "), "{}", errors[0]);
    }

    #[test]
    fn bundled_library_parses_and_its_index_is_current() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../runbooks");
        let (index, errors) = expected_index(&dir).expect("reads runbooks/");
        assert_eq!(errors, Vec::<String>::new());
        assert!(
            index.runbooks.len() >= 3,
            "the library ships at least three runbooks"
        );
        assert!(
            is_current(&dir, &index),
            "runbooks/index.json is stale: run `stepwise index runbooks`"
        );
    }
}
