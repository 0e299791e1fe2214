//! `stepwise lint PATH...`: every problem in the given runbooks and folders.
//!
//! Folders are walked recursively for `*.yaml`, `*.yml` and `*.json`. Each problem prints as
//! `FILE:LINE:COL: error: MESSAGE` (or `warning:`), then one summary line. A folder holding an
//! `index.json` also gets that index checked against its runbooks. Files in a `drills/` folder
//! are drill scenarios, checked against the runbooks of the folder above. Exit 0 when there
//! is no error, 1 when there is one.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use chrono::NaiveDate;
use stepwise_core::drill::{lint_scenario, lint_scenario_priority};
use stepwise_core::priority::{parse_matrix, Matrix};
use stepwise_core::runbook::{lint, parse, Runbook, Severity, SourceFormat};

use crate::index::{
    expected_index, is_current, is_drill_file, is_priority_file, is_runbook_file, runbook_files,
    INDEX_FILE,
};
use crate::output::outln;

/// Counts of what was found, for the summary line and the exit code.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
}

pub fn run(paths: &[PathBuf], today: NaiveDate) -> anyhow::Result<ExitCode> {
    let mut lines = Vec::new();
    let totals = lint_paths(paths, today, &mut lines)?;
    for line in &lines {
        outln!("{line}");
    }
    outln!(
        "{} {} checked: {} {}, {} {}",
        totals.files,
        plural(totals.files, "file", "files"),
        totals.errors,
        plural(totals.errors, "error", "errors"),
        totals.warnings,
        plural(totals.warnings, "warning", "warnings"),
    );
    Ok(if totals.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Lints every file under `paths`, pushing one printable line per diagnostic.
pub fn lint_paths(
    paths: &[PathBuf],
    today: NaiveDate,
    out: &mut Vec<String>,
) -> anyhow::Result<Totals> {
    let mut totals = Totals::default();
    let mut libraries = HashMap::new();
    let mut matrices = HashMap::new();
    for path in paths {
        let meta = fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
        let (files, index_dirs) = if meta.is_dir() {
            walk(path)?
        } else if SourceFormat::from_file_name(&path.to_string_lossy()).is_some() {
            (vec![path.clone()], Vec::new())
        } else {
            bail!("{}: not a .yaml, .yml or .json file", path.display());
        };
        for file in files {
            totals.files += 1;
            let bytes = fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let name = file.display().to_string();
            let format = SourceFormat::from_file_name(&name).unwrap_or(SourceFormat::Yaml);
            if is_priority_file(&file) {
                let problems = lint_matrix(&name, &bytes, format);
                totals.errors += problems.len();
                out.extend(problems);
                continue;
            }
            if is_drill_file(&file) {
                let library = library_of(&file, &mut libraries)?;
                let refs: Vec<&Runbook> = library.iter().collect();
                let mut diagnostics = lint_scenario(&name, &bytes, format, &refs).diagnostics;
                if let Some(matrix) = matrix_of(&file, &mut matrices) {
                    diagnostics.extend(lint_scenario_priority(&name, &bytes, format, matrix));
                    diagnostics.sort_by_key(|d| (d.span, d.severity));
                }
                for diagnostic in diagnostics {
                    match diagnostic.severity {
                        Severity::Error => totals.errors += 1,
                        Severity::Warning => totals.warnings += 1,
                    }
                    out.push(diagnostic.render(&name));
                }
                continue;
            }
            for diagnostic in lint(&name, &bytes, format, Some(today)).diagnostics {
                match diagnostic.severity {
                    Severity::Error => totals.errors += 1,
                    Severity::Warning => totals.warnings += 1,
                }
                out.push(diagnostic.render(&name));
            }
        }
        for dir in index_dirs {
            totals.files += 1;
            let (index, _) = expected_index(&dir)?;
            if !is_current(&dir, &index) {
                totals.errors += 1;
                out.push(format!(
                    "{}:1:1: error: out of date with the runbooks in {}; run `stepwise index {}`",
                    dir.join(INDEX_FILE).display(),
                    dir.display(),
                    dir.display()
                ));
            }
        }
    }
    Ok(totals)
}

/// The runbooks a drill file may name: those that parse in the folder above its `drills/`.
fn library_of<'a>(
    drill: &Path,
    cache: &'a mut HashMap<PathBuf, Vec<Runbook>>,
) -> anyhow::Result<&'a [Runbook]> {
    let dir = library_dir(drill);
    if !cache.contains_key(&dir) {
        let mut runbooks = Vec::new();
        for path in runbook_files(&dir)? {
            let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            let name = path.display().to_string();
            let format = SourceFormat::from_file_name(&name).unwrap_or(SourceFormat::Yaml);
            if let Ok(runbook) = parse(&name, &bytes, format) {
                runbooks.push(runbook);
            }
        }
        cache.insert(dir.clone(), runbooks);
    }
    Ok(cache.get(&dir).map(Vec::as_slice).unwrap_or_default())
}

