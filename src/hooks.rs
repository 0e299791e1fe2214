//! Typed access to the app's two contexts, and the providers that publish them.
//!
//! Pages call `use_library()` and `use_session()`; they never touch `use_context` or the
//! reducer directly. `SessionHandle` offers intent methods (`check_item`, `enter_step`) that
//! read the clock and randomness *before* dispatching, so the reducer stays free of I/O.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use stepwise_core::evidence::{Export, Report, Signer, Unsigned};
use stepwise_core::priority::Matrix;
use stepwise_core::session::{
    Action, Actor, AppInfo, Delivery, HandoverFile, Record, ScenarioRef, Session, Start, Status,
};
use stepwise_core::speed_code::{fill, session_value, Filled};
use stepwise_core::timesheet;
use stepwise_core::{ItemId, SessionId, StepId};
use yew::prelude::*;

use crate::library::{
    asked_first, fetch_drill, fetch_index, fetch_matrix, fetch_runbook, Library, Loadable,
    LoadedMatrix, LoadedRunbook, LoadedScenario, LIBRARY_BASE,
};
use crate::platform::keys;
use crate::platform::locks::{acquire, Acquired, LockGuard};
use crate::platform::storage::{request_persistence, Db, SessionSummary};
use crate::platform::{clipboard, clock, download, idle, random};
use crate::state::{Saving, SessionAction, SessionState, Writer};

/// The bundled library as the pages see it.
#[derive(Debug, Clone, PartialEq)]
pub enum LibraryStatus {
    Loading,
    /// The index itself could not be loaded; no runbook can be listed.
    Failed(String),
    Ready(Rc<Library>),
}

/// The library context: the bundled library, and runbooks opened from disk in this tab
/// (kept apart: opening a file never adds it to the library).
#[derive(Clone, PartialEq)]
pub struct LibraryHandle {
    pub status: LibraryStatus,
    /// The priority matrix (`priority.yaml`), once loaded; `Err` says why it is not.
    pub matrix: Option<Result<Rc<LoadedMatrix>, String>>,
    opened: UseStateHandle<Rc<Vec<LoadedRunbook>>>,
}

impl LibraryHandle {
    /// The runbook with `id` from the bundled library: `None` while the index loads or when
    /// it lists no such runbook; else the runbook as far as it has loaded.
    pub fn bundled(&self, id: &str) -> Option<Loadable<LoadedRunbook>> {
        match &self.status {
            LibraryStatus::Ready(library) => library.entry(id).map(|e| e.runbook.clone()),
            _ => None,
        }
    }

    /// The parsed scenario of the library's drill `id`, when it has one that parses.
    pub fn scenario(&self, id: &str) -> Option<Rc<LoadedScenario>> {
        match &self.status {
            LibraryStatus::Ready(library) => library.drill(id)?.scenario.ready().cloned(),
            _ => None,
        }
    }

    /// A runbook opened from disk, by id.
    pub fn opened(&self, id: &str) -> Option<LoadedRunbook> {
        self.opened
            .iter()
            .find(|r| r.runbook.id.as_str() == id)
            .cloned()
    }

    /// Keeps a runbook opened from disk for this tab; a later file with the same id wins.
    pub fn open(&self, runbook: LoadedRunbook) {
        let mut list: Vec<LoadedRunbook> = self
            .opened
            .iter()
            .filter(|r| r.runbook.id != runbook.runbook.id)
            .cloned()
            .collect();
        list.push(runbook);
        self.opened.set(Rc::new(list));
    }
}

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct LibraryProviderProps {
    #[prop_or_default]
    pub preloaded: Option<Rc<Library>>,
    pub children: Html,
}

/// Loads the library once (or takes the preloaded one) and publishes it.
#[component]
pub fn LibraryProvider(props: &LibraryProviderProps) -> Html {
    let status = use_state(|| match &props.preloaded {
        Some(library) => LibraryStatus::Ready(library.clone()),
        None => LibraryStatus::Loading,
    });
    let opened = use_state(|| Rc::new(Vec::new()));
    let matrix = use_state(|| None::<Result<Rc<LoadedMatrix>, String>>);
    {
        let (status, matrix) = (status.clone(), matrix.clone());
        let needs_fetch = props.preloaded.is_none();
        use_effect_with((), move |_| {
            if needs_fetch {
                wasm_bindgen_futures::spawn_local(load_library(status, matrix));
            }
        });
    }
    let context = LibraryHandle {
        status: (*status).clone(),
        matrix: (*matrix).clone(),
        opened,
    };
    html! {
        <ContextProvider<LibraryHandle> {context}>
            { props.children.clone() }
        </ContextProvider<LibraryHandle>>
    }
}

