//! Browser smoke tests of the app's wiring, in headless Chromium (`wasm-pack test --chrome`).
//!
//! They mount the real `App` with a library built in memory from the bundled runbooks (the
//! test runner serves no `runbooks/` folder), then look at the DOM. What a person does end to
//! end is tested with Playwright under tests/e2e/.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;
use std::time::Duration;

use stepwise::app::{App, AppProps};
use stepwise::library::Library;
use stepwise_core::runbook::parse_index;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

const INDEX: &[u8] = include_bytes!("../runbooks/index.json");

/// The bundled runbooks by file name, as the server would serve them.
fn bundled(file: &str) -> Option<&'static [u8]> {
    match file {
        "vpn-not-connecting.yaml" => Some(include_bytes!("../runbooks/vpn-not-connecting.yaml")),
        "phishing-reported.yaml" => Some(include_bytes!("../runbooks/phishing-reported.yaml")),
        "password-mfa-reset.yaml" => Some(include_bytes!("../runbooks/password-mfa-reset.yaml")),
        _ => None,
    }
}

fn library_with(extra: Vec<(&str, &[u8])>) -> Rc<Library> {
    let index = parse_index("index.json", INDEX).expect("bundled index parses");
    let mut sources: Vec<_> = index
        .runbooks
        .into_iter()
        .filter_map(|entry| bundled(&entry.file).map(|bytes| (entry, Ok(bytes.to_vec()))))
        .collect();
    for (file, bytes) in extra {
        let mut entry = sources[0].0.clone();
        entry.id = stepwise_core::RunbookId::new(file.trim_end_matches(".yaml"));
        entry.file = file.to_owned();
        entry.title = format!("Broken fixture {file}");
        sources.push((entry, Ok(bytes.to_vec())));
    }
    Rc::new(Library::from_sources(sources))
}

/// Mounts the app at `hash` into a fresh element and waits for Yew's first render.
async fn mount(library: Rc<Library>, hash: &str) -> Element {
    gloo::utils::window()
        .location()
        .set_hash(hash)
        .expect("set hash");
    let document = gloo::utils::document();
    let root = document.create_element("div").expect("create div");
    document
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    yew::Renderer::<App>::with_root_and_props(
        root.clone(),
        AppProps {
            library: Some(library),
        },
    )
    .render();
    settle().await;
    root
}

async fn settle() {
    gloo_timers::future::sleep(Duration::from_millis(50)).await;
}

#[wasm_bindgen_test]
async fn library_page_lists_the_bundled_runbooks_by_title() {
    let root = mount(library_with(vec![]), "#/").await;
    let text = root.text_content().unwrap_or_default();
    let cards = root
        .query_selector_all(".runbooks .card")
        .expect("selector");
    assert_eq!(cards.length(), 3);
    for title in [
        "VPN not connecting",
        "Suspected phishing email reported",
        "Password reset and MFA re-registration",
    ] {
        assert!(text.contains(title), "title `{title}` missing from {text}");
    }
}

#[wasm_bindgen_test]
async fn a_broken_runbook_is_listed_with_its_position_and_the_rest_still_open() {
    let broken: Vec<(&str, &[u8])> = vec![("broken.yaml", b"id: broken\ntitle: [oops\n")];
    let root = mount(library_with(broken), "#/").await;
    let broken = root
        .query_selector(".card.broken")
        .expect("selector")
        .expect("a broken card");
    let message = broken.text_content().unwrap_or_default();
    assert!(message.contains("broken.yaml:2:8"), "{message}");
    let links = root
        .query_selector_all(".card:not(.broken) h2 a")
        .expect("selector");
    assert_eq!(links.length(), 3, "the three good runbooks stay openable");
}

#[wasm_bindgen_test]
async fn checking_an_item_on_the_run_page_moves_progress() {
    let root = mount(library_with(vec![]), "#/run/password-mfa-reset").await;
    // The first start in a browser profile asks who is working; records name that person.
    let name: web_sys::HtmlInputElement = root
        .query_selector("#identity-name")
        .expect("selector")
        .expect("the identity form")
        .dyn_into()
        .expect("an input");
    name.set_value("Wasm Tester");
    let save: web_sys::HtmlElement = root
        .query_selector(".identity button[type=submit]")
        .expect("selector")
        .expect("a save button")
        .dyn_into()
        .expect("an element");
    save.click();
    settle().await;
    settle().await;
    assert!(
        gloo::utils::window()
            .location()
            .hash()
            .unwrap_or_default()
            .starts_with("#/session/"),
        "the new session has its own address"
    );
    let progress = || {
        root.query_selector("[data-testid=progress]")
            .expect("selector")
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    };
    let before = progress();
    assert!(before.starts_with("0 of "), "{before}");
    let checkbox: web_sys::HtmlElement = root
        .query_selector(".checklist input[type=checkbox]")
        .expect("selector")
        .expect("a checkbox on the first step")
        .dyn_into()
        .expect("an element");
    checkbox.click();
    settle().await;
    assert!(progress().starts_with("1 of "), "{}", progress());
    gloo::utils::window()
        .location()
        .set_hash("")
        .expect("reset hash");
}

#[wasm_bindgen_test]
async fn indexeddb_appends_one_record_at_a_time_and_reads_them_back_in_order() {
    use stepwise::platform::storage::{Db, SessionSummary};

    let db = Db::open().await.expect("IndexedDB opens in Chromium");
    let summary = |id: &str, records: usize| SessionSummary {
        id: id.to_owned(),
        runbook_id: "r".into(),
        title: "R".into(),
        version: "1".into(),
        file: "r.yaml".into(),
        sha256: "0".repeat(64),
        local: false,
        started: "2026-12-03T00:00:00.000Z".into(),
        updated: format!("2026-12-03T00:00:0{records}.000Z"),
        status: "in progress".into(),
        records,
        done: 0,
        total: 1,
        drill: None,
    };
    let lines: Vec<String> = (0..12).map(|n| format!("{{\"seq\":{n}}}")).collect();
    // Appends of one line each, as actions happen; seq 10 and 11 sort after 9 numerically.
    for (n, line) in lines.iter().enumerate() {
        db.append(&summary("web-test-a", n + 1), n, std::slice::from_ref(line))
            .await
            .expect("append commits");
    }
    db.append(
        &summary("web-test-b", 1),
        0,
        &["{\"other\":true}".to_owned()],
    )
    .await
    .expect("append commits");

    assert_eq!(db.lines("web-test-a").await.expect("reads"), lines);
    assert_eq!(db.lines("web-test-b").await.expect("reads").len(), 1);
    let stored = db
        .summary("web-test-a")
        .await
        .expect("reads")
        .expect("present");
    assert_eq!(stored.records, 12, "the summary is the latest one written");
    let all = db.sessions().await.expect("reads");
    assert!(all.iter().any(|s| s.id == "web-test-b"));

    // Re-appending a line already stored (two effects racing) changes nothing.
    db.append(
        &summary("web-test-a", 12),
        11,
        std::slice::from_ref(&lines[11]),
    )
    .await
    .expect("append commits");
    assert_eq!(db.lines("web-test-a").await.expect("reads"), lines);
}
