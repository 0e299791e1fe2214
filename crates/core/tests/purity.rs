//! Architecture invariant: stepwise-core depends on nothing of the browser and draws no
//! randomness. Read from the manifest itself, so a new dependency fails here before review.

const FORBIDDEN: &[&str] = &[
    "yew",
    "yew-router",
    "web-sys",
    "wasm-bindgen",
    "wasm-bindgen-futures",
    "js-sys",
    "getrandom",
    "gloo",
];

#[test]
fn core_manifest_names_no_browser_or_randomness_crate() {
    let manifest = include_str!("../Cargo.toml");
    let mut section = "";
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line;
            continue;
        }
        if !section.contains("dependencies") {
            continue;
        }
        let Some(name) = line.split(['=', '.']).next().map(str::trim) else {
            continue;
        };
        let hit = FORBIDDEN.contains(&name) || name.starts_with("gloo-");
        assert!(
            !hit,
            "stepwise-core must not depend on `{name}` (in {section})"
        );
    }
}

#[test]
fn the_check_itself_sees_dependencies() {
    // Guards the test above against passing vacuously: it must find the crates we do use.
    let manifest = include_str!("../Cargo.toml");
    assert!(manifest.contains("\n[dependencies]\n"));
    assert!(manifest.lines().any(|l| l.starts_with("granit-parser")));
}