/// The index first: it alone lists the library. Then the runbook (or drill and runbook)
/// the address asks for, if any, then every other runbook and drill as it arrives. The
/// matrix loads alongside, and no runbook is ready before it has settled, since a session
/// starts as soon as its runbook is and its header names the matrix in force.
async fn load_library(
    status: UseStateHandle<LibraryStatus>,
    matrix: UseStateHandle<Option<Result<Rc<LoadedMatrix>, String>>>,
) {
    let loading_matrix =
        futures::future::FutureExt::shared(futures::future::FutureExt::boxed_local(async move {
            let loaded = fetch_matrix(LIBRARY_BASE).await.map(Rc::new);
            matrix.set(Some(loaded));
        }));
    // It runs on its own too, so it settles even for a library of no runbooks.
    wasm_bindgen_futures::spawn_local(loading_matrix.clone());
    let index = match fetch_index(LIBRARY_BASE).await {
        Ok(index) => index,
        Err(message) => return status.set(LibraryStatus::Failed(message)),
    };
    let mut library = Library::pending(index.clone());
    status.set(LibraryStatus::Ready(Rc::new(library.clone())));
    // A runbook's or a drill's address (a bookmark, a link in a ticket) gets its files first,
    // and the rest of the library is parsed once the browser is idle: after the page has
    // started its session (which waits on storage) and drawn it.
    let hash = gloo::utils::window().location().hash().unwrap_or_default();
    let (first_runbook, first_drill) = asked_first(&index, &hash);
    if first_runbook.is_some() || first_drill.is_some() {
        let runbook = async {
            let i = first_runbook?;
            Some((i, fetch_runbook(LIBRARY_BASE, &index.runbooks[i]).await))
        };
        let drill = async {
            let d = first_drill?;
            Some((d, fetch_drill(LIBRARY_BASE, &index.drills[d]).await))
        };
        let (runbook, drill) = futures::future::join(runbook, drill).await;
        loading_matrix.clone().await;
        if let Some((i, loaded)) = runbook {
            library.entries[i].runbook = loaded;
        }
        if let Some((d, loaded)) = drill {
            library.drills[d].scenario = loaded;
        }
        status.set(LibraryStatus::Ready(Rc::new(library.clone())));
        idle::idle().await;
    }
    let mut runbooks: futures::stream::FuturesUnordered<_> = index
        .runbooks
        .iter()
        .enumerate()
        .filter(|&(i, _)| Some(i) != first_runbook)
        .map(|(i, meta)| {
            let matrix_settled = loading_matrix.clone();
            async move {
                let loaded = fetch_runbook(LIBRARY_BASE, meta).await;
                matrix_settled.await;
                (i, loaded)
            }
        })
        .collect();
    while let Some((i, loaded)) = futures::StreamExt::next(&mut runbooks).await {
        library.entries[i].runbook = loaded;
        status.set(LibraryStatus::Ready(Rc::new(library.clone())));
    }
    let drills = futures::future::join_all(
        index
            .drills
            .iter()
            .enumerate()
            .filter(|&(d, _)| Some(d) != first_drill)
            .map(|(d, meta)| async move { (d, fetch_drill(LIBRARY_BASE, meta).await) }),
    )
    .await;
    for (d, loaded) in drills {
        library.drills[d].scenario = loaded;
    }
    status.set(LibraryStatus::Ready(Rc::new(library)));
}

#[hook]
pub fn use_library() -> Option<LibraryHandle> {
    use_context::<LibraryHandle>()
}

/// The session context: the reducer's handle with intent methods, storage and identity.
#[derive(Clone)]
pub struct SessionHandle {
    inner: UseReducerHandle<SessionState>,
    /// `None` while opening; `Some(Err)` when this browser cannot store.
    db: Option<Result<Db, String>>,
    identity: UseStateHandle<Option<Actor>>,
    /// The Web Lock that makes this tab the session's writer, while it holds it.
    lock: Rc<RefCell<Option<LockGuard>>>,
    /// This profile's signing key: `None` while loading, `Err` when none could be made.
    key: UseStateHandle<Option<Result<Rc<dyn keys::Signer>, String>>>,
    /// The last export made in this tab, with its files and report.
    exported: UseStateHandle<Option<Rc<Exported>>>,
}

