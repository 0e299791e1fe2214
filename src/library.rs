//! The loaded library: the index's entries, each with its parsed runbook, the reason it could
//! not be parsed, or still loading.
//!
//! Loading is progressive: the index (`runbooks/index.json`) alone lists the library, so the
//! page is usable as soon as it arrives; then every runbook and drill scenario it names is
//! fetched and parsed with the core, and each entry settles as its own file does. A runbook
//! that fails does not fail the library: it is kept as broken, with the parser's
//! `file:line:column` message, and every other runbook still opens.

use std::rc::Rc;
use std::sync::Arc;

use stepwise_core::drill::{parse_scenario, Scenario};
use stepwise_core::priority::{parse_matrix, Matrix};
use stepwise_core::runbook::{
    parse, parse_index, DrillEntry, Index, IndexEntry, Runbook, SourceFormat,
};
use stepwise_core::Digest;

use crate::platform::fetch;

/// Where the library lives, relative to the page: works in any sub-path.
pub const LIBRARY_BASE: &str = "runbooks/";

#[derive(Debug, Clone, PartialEq)]
pub struct Library {
    pub entries: Vec<LibraryEntry>,
    /// Drill scenarios, each parsed or with the reason it could not be.
    pub drills: Vec<DrillListing>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DrillListing {
    pub meta: DrillEntry,
    pub scenario: Loadable<Rc<LoadedScenario>>,
}

/// A library file: still on its way, parsed, or broken with the reason.
#[derive(Debug, Clone, PartialEq)]
pub enum Loadable<T> {
    Loading,
    Ready(T),
    Broken(String),
}

impl<T> Loadable<T> {
    pub fn ready(&self) -> Option<&T> {
        match self {
            Loadable::Ready(value) => Some(value),
            _ => None,
        }
    }

