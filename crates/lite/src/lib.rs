//! Stepwise's first-load module: the library page alone, in a fifth of the web app's bytes.
//!
//! The boot script starts it when the app opens on the library (`#/`), the first page of
//! most visits, and starts the web app instead for every other address. It draws the same
//! page from the same markup (`stepwise-view`) and hands over to the web app, which takes
//! the same place in the page, as soon as anything else is needed:
//! - another address (a card, the top bar): the boot script sees the hash change;
//! - a runbook file chosen or dropped: it goes to the web app, which checks and runs it;
//! - a runbook or drill whose bytes are not the ones the index names (the web app says
//!   what is wrong with it, at its line and column), or an index that cannot be read;
//! - a name kept in IndexedDB that this module cannot see (`localStorage` mirrors it).
//!
//! It parses nothing but the index: a file whose SHA-256 is the index's was parsed by
//! `stepwise index` when the index was written.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Function, Reflect, Uint8Array};
use stepwise_core::runbook::{parse_index, Index};
use stepwise_core::Digest;
use stepwise_view::{
    count_text, first, hand_over, matches, DrillCard, DrillsSection, LibraryFrame, OpenFileSection,
    RunbookCard, RunbookList,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CustomEvent, CustomEventInit, File, HtmlInputElement, Response};
use yew::prelude::*;

/// Where the library lives, relative to the page (the web app's `LIBRARY_BASE`).
const LIBRARY_BASE: &str = "runbooks/";

thread_local! {
    static APP: RefCell<Option<yew::AppHandle<LibraryPage>>> = const { RefCell::new(None) };
    /// Set by [`stop`]: a start still reading the index must then not show the page.
    static STOPPED: Cell<bool> = const { Cell::new(false) };
}

/// Reads the index, then shows the library in `#app` in place of the page's placeholder, so
/// the page's first render is the list itself. Resolves once it is shown or handed over.
#[wasm_bindgen]
pub async fn start() {
    let index = fetch_index().await;
    if STOPPED.with(Cell::get) {
        return;
    }
    let Some(index) = index else {
        return hand_over(None);
    };
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"))
    else {
        return;
    };
    root.set_inner_html("");
    let props = LibraryPageProps {
        index: Rc::new(index),
    };
    let handle = yew::Renderer::<LibraryPage>::with_root_and_props(root, props).render();
    APP.with(|app| *app.borrow_mut() = Some(handle));
}

/// Removes the page, leaving `#app` empty for the web app.
#[wasm_bindgen]
pub fn stop() {
    STOPPED.with(|stopped| stopped.set(true));
    if let Some(handle) = APP.with(|app| app.borrow_mut().take()) {
        handle.destroy();
    }
}

/// Asks the boot script to start the web app in this module's place, with the file the
/// technician chose, if any. The search typed so far is left for the web app's library page.
fn hand_over(file: Option<&File>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    leave_search(&window);
    let init = CustomEventInit::new();
    init.set_detail(&file.map_or(JsValue::NULL, JsValue::from));
    if let Ok(event) = CustomEvent::new_with_event_init_dict(hand_over::EVENT, &init) {
        let _ = window.dispatch_event(&event);
    }
}

/// Leaves the search field's text, and whether it has focus, in a `window` property.
fn leave_search(window: &web_sys::Window) {
    let Some(document) = window.document() else {
        return;
    };
    let Some(input) = document
        .get_element_by_id("search")
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
    else {
        return;
    };
    let focused = document
        .active_element()
        .is_some_and(|active| JsValue::from(active) == JsValue::from(&input));
    let search = js_sys::Object::new();
    let _ = Reflect::set(&search, &"text".into(), &input.value().into());
    let _ = Reflect::set(&search, &"focused".into(), &focused.into());
    let _ = Reflect::set(window, &hand_over::SEARCH_PROPERTY.into(), &search);
}

/// The name the web app mirrored: `Some("")` when it saw none, `None` when it never ran.
fn mirrored_name() -> Option<String> {
    let storage = web_sys::window()?.local_storage().ok()??;
    storage.get_item(hand_over::IDENTITY_NAME_KEY).ok()?
}