/// The priority matrix a drill file runs under: `priority.yaml` in the folder above its
/// `drills/`, when there is one that parses (its own problems are reported as its own).
fn matrix_of<'a>(
    drill: &Path,
    cache: &'a mut HashMap<PathBuf, Option<Matrix>>,
) -> Option<&'a Matrix> {
    let dir = library_dir(drill);
    cache
        .entry(dir.clone())
        .or_insert_with(|| {
            let path = dir.join("priority.yaml");
            let bytes = fs::read(&path).ok()?;
            parse_matrix(&path.display().to_string(), &bytes, SourceFormat::Yaml).ok()
        })
        .as_ref()
}

/// The library a drill file belongs to: the folder above its `drills/`.
fn library_dir(drill: &Path) -> PathBuf {
    drill
        .parent()
        .and_then(Path::parent)
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// A priority matrix's problems, each as `FILE:LINE:COL: error: MESSAGE`. Semantic problems
/// point at the first line that names what they are about (a priority, level or calendar
/// id), or at the top of the file.
fn lint_matrix(name: &str, bytes: &[u8], format: SourceFormat) -> Vec<String> {
    let matrix = match parse_matrix(name, bytes, format) {
        Ok(matrix) => matrix,
        Err(e) => {
            return vec![format!(
                "{name}:{}:{}: error: {}",
                e.line.max(1),
                e.column.max(1),
                e.kind
            )]
        }
    };
    let text = String::from_utf8_lossy(bytes);
    matrix
        .check()
        .into_iter()
        .map(|problem| {
            let (line, column) = first_named(&text, &problem).unwrap_or((1, 1));
            format!("{name}:{line}:{column}: error: {problem}")
        })
        .collect()
}

/// Where the first `code`-quoted name of `problem` is defined (`id: NAME`) in `text`, or else
/// where it first stands.
fn first_named(text: &str, problem: &str) -> Option<(usize, usize)> {
    let name = problem.split('`').nth(1)?;
    let find = |needle: &str| {
        text.lines().enumerate().find_map(|(n, line)| {
            let column = line.find(needle)?;
            Some((n + 1, line[..column].chars().count() + 1))
        })
    };
    find(&format!("id: {name}")).or_else(|| find(name))
}

/// Runbook files below `dir` (sorted), and the folders that hold an `index.json`.
fn walk(dir: &Path) -> anyhow::Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let mut files = Vec::new();
    let mut index_dirs = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let mut entries: Vec<_> = fs::read_dir(&current)
            .with_context(|| format!("reading {}", current.display()))?
            .filter_map(Result::ok)
            .collect();
        entries.sort_by_key(|e| e.path());
        for entry in entries {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() && path.file_name().is_some_and(|n| n == INDEX_FILE) {
                index_dirs.push(current.clone());
            } else if kind.is_file()
                && (is_runbook_file(&path) || is_priority_file(&path) || is_drill_file(&path))
            {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok((files, index_dirs))
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).expect("valid date")
    }

    #[test]
    fn reports_every_problem_of_every_file_in_a_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir(dir.path().join("sub")).expect("mkdir");
        let bad = "id: x\ntitle: X\nversion: '1'\nkind: request\nsteps:\n  - id: a\n    title: A\n    next: b\n  - id: a\n    title: again\n";
        fs::write(dir.path().join("sub/bad.yaml"), bad).expect("write");
        fs::write(dir.path().join("broken.json"), "{\"id\": 1}").expect("write");
        fs::write(dir.path().join("notes.txt"), "ignored").expect("write");
        let mut lines = Vec::new();
        let totals = lint_paths(&[dir.path().to_path_buf()], today(), &mut lines).expect("runs");
        assert_eq!(
            totals,
            Totals {
                files: 2,
                errors: 4,
                warnings: 0
            },
            "{lines:#?}"
        );
        let text = lines.join("\n");
        assert!(
            text.contains("broken.json:1:8: error: invalid type"),
            "{text}"
        );
        assert!(
            text.contains("bad.yaml:8:11: error: step `a`: `next` names unknown step `b`"),
            "{text}"
        );
        assert!(
            text.contains("bad.yaml:9:9: error: duplicate step id `a`"),
            "{text}"
        );
        assert!(
            text.contains("bad.yaml:9:9: error: step `a` cannot be reached from the first step"),
            "{text}"
        );
    }

    #[test]
    fn a_stale_index_is_an_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let good = "id: g\ntitle: G\nversion: '1'\nkind: request\nsteps:\n  - {id: a, title: A}\n";
        fs::write(dir.path().join("g.yaml"), good).expect("write");
        fs::write(dir.path().join(INDEX_FILE), "{}").expect("write");
        let mut lines = Vec::new();
        let totals = lint_paths(&[dir.path().to_path_buf()], today(), &mut lines).expect("runs");
        assert_eq!(totals.errors, 1, "{lines:?}");
        assert!(
            lines[0].contains("index.json:1:1: error: out of date"),
            "{lines:?}"
        );
    }

    #[test]
    fn priority_matrices_are_linted_as_matrices() {
        let dir = tempfile::tempdir().expect("temp dir");
        let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../runbooks/priority.yaml");
        let text = fs::read_to_string(bundled).expect("readable");
        fs::write(dir.path().join("priority.yaml"), &text).expect("write");
        let broken = text.replacen(
            "response: 15m, resolution: 4h",
            "response: 5h, resolution: 4h",
            1,
        );
        fs::write(dir.path().join("client.priority.yaml"), broken).expect("write");
        let mut lines = Vec::new();
        let totals = lint_paths(&[dir.path().to_path_buf()], today(), &mut lines).expect("runs");
        assert_eq!(
            totals,
            Totals {
                files: 2,
                errors: 1,
                warnings: 0
            },
            "{lines:#?}"
        );
        assert!(
            lines[0].contains("client.priority.yaml:38:6:")
                && lines[0].ends_with(
                    "error: priority `P1`: response target 5h is longer than resolution target 4h"
                ),
            "{lines:?}"
        );
    }

    #[test]
    fn the_bundled_library_is_lint_clean() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../runbooks");
        let mut lines = Vec::new();
        let totals = lint_paths(&[dir], today(), &mut lines).expect("runs");
        assert_eq!(lines, Vec::<String>::new());
        assert!(totals.files >= 4, "runbooks and the index were checked");
    }

    /// A library folder with one runbook `g` (one step `a`) and an empty `drills/`.
    fn drill_library() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        let runbook =
            "id: g\ntitle: G\nversion: '1'\nkind: request\nsteps:\n  - {id: a, title: A}\n";
        fs::write(dir.path().join("g.yaml"), runbook).expect("write");
        fs::create_dir(dir.path().join("drills")).expect("mkdir");
        dir
    }

    #[test]
    fn drills_are_linted_against_the_runbooks_beside_them_and_indexed() {
        let dir = drill_library();
        let good = "id: ok\ntitle: OK\nrunbook: {id: g}\nbriefing: Go.\ntargets:\n  - {step: a, within: 5m}\n";
        let bad = "id: bad\ntitle: Bad\nrunbook: {id: g}\nbriefing: Go.\ntargets:\n  - {step: b, within: 5m}\n";
        fs::write(dir.path().join("drills/ok.yaml"), good).expect("write");
        fs::write(dir.path().join("drills/bad.yaml"), bad).expect("write");
        let mut lines = Vec::new();
        let totals = lint_paths(&[dir.path().to_path_buf()], today(), &mut lines).expect("runs");
        assert_eq!((totals.files, totals.errors), (3, 1), "{lines:?}");
        let bad_path = dir.path().join("drills/bad.yaml").display().to_string();
        assert_eq!(
            lines,
            [format!(
                "{bad_path}:6:12: error: a target names unknown step `b` of `g`"
            )]
        );
        // A single drill file finds its library too.
        let mut lines = Vec::new();
        lint_paths(&[dir.path().join("drills/bad.yaml")], today(), &mut lines).expect("runs");
        assert_eq!(lines.len(), 1, "{lines:?}");
        let (index, errors) = expected_index(dir.path()).expect("indexes");
        assert!(errors.is_empty(), "{errors:?}");
        let ids: Vec<&str> = index.drills.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["bad", "ok"]);
        assert_eq!(index.drills[1].file, "drills/ok.yaml");
        assert_eq!(index.runbooks.len(), 1, "drills are not runbooks");
    }

    #[test]
    fn a_drill_presets_only_levels_of_the_matrix_beside_it() {
        let dir = drill_library();
        let matrix = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../runbooks/priority.yaml");
        fs::copy(matrix, dir.path().join("priority.yaml")).expect("copy");
        let drill =
            "id: d\ntitle: D\nrunbook: {id: g}\nbriefing: Go.\nimpact: severe\nurgency: high\n";
        fs::write(dir.path().join("drills/d.yaml"), drill).expect("write");
        let mut lines = Vec::new();
        let totals = lint_paths(&[dir.path().to_path_buf()], today(), &mut lines).expect("runs");
        assert_eq!(totals.errors, 1, "{lines:?}");
        let path = dir.path().join("drills/d.yaml").display().to_string();
        assert_eq!(
            lines,
            [format!("{path}:5:9: error: impact `severe` is not a level of the priority matrix `itil-3x3` (high, medium, low)")]
        );
    }
}
