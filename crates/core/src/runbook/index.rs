//! `runbooks/index.json`: the library's table of contents.
//!
//! The web app is served as static files and cannot list a folder, so the library is named
//! in an index that `stepwise index` writes from the runbooks themselves. The index carries
//! what the library page shows before a runbook is opened; the runbook file stays the truth.

use serde::{Deserialize, Serialize};

use super::model::{Kind, Runbook};
use super::parse::{deserialize, ParseError, SourceFormat};
use crate::digest::Digest;
use crate::drill::Scenario;
use crate::ids::RunbookId;

/// The version of the index layout; bumped when a field changes meaning.
pub const INDEX_FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Index {
    pub format: u32,
    pub runbooks: Vec<IndexEntry>,
    /// Drill scenarios (`drills/*.yaml` beside the runbooks); absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drills: Vec<DrillEntry>,
}

/// A drill scenario as the library lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrillEntry {
    pub id: String,
    /// The scenario's file, relative to the index (`drills/NAME.yaml`).
    pub file: String,
    pub title: String,
    /// The runbook it drills.
    pub runbook: RunbookId,
    /// SHA-256 of the file's bytes when the index was written.
    pub sha256: Digest,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexEntry {
    pub id: RunbookId,
    /// The runbook's file name, relative to the index.
    pub file: String,
    pub title: String,
    pub version: String,
    pub kind: Kind,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// SHA-256 of the file's bytes when the index was written.
    pub sha256: Digest,
}

impl Index {
    /// The index as `stepwise index` writes it: pretty JSON with a final newline, so that
    /// the committed file diffs cleanly.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self)
            .expect("an index holds only strings and numbers, which always serialize");
        text.push('\n');
        text
    }

    pub fn entry(&self, id: &RunbookId) -> Option<&IndexEntry> {
        self.runbooks.iter().find(|e| &e.id == id)
    }

    pub fn drill(&self, id: &str) -> Option<&DrillEntry> {
        self.drills.iter().find(|e| e.id == id)
    }

    /// Adds the drill scenarios (file name relative to the index, scenario, source bytes),
    /// ordered by id.
    pub fn with_drills<'a>(
        mut self,
        drills: impl IntoIterator<Item = (&'a str, &'a Scenario, &'a [u8])>,
    ) -> Index {
        self.drills = drills
            .into_iter()
            .map(|(file, s, bytes)| DrillEntry {
                id: s.id.clone(),
                file: file.to_owned(),
                title: s.title.clone(),
                runbook: s.runbook.id.clone(),
                sha256: Digest::of(bytes),
            })
            .collect();
        self.drills.sort_by(|a, b| a.id.cmp(&b.id));
        self
    }
}

/// Parses `index.json`.
pub fn parse_index(file: &str, bytes: &[u8]) -> Result<Index, ParseError> {
    deserialize(file, bytes, SourceFormat::Json)
}

/// The index of the given runbooks (file name, runbook, source bytes), ordered by id.
pub fn build_index<'a>(
    runbooks: impl IntoIterator<Item = (&'a str, &'a Runbook, &'a [u8])>,
) -> Index {
    let mut entries: Vec<IndexEntry> = runbooks
        .into_iter()
        .map(|(file, rb, bytes)| IndexEntry {
            id: rb.id.clone(),
            file: file.to_owned(),
            title: rb.title.clone(),
            version: rb.version.clone(),
            kind: rb.kind,
            category: rb.category.clone(),
            tags: rb.tags.clone(),
            sha256: Digest::of(bytes),
        })
        .collect();
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    Index {
        format: INDEX_FORMAT,
        runbooks: entries,
        drills: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::parse;

    #[test]
    fn built_index_round_trips_and_is_sorted() {
        let b_src: &[u8] = b"id: b\ntitle: B\nversion: '2'\nkind: request\ntags: [x]\nsteps:\n  - {id: s, title: S}\n";
        let a_src: &[u8] =
            b"id: a\ntitle: A\nversion: '1'\nkind: incident\nsteps:\n  - {id: s, title: S}\n";
        let b = parse("b.yaml", b_src, SourceFormat::Yaml).expect("valid");
        let a = parse("a.yaml", a_src, SourceFormat::Yaml).expect("valid");
        let index = build_index([("b.yaml", &b, b_src), ("a.yaml", &a, a_src)]);
        assert_eq!(index.runbooks[0].sha256, Digest::of(a_src));
        let ids: Vec<_> = index.runbooks.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        let again = parse_index("index.json", index.to_json().as_bytes()).expect("valid");
        assert_eq!(again, index);
        assert_eq!(
            again.entry(&RunbookId::new("b")).map(|e| e.tags.clone()),
            Some(vec!["x".to_owned()])
        );
    }

    #[test]
    fn malformed_index_names_position() {
        let err = parse_index("index.json", b"{\"format\": 1, \"runbooks\": [{]}").unwrap_err();
        assert_eq!((err.file.as_str(), err.line), ("index.json", 1));
    }
}