/// An export made in this tab: the signed files, and the report of exactly those bytes.
#[derive(Debug, PartialEq)]
pub struct Exported {
    pub session: String,
    pub stem: String,
    pub key_id: String,
    pub export: Export,
    pub report: Report,
}

impl PartialEq for SessionHandle {
    fn eq(&self, other: &Self) -> bool {
        // The lock is the same cell for the provider's whole life; it is not compared.
        self.inner == other.inner
            && self.db == other.db
            && self.identity == other.identity
            && self.key == other.key
            && self.exported == other.exported
    }
}

impl SessionHandle {
    pub fn session(&self) -> Option<Ref<'_, Session>> {
        self.inner.session()
    }

    pub fn runbook(&self) -> Option<&LoadedRunbook> {
        self.inner.runbook()
    }

    /// The priority matrix this session's header names, when it is known here.
    pub fn matrix(&self) -> Option<Rc<LoadedMatrix>> {
        self.inner.matrix()
    }

    pub fn notice(&self) -> Option<&str> {
        self.inner.notice.as_deref()
    }

    pub fn saving(&self) -> Saving {
        self.inner.saving()
    }

    /// How many of the session's lines storage has confirmed.
    pub fn persisted(&self) -> usize {
        self.inner.persisted
    }

    pub fn writer(&self) -> Writer {
        self.inner.writer.clone()
    }

    /// Makes this tab the session's writer: takes the lock from the other tab, then replays
    /// the session from storage so the records that tab wrote are here too.
    pub fn take_over(&self) {
        let Some(id) = self.session().map(|s| s.header().session.to_string()) else {
            return;
        };
        let handle = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let (acquired, guard) = acquire(
                &lock_name(&id),
                true,
                lost_lock(handle.inner.clone(), id.clone()),
            )
            .await;
            *handle.lock.borrow_mut() = guard;
            if let Err(message) = handle.resume(&id).await {
                handle.inner.dispatch(SessionAction::Notify(message));
            }
            handle.inner.dispatch(SessionAction::WriterChanged {
                id,
                writer: writer_of(acquired),
            });
        });
    }

    /// Whether storage has been opened (or has failed): until then, nothing can be resumed.
    pub fn is_storage_settled(&self) -> bool {
        self.db.is_some()
    }

    /// The technician of this browser profile, once set.
    pub fn identity(&self) -> Option<Actor> {
        (*self.identity).clone()
    }

    /// Sets the technician's name (and e-mail) for this browser profile and keeps it.
    pub fn set_identity(&self, actor: Actor) {
        crate::platform::storage::mirror_identity(Some(&actor.name));
        self.identity.set(Some(actor.clone()));
        let db = match &self.db {
            Some(Ok(db)) => Some(db.clone()),
            // Storage failed: the banner says so; the name still applies to this tab.
            Some(Err(_)) => return,
            // Still opening: this write opens a connection of its own.
            None => None,
        };
        let inner = self.inner.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let text = serde_json::to_string(&actor).unwrap_or_default();
            let saved = match db {
                Some(db) => db.set_setting(IDENTITY_KEY, &text).await,
                None => match Db::open().await {
                    Ok(db) => db.set_setting(IDENTITY_KEY, &text).await,
                    Err(e) => Err(e),
                },
            };
            if let Err(e) = saved {
                inner.dispatch(SessionAction::Notify(format!(
                    "Your name could not be saved: {e}"
                )));
            }
        });
    }

    /// Starts a new session of `runbook` under the priority matrix `matrix` (a drill of
    /// `scenario` when there is one), drawing its id from the browser's CSPRNG, and returns
    /// the id.
    pub fn start(
        &self,
        runbook: &LoadedRunbook,
        matrix: Option<Rc<LoadedMatrix>>,
        scenario: Option<Rc<LoadedScenario>>,
    ) -> Option<String> {
        let bytes = match random::bytes16() {
            Ok(bytes) => bytes,
            Err(message) => {
                self.inner.dispatch(SessionAction::Notify(message));
                return None;
            }
        };
        let id = SessionId::from_random_bytes(bytes);
        let start = Start {
            session: id.clone(),
            app: AppInfo {
                name: env!("CARGO_PKG_NAME").to_owned(),
                version: env!("CARGO_PKG_VERSION").to_owned(),
            },
            runbook_sha256: runbook.sha256,
            priority_matrix: matrix.as_ref().map(|m| m.sha256),
            signer: self.key_id(),
            drill: scenario.as_ref().map(|s| ScenarioRef {
                id: s.scenario.id.clone(),
                sha256: s.sha256,
            }),
        };
        self.inner.dispatch(SessionAction::Start {
            runbook: runbook.clone(),
            matrix,
            scenario,
            start,
            at: clock::now(),
            actor: self.identity(),
        });
        Some(id.to_string())
    }

    /// Loads session `id` from storage and replays it; the message says why not.
    pub async fn resume(&self, id: &str) -> Result<(), String> {
        let db = match &self.db {
            Some(Ok(db)) => db.clone(),
            Some(Err(e)) => return Err(format!("this browser's storage is unavailable: {e}")),
            None => return Err("storage is still opening".to_owned()),
        };
        let summary = db
            .summary(id)
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("this browser holds no session {id}"))?;
        let source = db
            .source(&summary.sha256)
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("the runbook source of session {id} is missing from storage"))?;
        let runbook = LoadedRunbook::parse(&summary.file, source.as_bytes(), summary.local)?;
        let lines = db.lines(id).await.map_err(|e| e.to_string())?;
        let session = Session::replay(runbook.runbook.clone(), runbook.sha256, lines)
            .map_err(|e| format!("session {id} cannot be replayed: {e}"))?;
        // The matrix the header names, as stored with the session; without it the session
        // still runs, and its panel says the matrix is not loaded.
        let matrix = match session.header().priority_matrix {
            Some(sha) => match db.source(&sha.to_hex()).await {
                Ok(Some(source)) => LoadedMatrix::parse("priority.yaml", source.as_bytes())
                    .ok()
                    .map(Rc::new),
                _ => None,
            },
            None => None,
        };
        // A drill's scenario is stored with it the same way.
        let scenario = match &session.header().scenario {
            Some(r) => match db.source(&r.sha256.to_hex()).await {
                Ok(Some(source)) => LoadedScenario::parse("scenario.yaml", source.as_bytes())
                    .ok()
                    .map(Rc::new),
                _ => None,
            },
            None => None,
        };
        self.inner.dispatch(SessionAction::Resume {
            runbook,
            matrix,
            scenario,
            session: Box::new(session),
            stored: true,
        });
        Ok(())
    }

    /// Discards a stored session: it is resumed and abandoned with the reason given, so the
    /// discard itself is on the record. Nothing is deleted.
    pub async fn discard(&self, id: &str, reason: &str) -> Result<(), String> {
        if reason.trim().is_empty() {
            return Err("say why the session is discarded".to_owned());
        }
        self.resume(id).await?;
        self.apply(Action::Abandon {
            reason: format!("Discarded: {}", reason.trim()),
        });
        Ok(())
    }

    /// The speed code `code` filled in from the session now; `None` for an unknown code.
    pub fn speed_code(&self, code: &str, matrix: Option<&Matrix>) -> Option<Filled> {
        let session = self.session()?;
        let found = session
            .runbook()
            .speed_codes
            .iter()
            .find(|c| c.id == code)?;
        let now = clock::now();
        Some(fill(&found.template, |name| {
            session_value(&session, matrix, name, now)
        }))
    }

    /// Copies the filled speed code to the clipboard; once copied, records `speed_code_copied`.
    pub fn copy_speed_code(&self, code: String, matrix: Option<&Matrix>) {
        let Some(filled) = self.speed_code(&code, matrix) else {
            return;
        };
        let handle = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match clipboard::copy_text(&filled.text).await {
                Ok(()) => handle.apply(Action::CopySpeedCode { code }),
                Err(message) => handle
                    .inner
                    .dispatch(SessionAction::Notify(format!("Not copied: {message}"))),
            }
        });
    }

    /// Saves the session's time worked as CSV for the PSA.
    pub fn export_time_entries(&self) {
        let Some(session) = self.session() else {
            return;
        };
        let name = format!("stepwise-time-{}.csv", session.header().session);
        if let Err(e) = download::save_text(&name, "text/csv", &timesheet::to_csv(&session)) {
            self.inner.dispatch(SessionAction::Notify(format!(
                "The time entries could not be saved: {e}"
            )));
        }
    }

    /// Saves the running session as a hand-over file for a colleague on another machine.
    pub fn export_handover(&self) {
        let (Some(session), Some(runbook)) = (self.session(), self.runbook()) else {
            return;
        };
        let matrix = self.matrix();
        let scenario = self.scenario();
        let file = HandoverFile::of(
            &session,
            &runbook.file,
            runbook.local,
            &runbook.source,
            matrix.as_ref().map(|m| &*m.source),
        )
        .with_scenario(scenario.as_ref().map(|s| &*s.source));
        let name = format!("stepwise-handover-{}.json", session.header().session);
        if let Err(e) = download::save_text(&name, "application/json", &file.to_json()) {
            self.inner.dispatch(SessionAction::Notify(format!(
                "The hand-over file could not be saved: {e}"
            )));
        }
    }

    /// Takes over a session from a hand-over file: replays it (which checks the whole chain),
    /// stores it, and records a `handover` from its last technician to this one. Returns the
    /// session id.
    pub async fn receive_handover(&self, text: &str) -> Result<String, String> {
        let to = self
            .identity()
            .ok_or("set your name first: the hand-over record names you")?;
        let file = HandoverFile::parse(text).map_err(|e| e.to_string())?;
        let runbook = LoadedRunbook::parse(
            &file.runbook.file,
            file.runbook.source.as_bytes(),
            file.runbook.local,
        )?;
        let session = Session::replay(runbook.runbook.clone(), runbook.sha256, file.lines())
            .map_err(|e| format!("the hand-over file does not verify: {e}"))?;
        let id = session.header().session.to_string();
        if let Some(Ok(db)) = &self.db {
            if db.summary(&id).await.map_err(|e| e.to_string())?.is_some() {
                return Err(format!(
                    "this browser already holds session {id}; open it from the sessions page"
                ));
            }
        }
        let from = session.state().technician.clone().unwrap_or(Actor {
            name: "unknown technician".to_owned(),
            email: None,
        });
        let matrix = file
            .matrix
            .as_deref()
            .and_then(|source| LoadedMatrix::parse("priority.yaml", source.as_bytes()).ok())
            .filter(|m| session.header().priority_matrix == Some(m.sha256))
            .map(Rc::new);
        let scenario = file
            .scenario
            .as_deref()
            .and_then(|source| LoadedScenario::parse("scenario.yaml", source.as_bytes()).ok())
            .filter(|s| session.header().scenario.as_ref().map(|r| r.sha256) == Some(s.sha256))
            .map(Rc::new);
        self.inner.dispatch(SessionAction::Resume {
            runbook,
            matrix,
            scenario,
            session: Box::new(session),
            stored: false,
        });
        let signer = self.key_id();
        self.apply(Action::HandOver { from, to, signer });
        Ok(id)
    }

    /// This profile's signing key: `None` while it loads, `Err` when none could be made.
    pub fn key(&self) -> Option<Result<Rc<dyn keys::Signer>, String>> {
        (*self.key).clone()
    }

    fn key_id(&self) -> Option<String> {
        match &*self.key {
            Some(Ok(key)) => Some(key.public_key().key_id().to_string()),
            _ => None,
        }
    }

    /// The last export made in this tab of the session on screen.
    pub fn exported(&self) -> Option<Rc<Exported>> {
        let current = self.session().map(|s| s.header().session.to_string());
        (*self.exported)
            .clone()
            .filter(|e| Some(&e.session) == current.as_ref())
    }

    /// Seals the session, signs it (DSSE and SSHSIG) with this profile's key, saves the
    /// envelope, and records the export in the chain. The files stay at hand for the
    /// `.jsonl` + `.sig` pair and the reports.
    pub fn export_signed(&self) {
        let handle = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(message) = handle.sign_and_save().await {
                handle.inner.dispatch(SessionAction::Notify(format!(
                    "The signed log could not be exported: {message}"
                )));
            }
        });
    }

    async fn sign_and_save(&self) -> Result<(), String> {
        let key = match self.key() {
            Some(Ok(key)) => key,
            Some(Err(e)) => return Err(format!("this browser has no signing key ({e})")),
            None => return Err("the signing key is still loading; try again".to_owned()),
        };
        let (unsigned, session_id, stem) = {
            let session = self.session().ok_or("no session is open")?;
            let header = session.header();
            let unsigned =
                Unsigned::prepare(&session, &key.public_key(), clock::now(), self.identity())
                    .map_err(|e| e.to_string())?;
            let id = header.session.to_string();
            let stem = format!("stepwise-{}-{}", header.runbook.id, &id[..id.len().min(8)]);
            (unsigned, id, stem)
        };
        let dsse = key.sign(&unsigned.dsse_message()).await?;
        let sshsig = key.sign(&unsigned.sshsig_message()).await?;
        let export = unsigned.finish(dsse, sshsig).map_err(|e| e.to_string())?;
        download::save_text(
            &format!("{stem}.stepwise.json"),
            "application/json",
            &export.envelope,
        )?;
        let records: Vec<Record> = export
            .jsonl
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect();
        let signer = Signer {
            key_id: key.public_key().key_id().to_string(),
            principals: Vec::new(),
        };
        let report = Report::new(&records, export.head, Some(signer));
        self.apply(export.mark());
        self.exported.set(Some(Rc::new(Exported {
            session: session_id,
            stem,
            key_id: key.public_key().key_id().to_string(),
            export,
            report,
        })));
        Ok(())
    }

    /// Saves one of the last export's companion files (the SSHSIG pair, the reports).
    pub fn save_export_file(&self, name: &str, mime: &str, text: &str) {
        if let Err(e) = download::save_text(name, mime, text) {
            self.inner.dispatch(SessionAction::Notify(format!(
                "{name} could not be saved: {e}"
            )));
        }
    }

    /// Copies the last export's ticket note (with its head hash) to the clipboard.
    pub fn copy_ticket_note(&self, note: String) {
        let inner = self.inner.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = clipboard::copy_text(&note).await {
                inner.dispatch(SessionAction::Notify(format!(
                    "The ticket note could not be copied ({e}); select it and copy it by hand."
                )));
            }
        });
    }

    /// Every session this browser holds, newest first.
    pub async fn stored_sessions(&self) -> Result<Vec<SessionSummary>, String> {
        match &self.db {
            Some(Ok(db)) => db.sessions().await.map_err(|e| e.to_string()),
            Some(Err(e)) => Err(format!("this browser's storage is unavailable: {e}")),
            None => Err("storage is still opening".to_owned()),
        }
    }

    pub fn check_item(&self, step: StepId, item: ItemId) {
        self.apply(Action::CheckItem { step, item });
    }

    pub fn uncheck_item(&self, step: StepId, item: ItemId) {
        self.apply(Action::UncheckItem { step, item });
    }

    pub fn enter_step(&self, step: StepId) {
        self.apply(Action::EnterStep(step));
    }

    pub fn set_input(&self, input: String, value: String) {
        self.apply(Action::SetInput { input, value });
    }

    pub fn skip_item(&self, step: StepId, item: ItemId, reason: String) {
        self.apply(Action::SkipItem { step, item, reason });
    }

    pub fn set_evidence(&self, step: StepId, item: ItemId, value: String) {
        self.apply(Action::SetEvidence { step, item, value });
    }

    pub fn add_note(&self, step: Option<StepId>, text: String) {
        self.apply(Action::AddNote { step, text });
    }

    pub fn decide(&self, step: StepId, option: String) {
        self.apply(Action::Decide { step, option });
    }

    pub fn complete(&self, outcome: String, summary: String) {
        self.apply(Action::Complete { outcome, summary });
    }

    pub fn abandon(&self, reason: String) {
        self.apply(Action::Abandon { reason });
    }

    /// Records the Priority the matrix gives `impact` x `urgency`; a change needs `reason`.
    pub fn set_priority(
        &self,
        matrix: &LoadedMatrix,
        impact: String,
        urgency: String,
        reason: Option<String>,
    ) {
        let Some(priority) = matrix
            .matrix
            .priority(&impact, &urgency)
            .map(|p| p.id.clone())
        else {
            self.inner.dispatch(SessionAction::Notify(format!(
                "the matrix has no Priority for {impact} x {urgency}"
            )));
            return;
        };
        self.apply(Action::SetPriority {
            impact,
            urgency,
            priority,
            matrix: matrix.sha256,
            reason,
        });
    }

    pub fn pause_sla(&self, reason: String) {
        self.apply(Action::PauseSla { reason });
    }

    pub fn resume_sla(&self) {
        self.apply(Action::ResumeSla);
    }

    pub fn mark_responded(&self) {
        self.apply(Action::MarkResponded);
    }

    pub fn record_breach(&self, target: &str) {
        self.apply(Action::RecordBreach {
            target: target.to_owned(),
        });
    }

    /// The drill scenario the session's header names, when this app has it.
    pub fn scenario(&self) -> Option<Rc<LoadedScenario>> {
        self.inner.scenario()
    }

    /// Ends the briefing: the drill clock starts, then the scenario's presets are recorded
    /// (its inputs, and its Impact and Urgency when it fixes them).
    pub fn begin_drill(&self) {
        self.apply(Action::StartDrill);
        let Some(scenario) = self.scenario() else {
            return;
        };
        for (input, value) in &scenario.scenario.inputs {
            self.apply(Action::SetInput {
                input: input.clone(),
                value: value.clone(),
            });
        }
        if let (Some(impact), Some(urgency), Some(matrix)) = (
            scenario.scenario.impact.clone(),
            scenario.scenario.urgency.clone(),
            self.matrix(),
        ) {
            self.set_priority(&matrix, impact, urgency, None);
        }
    }

    pub fn pause_drill(&self) {
        self.apply(Action::PauseDrill);
    }

    pub fn resume_drill(&self) {
        self.apply(Action::ResumeDrill);
    }

    pub fn deliver_inject(&self, inject: &str, by: Delivery) {
        self.apply(Action::DeliverInject {
            inject: inject.to_owned(),
            by,
        });
    }

    pub fn acknowledge_inject(&self, inject: &str) {
        self.apply(Action::AcknowledgeInject {
            inject: inject.to_owned(),
        });
    }

    pub fn dismiss_notice(&self) {
        self.inner.dispatch(SessionAction::DismissNotice);
    }

    fn apply(&self, action: Action) {
        self.inner.dispatch(SessionAction::Apply {
            action,
            at: clock::now(),
            actor: self.identity(),
        });
    }
}

