//! Stepwise's first-load module: the library page alone, in a tenth of the web app's bytes.
//!
//! The boot script starts it when the app opens on the library (`#/`), the first page of
//! most visits, and starts the web app instead for every other address. It draws the web
//! app's library page, from the same words and search (`stepwise-view`), as HTML text in one
//! `innerHTML` (`markup.rs`) and without Yew: its start is the library's time to
//! interactive, and a virtual DOM was half of its code. The boot tests hold its page equal
//! to the web app's. It hands over to the web app, which takes the same place in the page,
//! as soon as anything else is needed:
//! - another address (a card, the top bar): the boot script sees the hash change;
//! - a runbook file chosen or dropped: it goes to the web app, which checks and runs it;
//! - a runbook or drill whose bytes are not the ones the index names (the web app says
//!   what is wrong with it, at its line and column), or an index that cannot be read;
//! - a name kept in IndexedDB that this module cannot see (`localStorage` mirrors it).
//!
//! It parses nothing but the index: a file whose SHA-256 is the index's was parsed by
//! `stepwise index` when the index was written. Runbook text reaches the page only escaped,
//! as text or attribute values, never as markup.

use std::cell::{Cell, RefCell};

use gloo_events::{EventListener, EventListenerOptions};
use js_sys::{Array, Function, Reflect, Uint8Array};
use stepwise_core::runbook::{parse_index, Index};
use stepwise_core::Digest;
use stepwise_view::text::NO_NAME;
use stepwise_view::{count_text, hand_over, matches};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    CustomEvent, CustomEventInit, DragEvent, Element, Event, File, FileList, HtmlInputElement,
    Response,
};

mod markup;

/// Where the library lives, relative to the page (the web app's `LIBRARY_BASE`).
const LIBRARY_BASE: &str = "runbooks/";
/// The index, in `LIBRARY_BASE`.
const INDEX_URL: &str = "runbooks/index.json";

thread_local! {
    static PAGE: RefCell<Option<Page>> = const { RefCell::new(None) };
    /// Set by [`stop`]: a start still reading the index must then not show the page, and
    /// a check still running must not hand over again.
    static STOPPED: Cell<bool> = const { Cell::new(false) };
}

/// Shows the library in `#app` in place of the page's placeholder, so the page's first
/// render is the list itself, then checks it against the server. Resolves once the server's
/// index is shown or the web app is asked for; the files are checked after that.
///
/// `name` is what the web app mirrored in `localStorage` under
/// [`hand_over::IDENTITY_NAME_KEY`]: `""` when it saw no name, `None` when it never ran.
/// `last_index` is the text of the index this module last read (under
/// [`hand_over::LAST_INDEX_KEY`]); the page is drawn from it at once, and drawn again if the
/// server's differs: a revalidated `index.json` takes longer to arrive than this module
/// takes to start, and a library rarely changes between two visits. The boot script reads
/// both.
#[wasm_bindgen]
pub async fn start(name: Option<String>, last_index: Option<String>) {
    let last = last_index.filter(|text| {
        parse_index(INDEX_URL, text.as_bytes()).is_ok_and(|index| show(index, &name))
    });
    let fresh = fetch(INDEX_URL).await;
    if STOPPED.with(Cell::get) {
        return;
    }
    // The web app says why the index cannot be fetched or read, at its line and column.
    let Some(bytes) = fresh else {
        return hand_over(None);
    };
    let Ok(index) = parse_index(INDEX_URL, &bytes) else {
        return hand_over(None);
    };
    if last.as_deref().map(str::as_bytes) != Some(&bytes[..]) {
        if !show(index.clone(), &name) {
            return hand_over(None);
        }
        remember_index(&bytes);
    }
    wasm_bindgen_futures::spawn_local(vouch(index, name.is_some()));
}

/// Removes the page, leaving `#app` empty for the web app.
#[wasm_bindgen]
pub fn stop() {
    STOPPED.with(|stopped| stopped.set(true));
    if let Some(page) = PAGE.with(|slot| slot.borrow_mut().take()) {
        page.remove();
    }
}

/// Shows `index` in `#app` (again, if it is there already, with the search as it was).
/// False when the browser refused a DOM call.
fn show(index: Index, name: &Option<String>) -> bool {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"))
    else {
        return false;
    };
    let search = PAGE.with(|slot| slot.borrow_mut().take()).map(Page::search);
    match Page::show(&root, index, name.as_deref()) {
        Ok(page) => {
            if let Some((text, focused)) = search {
                page.set_search(&text, focused);
            }
            PAGE.with(|slot| *slot.borrow_mut() = Some(page));
            true
        }
        Err(_) => false,
    }
}

/// Keeps the index's text for the next visit's first draw. Storage that refuses (full,
/// disabled) only costs that visit the wait for the server.
fn remember_index(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(hand_over::LAST_INDEX_KEY, text);
    }
}

/// The page on screen: what the search re-arranges, and the listeners it keeps alive (each
/// removed from its element when dropped).
struct Page {
    index: Index,
    /// One card per runbook of the index, in its order, drawn once.
    cards: Vec<Element>,
    /// The `ul.runbooks` the matching cards are in.
    list: Element,
    /// The status line above them.
    count: Element,
    search: HtmlInputElement,
    /// `#app`, which holds nothing else while the page is shown.
    root: Element,
    _listeners: Vec<EventListener>,
}

