//! Input made to hurt: each file of `tests/fixtures/hostile/` is refused with the message its
//! first line names (`# hostile: LINE:COL: error: MESSAGE`), or parses and renders inert
//! (`# hostile: inert`: no raw HTML reaches the tree and no link keeps an unsafe target).
//! The files too large to commit are made here: a 10 MB file, 100,000 steps, and one past
//! each count and length limit. The browser half is `tests/e2e/hostile.test.mjs`.

use std::fs;
use std::path::Path;

use stepwise_core::markdown::{render, Node, Tag};
use stepwise_core::runbook::{
    lint, parse, SourceFormat, MAX_ID_BYTES, MAX_ITEMS, MAX_SOURCE_BYTES, MAX_STEPS, MAX_TEXT_BYTES,
};

const HEAD: &str = "id: hostile\ntitle: Hostile\nversion: \"1\"\nkind: incident\n";

/// The first diagnostic of `bytes` as `LINE:COL: severity: message`, or `inert`.
fn first(bytes: &[u8]) -> String {
    let report = lint("f", bytes, SourceFormat::Yaml, None);
    match report.diagnostics.first() {
        Some(d) => d.render("f").trim_start_matches("f:").to_owned(),
        None => "inert".to_owned(),
    }
}

#[test]
fn every_hostile_fixture_is_refused_as_it_says_or_inert() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/hostile");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("tests/fixtures/hostile exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 12, "{} hostile runbooks", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let bytes = fs::read(path).expect("readable");
        let name = path
            .file_name()
            .expect("a file")
            .to_string_lossy()
            .into_owned();
        let head = String::from_utf8_lossy(&bytes);
        let want = head
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# hostile: "))
            .unwrap_or_else(|| panic!("{name}: no `# hostile:` line"))
            .to_owned();
        let got = first(&bytes);
        if got != want {
            failures.push(format!("{name}:\n  want {want}\n  got  {got}"));
        }
        if want == "inert" {
            let runbook = parse(&name, &bytes, SourceFormat::Yaml).expect("an inert file parses");
            let texts = std::iter::once(runbook.summary.as_str())
                .chain(runbook.steps.iter().map(|s| s.body.as_str()));
            for text in texts {
                assert_inert(&name, &render(text));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// No element but the allow-listed ones, and no link to anything but http(s), mailto, tel or
/// a relative address.
fn assert_inert(name: &str, nodes: &[Node]) {
    for node in nodes {
        if let Node::Element {
            tag,
            href,
            children,
        } = node
        {
            if let Some(href) = href {
                assert_eq!(*tag, Tag::Link, "{name}: only links have a target");
                let lower = href.to_ascii_lowercase();
                assert!(
                    !lower.contains("script:")
                        && !lower.starts_with("data:")
                        && !lower.starts_with("file:"),
                    "{name}: a link to {href} survived"
                );
            }
            assert_inert(name, children);
        }
    }
}

#[test]
fn files_past_each_limit_are_refused_naming_the_limit() {
    let steps = |n: usize| {
        let mut s = format!("{HEAD}steps:\n");
        for i in 0..n {
            s.push_str(&format!("  - {{id: s{i}, title: S}}\n"));
        }
        s
    };
    let ten_mb = format!("{HEAD}summary: \"{}\"\n", "x".repeat(10 * 1024 * 1024));
    let items = (0..=MAX_ITEMS)
        .map(|i| format!("      - {{id: i{i}, text: T}}\n"))
        .collect::<String>();
    let cases: Vec<(&str, String, String)> = vec![
        (
            "a 10 MB file",
            ten_mb.clone(),
            format!("1:1: error: file is {} bytes, over the limit of {MAX_SOURCE_BYTES} bytes", ten_mb.len()),
        ),
        (
            "100,000 steps",
            steps(100_000),
            format!("1:1: error: file is {} bytes, over the limit of {MAX_SOURCE_BYTES} bytes", steps(100_000).len()),
        ),
        (
            "one step too many",
            steps(MAX_STEPS + 1),
            format!("5:1: error: {} steps, over the limit of {MAX_STEPS}", MAX_STEPS + 1),
        ),
        (
            "one item too many",
            format!("{HEAD}steps:\n  - id: a\n    title: A\n    checklist:\n{items}"),
            format!("6:9: error: step `a`: {} checklist items, over the limit of {MAX_ITEMS}", MAX_ITEMS + 1),
        ),
        (
            "a body too long",
            format!("{HEAD}steps:\n  - id: a\n    title: A\n    body: \"{}\"\n", "y".repeat(MAX_TEXT_BYTES + 1)),
            format!("6:9: error: step `a`: body is {} bytes, over the limit of {MAX_TEXT_BYTES} bytes", MAX_TEXT_BYTES + 1),
        ),
        (
            "an id too long",
            format!("{HEAD}steps:\n  - id: {}\n    title: A\n", "z".repeat(MAX_ID_BYTES + 1)),
            format!("6:9: error: step `{}`: step id is {} bytes, over the limit of {MAX_ID_BYTES} bytes", "z".repeat(MAX_ID_BYTES + 1), MAX_ID_BYTES + 1),
        ),
    ];
    for (what, source, want) in cases {
        // The size limit is checked before anything is read; the rest after one parse.
        let got = first(source.as_bytes());
        assert_eq!(got, want, "{what}");
    }
}