const IDENTITY_KEY: &str = "identity";

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct SessionProviderProps {
    pub children: Html,
}

/// Publishes the session; opens storage once, and appends every new record in an effect.
#[component]
pub fn SessionProvider(props: &SessionProviderProps) -> Html {
    let inner = use_reducer(SessionState::default);
    let db = use_state(|| None::<Result<Db, String>>);
    let identity = use_state(|| None::<Actor>);
    let lock = use_mut_ref(|| None::<LockGuard>);
    let key = use_state(|| None::<Result<Rc<dyn keys::Signer>, String>>);
    let exported = use_state(|| None::<Rc<Exported>>);
    {
        let (db, identity, inner, key) = (db.clone(), identity.clone(), inner.clone(), key.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match Db::open().await {
                    Ok(opened) => {
                        if let Ok(saved) = opened.setting(IDENTITY_KEY).await {
                            let actor: Option<Actor> =
                                saved.and_then(|text| serde_json::from_str(&text).ok());
                            crate::platform::storage::mirror_identity(
                                actor.as_ref().map(|a| a.name.as_str()),
                            );
                            identity.set(actor);
                        }
                        let loaded = keys::load_or_create(Some(&opened)).await;
                        key.set(Some(loaded));
                        db.set(Some(Ok(opened)));
                        if let Err(e) = request_persistence().await {
                            gloo::console::warn!(format!(
                                "persistent storage was not granted: {e}"
                            ));
                        }
                    }
                    Err(e) => {
                        inner.dispatch(SessionAction::StorageFailed(e.to_string()));
                        // A key for this tab only: its exports verify, but it is gone on reload.
                        let loaded = keys::load_or_create(None).await;
                        key.set(Some(loaded));
                        db.set(Some(Err(e.to_string())));
                    }
                }
            });
        });
    }
    {
        let inner = inner.clone();
        let ready = matches!(&*db, Some(Ok(_)));
        let store = (*db).clone();
        use_effect_with((inner.revision, ready), move |_| {
            if let Some(Ok(db)) = store {
                persist_new_lines(db, inner);
            }
        });
    }
    {
        // One writer per session: take its lock whenever another session becomes current.
        let (inner, lock) = (inner.clone(), lock.clone());
        let current = inner.session().map(|s| s.header().session.to_string());
        use_effect_with(current, move |current| {
            lock.borrow_mut().take();
            if let Some(id) = current.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    let (acquired, guard) =
                        acquire(&lock_name(&id), false, lost_lock(inner.clone(), id.clone())).await;
                    *lock.borrow_mut() = guard;
                    inner.dispatch(SessionAction::WriterChanged {
                        id,
                        writer: writer_of(acquired),
                    });
                });
            }
        });
    }
    let context = SessionHandle {
        inner,
        db: (*db).clone(),
        identity,
        lock,
        key,
        exported,
    };
    html! {
        <ContextProvider<SessionHandle> {context}>
            { props.children.clone() }
        </ContextProvider<SessionHandle>>
    }
}