impl Page {
    /// Writes the page into `root` in one step, then finds what the search and the file
    /// picker work on.
    fn show(root: &Element, index: Index, name: Option<&str>) -> Result<Page, JsValue> {
        let name = name.filter(|n| !n.is_empty()).unwrap_or(NO_NAME);
        root.set_inner_html(&markup::page(&index, name));
        let find = |selector: &str| {
            root.query_selector(selector)?
                .ok_or_else(|| JsValue::from_str(selector))
        };
        let list = find("ul.runbooks")?;
        let count = find("[data-testid=library-count]")?;
        let search: HtmlInputElement = find("#search")?.dyn_into()?;
        let picker = find("#open-file")?;
        let drop_zone = find("[data-testid=file-drop]")?;
        let children = list.children();
        let cards: Vec<Element> = (0..children.length())
            .filter_map(|i| children.item(i))
            .collect();
        if cards.len() != index.runbooks.len() {
            return Err(JsValue::from_str("a card per runbook"));
        }
        let listeners = vec![
            EventListener::new(&search, "input", |event| {
                if let Some(input) = target::<HtmlInputElement>(event) {
                    PAGE.with(|slot| {
                        if let Some(page) = &*slot.borrow() {
                            page.filter(&input.value());
                        }
                    });
                }
            }),
            EventListener::new(&picker, "change", |event| {
                if let Some(input) = target::<HtmlInputElement>(event) {
                    if let Some(file) = first(input.files()) {
                        hand_over(Some(&file));
                    }
                    // Picking the same file again must fire `change` again.
                    input.set_value("");
                }
            }),
            on_drag(&drop_zone, "dragover", |zone, event| {
                // Without this the browser opens the dropped file instead of handing it to us.
                event.prevent_default();
                let _ = zone.class_list().add_1("dragging");
            }),
            on_drag(&drop_zone, "dragleave", |zone, _| {
                let _ = zone.class_list().remove_1("dragging");
            }),
            on_drag(&drop_zone, "drop", |zone, event| {
                event.prevent_default();
                let _ = zone.class_list().remove_1("dragging");
                let dropped = event
                    .dyn_ref::<DragEvent>()
                    .and_then(DragEvent::data_transfer);
                if let Some(file) = first(dropped.and_then(|t| t.files())) {
                    hand_over(Some(&file));
                }
            }),
        ];
        Ok(Page {
            index,
            cards,
            list,
            count,
            search,
            root: root.clone(),
            _listeners: listeners,
        })
    }

    /// Shows the cards that match `query`, in the index's order, and says how many.
    fn filter(&self, query: &str) {
        let shown: Array = self
            .index
            .runbooks
            .iter()
            .zip(&self.cards)
            .filter(|(meta, _)| matches(meta, query))
            .map(|(_, card)| JsValue::from(card))
            .collect();
        self.list.replace_children_with_node(&shown);
        self.count.set_text_content(Some(&count_text(
            shown.length() as usize,
            self.cards.len(),
            query,
        )));
    }

    /// The search as typed, and whether it has the focus.
    fn search(self) -> (String, bool) {
        let focused = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .is_some_and(|active| JsValue::from(active) == JsValue::from(&self.search));
        (self.search.value(), focused)
    }

    /// Puts back a search typed on an earlier draw of the page.
    fn set_search(&self, text: &str, focused: bool) {
        if !text.is_empty() {
            self.search.set_value(text);
            self.filter(text);
        }
        if focused {
            let _ = self.search.focus();
        }
    }

    fn remove(self) {
        self.root.set_inner_html("");
    }
}

/// The event's target as a `T`, if it is one.
fn target<T: JsCast>(event: &Event) -> Option<T> {
    event.target()?.dyn_into().ok()
}

/// The first file of a picker's or a drop's list.
fn first(files: Option<FileList>) -> Option<File> {
    files?.get(0)
}

/// A drop-zone listener that may cancel the event (`dragover` and `drop` must, or the
/// browser opens the file itself).
fn on_drag(
    zone: &Element,
    kind: &'static str,
    handle: impl Fn(&Element, &Event) + 'static,
) -> EventListener {
    let element = zone.clone();
    EventListener::new_with_options(
        zone,
        kind,
        EventListenerOptions::enable_prevent_default(),
        move |event| handle(&element, event),
    )
}

/// Once the page is on screen, hands over unless this module can vouch for it: the name
/// it shows must be the one kept, and every listed file the one the index names.
async fn vouch(index: Index, name_mirrored: bool) {
    if !name_mirrored && database_exists().await {
        return hand_over(None);
    }
    // After the list is on screen: sending eighteen requests takes a frame.
    next_task().await;
    if !all_as_indexed(&index).await {
        hand_over(None);
    }
}

/// Asks the boot script to start the web app in this module's place, with the file the
/// technician chose, if any. The search typed so far is left for the web app's library page.
/// Once stopped, the web app is there already.
fn hand_over(file: Option<&File>) {
    if STOPPED.with(Cell::get) {
        return;
    }
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