    pub fn broken(&self) -> Option<&str> {
        match self {
            Loadable::Broken(why) => Some(why),
            _ => None,
        }
    }
}

impl<T> From<Result<T, String>> for Loadable<T> {
    fn from(result: Result<T, String>) -> Loadable<T> {
        match result {
            Ok(value) => Loadable::Ready(value),
            Err(why) => Loadable::Broken(why),
        }
    }
}

/// A parsed drill scenario with its exact source and that source's SHA-256 (which the
/// header of every drill session names).
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedScenario {
    pub scenario: Scenario,
    pub sha256: Digest,
    pub file: Rc<str>,
    pub source: Rc<str>,
}

impl LoadedScenario {
    /// Parses `bytes` named `file`; the message is the parser's `file:line:col: …`.
    pub fn parse(file: &str, bytes: &[u8]) -> Result<LoadedScenario, String> {
        let format = SourceFormat::from_file_name(file).unwrap_or(SourceFormat::Yaml);
        let scenario = parse_scenario(file, bytes, format).map_err(|e| e.to_string())?;
        Ok(LoadedScenario {
            scenario,
            sha256: Digest::of(bytes),
            file: file.into(),
            source: String::from_utf8_lossy(bytes).into(),
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LibraryEntry {
    pub meta: IndexEntry,
    pub runbook: Loadable<LoadedRunbook>,
}

/// A parsed runbook with the exact source it was parsed from and that source's SHA-256.
#[derive(Debug, Clone)]
pub struct LoadedRunbook {
    pub runbook: Arc<Runbook>,
    pub sha256: Digest,
    /// The file name it came from.
    pub file: Rc<str>,
    /// The source text, kept so a stored session replays against these exact bytes.
    pub source: Rc<str>,
    /// Opened from a file on disk rather than the library.
    pub local: bool,
}

/// Two loads are the same runbook when they came from the same bytes (the parser is
/// deterministic): comparing digests spares Yew a walk through every step of a long runbook
/// each time the library or a page's props are compared.
impl PartialEq for LoadedRunbook {
    fn eq(&self, other: &LoadedRunbook) -> bool {
        self.sha256 == other.sha256 && self.local == other.local && self.file == other.file
    }
}

impl LoadedRunbook {
    /// Parses `bytes` named `file`; the message is the parser's `file:line:col: …`.
    pub fn parse(file: &str, bytes: &[u8], local: bool) -> Result<LoadedRunbook, String> {
        let format = SourceFormat::from_file_name(file)
            .ok_or_else(|| format!("{file}: not a .yaml, .yml or .json file"))?;
        let runbook = parse(file, bytes, format).map_err(|e| e.to_string())?;
        Ok(LoadedRunbook::new(file, runbook, bytes, local))
    }

    /// Wraps an already parsed runbook with its source bytes (which parsed, so are UTF-8).
    pub fn new(file: &str, runbook: Runbook, bytes: &[u8], local: bool) -> LoadedRunbook {
        LoadedRunbook {
            runbook: Arc::new(runbook),
            sha256: Digest::of(bytes),
            file: file.into(),
            source: String::from_utf8_lossy(bytes).into(),
            local,
        }
    }
}

impl Library {
    pub fn entry(&self, id: &str) -> Option<&LibraryEntry> {
        self.entries.iter().find(|e| e.meta.id.as_str() == id)
    }

    pub fn drill(&self, id: &str) -> Option<&DrillListing> {
        self.drills.iter().find(|d| d.meta.id == id)
    }

    /// The library's scenario with exactly this SHA-256, as a drill log's header names it:
    /// `Loading` while it is not found but some drill is still on its way, `None` when no
    /// drill of the library has it.
    pub fn scenario_by_sha(&self, sha256: Digest) -> Option<Loadable<Rc<LoadedScenario>>> {
        let found = self
            .drills
            .iter()
            .filter_map(|d| d.scenario.ready())
            .find(|s| s.sha256 == sha256);
        match found {
            Some(scenario) => Some(Loadable::Ready(scenario.clone())),
            None if self.drills.iter().any(|d| d.scenario == Loadable::Loading) => {
                Some(Loadable::Loading)
            }
            None => None,
        }
    }

    /// The library as the index lists it, every file still loading.
    pub fn pending(index: Index) -> Library {
        Library {
            entries: index
                .runbooks
                .into_iter()
                .map(|meta| LibraryEntry {
                    meta,
                    runbook: Loadable::Loading,
                })
                .collect(),
            drills: index
                .drills
                .into_iter()
                .map(|meta| DrillListing {
                    meta,
                    scenario: Loadable::Loading,
                })
                .collect(),
        }
    }

    /// Builds a library from sources already in memory: `(index entry, file bytes)`.
    pub fn from_sources(sources: Vec<(IndexEntry, Result<Vec<u8>, String>)>) -> Library {
        let entries = sources
            .into_iter()
            .map(|(meta, bytes)| {
                let runbook = bytes.and_then(|bytes| load_one(&meta, &bytes)).into();
                LibraryEntry { meta, runbook }
            })
            .collect();
        Library {
            entries,
            drills: Vec::new(),
        }
    }
}

/// The priority matrix in force, with the SHA-256 of its source recorded in session headers.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedMatrix {
    pub matrix: Matrix,
    pub sha256: Digest,
    /// The source text, stored with each session that uses it so its clocks survive a change
    /// of the library's matrix.
    pub source: Rc<str>,
}

impl LoadedMatrix {
    /// Parses and checks a matrix; the message names the file and the first problem.
    pub fn parse(file: &str, bytes: &[u8]) -> Result<LoadedMatrix, String> {
        let matrix = parse_matrix(file, bytes, SourceFormat::Yaml).map_err(|e| e.to_string())?;
        if let Some(first) = matrix.check().first() {
            return Err(format!("{file}: {first}"));
        }
        Ok(LoadedMatrix {
            matrix,
            sha256: Digest::of(bytes),
            source: String::from_utf8_lossy(bytes).into(),
        })
    }
}

/// Fetches `priority.yaml` from the library; the message says why it is not available.
pub async fn fetch_matrix(base: &str) -> Result<LoadedMatrix, String> {
    let url = format!("{base}priority.yaml");
    let bytes = fetch::bytes(&url).await.map_err(|e| e.to_string())?;
    LoadedMatrix::parse(&url, &bytes)
}

/// Fetches and parses the index; only a missing or malformed index fails the library.
pub async fn fetch_index(base: &str) -> Result<Index, String> {
    let index_url = format!("{base}index.json");
    let bytes = fetch::bytes(&index_url).await.map_err(|e| e.to_string())?;
    parse_index(&index_url, &bytes).map_err(|e| e.to_string())
}

/// Fetches and parses one runbook the index names.
pub async fn fetch_runbook(base: &str, meta: &IndexEntry) -> Loadable<LoadedRunbook> {
    let url = format!("{base}{}", meta.file);
    fetch::bytes(&url)
        .await
        .map_err(|e| e.to_string())
        .and_then(|bytes| load_one(meta, &bytes))
        .into()
}

/// What an address asks the library for first: the index's position of the runbook of
/// `#/run/<id>`, or of the drill of `#/drill/<id>` and of the runbook it drills. An id the
/// index does not have asks for nothing (the page then says so, once all is loaded).
pub fn asked_first(index: &Index, hash: &str) -> (Option<usize>, Option<usize>) {
    let runbook = |id: &str| index.runbooks.iter().position(|r| r.id.as_str() == id);
    if let Some(id) = hash.strip_prefix("#/run/") {
        return (runbook(id), None);
    }
    if let Some(id) = hash.strip_prefix("#/drill/") {
        let drill = index.drills.iter().position(|d| d.id == id);
        return (
            drill.and_then(|d| runbook(index.drills[d].runbook.as_str())),
            drill,
        );
    }
    (None, None)
}

/// Fetches and parses one drill scenario the index names.
pub async fn fetch_drill(base: &str, meta: &DrillEntry) -> Loadable<Rc<LoadedScenario>> {
    let url = format!("{base}{}", meta.file);
    fetch::bytes(&url)
        .await
        .map_err(|e| e.to_string())
        .and_then(|b| LoadedScenario::parse(&meta.file, &b))
        .and_then(|s| {
            if s.scenario.id == meta.id {
                Ok(Rc::new(s))
            } else {
                Err(format!(
                    "{}: the index names id `{}` but the file has id `{}`; run `stepwise index`",
                    meta.file, meta.id, s.scenario.id
                ))
            }
        })
        .into()
}

fn load_one(meta: &IndexEntry, bytes: &[u8]) -> Result<LoadedRunbook, String> {
    let loaded = LoadedRunbook::parse(&meta.file, bytes, false)?;
    let runbook = &loaded.runbook;
    if runbook.id != meta.id {
        return Err(format!(
            "{}: the index names id `{}` but the file has id `{}`; run `stepwise index`",
            meta.file, meta.id, runbook.id
        ));
    }
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> Index {
        let json = br#"{"format": 1, "runbooks": [
            {"id": "vpn", "file": "vpn.yaml", "title": "VPN", "version": "1", "kind": "incident",
             "category": "Network", "tags": [], "sha256": "0000000000000000000000000000000000000000000000000000000000000000"},
            {"id": "phishing", "file": "phishing.yaml", "title": "Phishing", "version": "1", "kind": "incident",
             "category": "Security", "tags": [], "sha256": "0000000000000000000000000000000000000000000000000000000000000000"}],
          "drills": [{"id": "tabletop", "file": "drills/tabletop.yaml", "title": "Tabletop", "runbook": "phishing",
             "sha256": "0000000000000000000000000000000000000000000000000000000000000000"}]}"#;
        match parse_index("index.json", json) {
            Ok(index) => index,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn a_runbook_or_drill_address_asks_for_its_files_first() {
        let index = index();
        for (hash, want) in [
            ("#/run/phishing", (Some(1), None)),
            ("#/run/vpn", (Some(0), None)),
            ("#/drill/tabletop", (Some(1), Some(0))),
            ("#/run/unknown", (None, None)),
            ("#/drill/unknown", (None, None)),
            ("#/", (None, None)),
            (
                "#/session/0d6c1d0e-8f5b-4a39-9d51-5b1a2c3d4e5f",
                (None, None),
            ),
            ("", (None, None)),
        ] {
            assert_eq!(asked_first(&index, hash), want, "{hash}");
        }
    }

    #[test]
    fn a_scenario_is_found_by_its_digest_and_awaited_while_drills_load() {
        let file = "drills/phishing-tabletop.yaml";
        let scenario = match LoadedScenario::parse(
            file,
            include_bytes!("../runbooks/drills/phishing-tabletop.yaml"),
        ) {
            Ok(scenario) => Rc::new(scenario),
            Err(e) => panic!("{e}"),
        };
        let other = Digest::of(b"another scenario");
        let mut library = Library::pending(index());
        assert_eq!(
            library.scenario_by_sha(scenario.sha256),
            Some(Loadable::Loading)
        );
        library.drills[0].scenario = Loadable::Ready(scenario.clone());
        assert_eq!(
            library.scenario_by_sha(scenario.sha256),
            Some(Loadable::Ready(scenario.clone()))
        );
        assert_eq!(
            library.scenario_by_sha(other),
            None,
            "every drill loaded, none has it"
        );
        library.drills[0].scenario = Loadable::Broken("line 1: bad".to_owned());
        assert_eq!(library.scenario_by_sha(scenario.sha256), None);
    }
}