/// Appends the lines storage has not confirmed yet, then reports how far it got.
fn persist_new_lines(db: Db, inner: UseReducerHandle<SessionState>) {
    let Some(session) = inner.session() else {
        return;
    };
    let Some(runbook) = inner.runbook().cloned() else {
        return;
    };
    let matrix = inner.matrix();
    let scenario = inner.scenario();
    let from = inner.persisted;
    let lines = session.lines();
    if from >= lines.len() || inner.storage_error.is_some() || !inner.writer.may_write() {
        return;
    }
    let pending: Vec<String> = lines[from..].to_vec();
    let total = lines.len();
    let summary = summary_of(&session, &runbook);
    drop(session);
    wasm_bindgen_futures::spawn_local(async move {
        let outcome = async {
            if from == 0 {
                db.keep_source(&summary.sha256, &runbook.source).await?;
                if let Some(matrix) = &matrix {
                    db.keep_source(&matrix.sha256.to_hex(), &matrix.source)
                        .await?;
                }
                if let Some(scenario) = &scenario {
                    db.keep_source(&scenario.sha256.to_hex(), &scenario.source)
                        .await?;
                }
            }
            db.append(&summary, from, &pending).await
        }
        .await;
        inner.dispatch(match outcome {
            Ok(()) => SessionAction::Persisted {
                id: summary.id,
                lines: total,
            },
            Err(e) => SessionAction::StorageFailed(e.to_string()),
        });
    });
}