/// Whether the web app's database exists (so a name may be kept in it). A browser that
/// cannot tell is taken to have one.
async fn database_exists() -> bool {
    let listed = async {
        let window: JsValue = web_sys::window()?.into();
        let factory = Reflect::get(&window, &"indexedDB".into()).ok()?;
        let databases: Function = Reflect::get(&factory, &"databases".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let promise: js_sys::Promise = databases.call0(&factory).ok()?.dyn_into().ok()?;
        let list: Array = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
        Some(list.iter().any(|db| {
            Reflect::get(&db, &"name".into())
                .ok()
                .and_then(|n| n.as_string())
                .is_some_and(|n| n == hand_over::DB_NAME)
        }))
    };
    listed.await.unwrap_or(true)
}

/// Resolves in a later task of the event loop, once the browser has had a turn.
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback(&resolve);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// The bytes at `url`, or `None` for any failure (the web app reports it, once handed over).
async fn fetch(url: &str) -> Option<Vec<u8>> {
    let window = web_sys::window()?;
    let response: Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if !response.ok() {
        return None;
    }
    let buffer = JsFuture::from(response.array_buffer().ok()?).await.ok()?;
    Some(Uint8Array::new(&buffer).to_vec())
}

/// The index, or `None` when it cannot be fetched or read.
async fn fetch_index() -> Option<Index> {
    let url = format!("{LIBRARY_BASE}index.json");
    let bytes = fetch(&url).await?;
    parse_index(&url, &bytes).ok()
}

/// Whether every runbook and drill the index lists is there with the bytes it names.
async fn all_as_indexed(index: &Index) -> bool {
    let files = index
        .runbooks
        .iter()
        .map(|r| (&r.file, r.sha256))
        .chain(index.drills.iter().map(|d| (&d.file, d.sha256)));
    let checks = files.map(|(file, sha256)| async move {
        let bytes = fetch(&format!("{LIBRARY_BASE}{file}")).await;
        bytes.is_some_and(|b| Digest::of(&b) == sha256)
    });
    futures::future::join_all(checks)
        .await
        .into_iter()
        .all(|ok| ok)
}

#[derive(Debug, Clone, PartialEq, Properties)]
struct LibraryPageProps {
    index: Rc<Index>,
}

#[component]
fn LibraryPage(props: &LibraryPageProps) -> Html {
    let name = use_state(mirrored_name);
    let query = use_state(String::new);
    {
        let (index, name) = (props.index.clone(), name.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if name.is_none() {
                    if database_exists().await {
                        return hand_over(None);
                    }
                    name.set(Some(String::new()));
                }
                // After the list is on screen: sending eighteen requests takes a frame.
                next_task().await;
                if !all_as_indexed(&index).await {
                    hand_over(None);
                }
            });
        });
    }
    let on_input = {
        let query = query.clone();
        Callback::from(move |text: String| query.set(text))
    };
    let who = match name.as_deref() {
        Some(name) if !name.is_empty() => name.to_owned(),
        _ => "Set your name".to_owned(),
    };
    let index = &props.index;
    let shown: Vec<_> = index
        .runbooks
        .iter()
        .filter(|meta| matches(meta, &query))
        .collect();
    let count = count_text(shown.len(), index.runbooks.len(), &query);
    let cards = shown.into_iter().map(|meta| {
        let title = html! { <a href={format!("#/run/{}", meta.id)}>{ meta.title.clone() }</a> };
        html! { <RunbookCard meta={meta.clone()} {title} /> }
    });
    let drills = (!index.drills.is_empty()).then(|| {
        let cards = index.drills.iter().map(|meta| {
            let title =
                html! { <a href={format!("#/drill/{}", meta.id)}>{ meta.title.clone() }</a> };
            html! { <DrillCard key={meta.id.clone()} meta={meta.clone()} {title} /> }
        });
        let debrief = html! { <a href="#/debrief">{ "debrief page" }</a> };
        html! { <DrillsSection {debrief}>{ for cards }</DrillsSection> }
    });
    let on_file = Callback::from(|file: File| hand_over(Some(&file)));
    html! {
        <>
            <header class="topbar">
                <a class="brand" href="#/">{ "Stepwise" }</a>
                <nav aria-label="Main">
                    <a href="#/">{ "Library" }</a>
                    <a href="#/sessions">{ "Sessions" }</a>
                    <a href="#/priority">{ "Priority" }</a>
                    <a href="#/verify">{ "Verify" }</a>
                    <a href="#/debrief">{ "Debrief" }</a>
                    <a href="#/identity">{ who }</a>
                </nav>
                <span aria-live="polite"></span>
            </header>
            <main id="main">
                <LibraryFrame query={(*query).clone()} {on_input}>
                    <RunbookList {count}>{ for cards }</RunbookList>
                    { drills.unwrap_or_default() }
                    <OpenFileSection on_files={first(on_file)} />
                </LibraryFrame>
            </main>
        </>
    }
}