fn lock_name(session: &str) -> String {
    format!("stepwise-session-{session}")
}

fn writer_of(acquired: Acquired) -> Writer {
    match acquired {
        Acquired::Held => Writer::Writing,
        Acquired::Busy => Writer::ReadOnly,
        Acquired::Unsupported(why) => Writer::Unguarded(why),
    }
}

/// What happens when another tab takes the session over: this one turns read-only.
fn lost_lock(inner: UseReducerHandle<SessionState>, id: String) -> impl Fn() + 'static {
    move || {
        inner.dispatch(SessionAction::WriterChanged {
            id: id.clone(),
            writer: Writer::ReadOnly,
        })
    }
}

fn summary_of(session: &Session, runbook: &LoadedRunbook) -> SessionSummary {
    let state = session.state();
    let progress = state.progress(session.runbook());
    SessionSummary {
        id: state.session.to_string(),
        runbook_id: runbook.runbook.id.to_string(),
        title: runbook.runbook.title.clone(),
        version: runbook.runbook.version.clone(),
        file: runbook.file.to_string(),
        sha256: runbook.sha256.to_hex(),
        local: runbook.local,
        started: state.started.to_string(),
        updated: state.last_activity.to_string(),
        status: match state.status {
            Status::InProgress => "in progress",
            Status::Completed { .. } => "completed",
            Status::Abandoned { .. } => "abandoned",
        }
        .to_owned(),
        records: session.lines().len(),
        done: progress.done,
        total: progress.total,
        drill: session.header().scenario.as_ref().map(|s| s.id.clone()),
    }
}

#[hook]
pub fn use_session() -> Option<SessionHandle> {
    use_context::<SessionHandle>()
}
