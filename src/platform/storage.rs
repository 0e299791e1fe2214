//! IndexedDB persistence: one record appended per action, and everything needed to resume.
//!
//! Stores: `records` (key `[session id, seq]`, value the record's exact JSON line),
//! `sessions` (key session id, value a small JSON summary for the sessions page), `sources`
//! (key SHA-256, value the runbook's source text, written once, so a session replays against
//! the exact bytes it started from even after the library changes) and `settings` (the
//! technician's identity and signing key). Appending writes one record and one summary in one transaction and
//! waits for it to commit: O(1) per action, never a rewrite of the session.

use std::fmt;

use js_sys::{Array, Promise};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    IdbDatabase, IdbKeyRange, IdbObjectStore, IdbOpenDbRequest, IdbRequest, IdbTransaction,
    IdbTransactionMode,
};

use stepwise_view::hand_over::DB_NAME;
const DB_VERSION: u32 = 1;
const RECORDS: &str = "records";
const SESSIONS: &str = "sessions";
const SOURCES: &str = "sources";
const SETTINGS: &str = "settings";

/// What the sessions page lists; rewritten with each append (it is a few hundred bytes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub id: String,
    pub runbook_id: String,
    pub title: String,
    pub version: String,
    pub file: String,
    pub sha256: String,
    /// `true` when the runbook was opened from a file rather than the library.
    pub local: bool,
    pub started: String,
    pub updated: String,
    /// `in progress`, `completed` or `abandoned`.
    pub status: String,
    pub records: usize,
    pub done: usize,
    pub total: usize,
    /// The drill scenario's id when the session is a drill (older summaries have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drill: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StorageError {
    /// No IndexedDB at all (some private modes, old browsers, disabled storage).
    Unavailable(String),
    /// The browser refused to store more.
    Quota,
    Failed(String),
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageError::Unavailable(why) => {
                write!(f, "this browser's storage is unavailable ({why})")
            }
            StorageError::Quota => f.write_str("the browser's storage is full"),
            StorageError::Failed(why) => write!(f, "saving failed ({why})"),
        }
    }
}

/// An open database.
#[derive(Clone)]
pub struct Db(IdbDatabase);

impl PartialEq for Db {
    fn eq(&self, _: &Self) -> bool {
        // One database per app; two handles to it are the same store.
        true
    }
}

impl Db {
    /// Opens (and on first use creates) the database.
    pub async fn open() -> Result<Db, StorageError> {
        let factory = gloo::utils::window()
            .indexed_db()
            .map_err(|e| StorageError::Unavailable(describe(&e)))?
            .ok_or_else(|| StorageError::Unavailable("no IndexedDB".into()))?;
        let request: IdbOpenDbRequest = factory
            .open_with_u32(DB_NAME, DB_VERSION)
            .map_err(|e| StorageError::Unavailable(describe(&e)))?;
        let upgrade = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new({
            let request = request.clone();
            move |_| {
                if let Ok(db) = request.result().and_then(|r| r.dyn_into::<IdbDatabase>()) {
                    for store in [RECORDS, SESSIONS, SOURCES, SETTINGS] {
                        if !db.object_store_names().contains(store) {
                            // A failure here aborts the upgrade, which `wait` reports.
                            let _ = db.create_object_store(store);
                        }
                    }
                }
            }
        });
        request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
        let result = wait(&request).await;
        request.set_onupgradeneeded(None);
        drop(upgrade);
        let db = result
            .map_err(|e| StorageError::Unavailable(e.to_string()))?
            .dyn_into::<IdbDatabase>()
            .map_err(|_| StorageError::Unavailable("not a database".into()))?;
        Ok(Db(db))
    }

    /// Appends record lines `first_seq..` of a session and its new summary, in one
    /// transaction, returning once the browser has committed it.
    pub async fn append(
        &self,
        summary: &SessionSummary,
        first_seq: usize,
        lines: &[String],
    ) -> Result<(), StorageError> {
        let tx = self.transaction(&[RECORDS, SESSIONS], IdbTransactionMode::Readwrite)?;
        let records = store(&tx, RECORDS)?;
        for (offset, line) in lines.iter().enumerate() {
            let key = record_key(&summary.id, (first_seq + offset) as f64);
            records
                .put_with_key(&JsValue::from_str(line), &key)
                .map_err(|e| classify(&e))?;
        }
        put_json(&store(&tx, SESSIONS)?, &summary.id, summary)?;
        commit(&tx).await
    }

    /// Keeps a source (a runbook's or a priority matrix's) once, under its SHA-256.
    pub async fn keep_source(&self, sha256: &str, source: &str) -> Result<(), StorageError> {
        self.put_text(SOURCES, sha256, source).await
    }

    pub async fn source(&self, sha256: &str) -> Result<Option<String>, StorageError> {
        self.get_text(SOURCES, sha256).await
    }

    pub async fn sessions(&self) -> Result<Vec<SessionSummary>, StorageError> {
        let tx = self.transaction(&[SESSIONS], IdbTransactionMode::Readonly)?;
        let request = store(&tx, SESSIONS)?.get_all().map_err(|e| classify(&e))?;
        let values: Array = wait(&request).await?.unchecked_into();
        // A summary we cannot read is skipped rather than hiding every other session.
        let mut list: Vec<SessionSummary> = values
            .iter()
            .filter_map(|v| v.as_string())
            .filter_map(|text| serde_json::from_str(&text).ok())
            .collect();
        list.sort_by(|a, b| b.updated.cmp(&a.updated));
        Ok(list)
    }

    pub async fn summary(&self, id: &str) -> Result<Option<SessionSummary>, StorageError> {
        let text = self.get_text(SESSIONS, id).await?;
        Ok(text.and_then(|text| serde_json::from_str(&text).ok()))
    }

    /// Every stored line of a session, in seq order.
    pub async fn lines(&self, id: &str) -> Result<Vec<String>, StorageError> {
        let tx = self.transaction(&[RECORDS], IdbTransactionMode::Readonly)?;
        let range = IdbKeyRange::bound(&record_key(id, 0.0), &record_key(id, f64::MAX))
            .map_err(|e| classify(&e))?;
        let request = store(&tx, RECORDS)?
            .get_all_with_key(&range)
            .map_err(|e| classify(&e))?;
        let values: Array = wait(&request).await?.unchecked_into();
        Ok(values.iter().filter_map(|v| v.as_string()).collect())
    }

    pub async fn setting(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.get_text(SETTINGS, key).await
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.put_text(SETTINGS, key, value).await
    }

    /// A structured-clonable value in `settings` (the signing key: a non-extractable
    /// `CryptoKey` is stored as the browser's own object, never as bytes we could read).
    pub async fn set_setting_value(&self, key: &str, value: &JsValue) -> Result<(), StorageError> {
        self.put_value(SETTINGS, key, value).await
    }

    /// The value under `key` in `settings`; `undefined` when there is none.
    pub async fn setting_value(&self, key: &str) -> Result<JsValue, StorageError> {
        self.get_value(SETTINGS, key).await
    }

    async fn put_text(&self, name: &str, key: &str, value: &str) -> Result<(), StorageError> {
        self.put_value(name, key, &JsValue::from_str(value)).await
    }

    async fn get_text(&self, name: &str, key: &str) -> Result<Option<String>, StorageError> {
        Ok(self.get_value(name, key).await?.as_string())
    }

    /// One value under a string key, in its own committed transaction.
    async fn put_value(&self, name: &str, key: &str, value: &JsValue) -> Result<(), StorageError> {
        let tx = self.transaction(&[name], IdbTransactionMode::Readwrite)?;
        store(&tx, name)?
            .put_with_key(value, &JsValue::from_str(key))
            .map_err(|e| classify(&e))?;
        commit(&tx).await
    }

    async fn get_value(&self, name: &str, key: &str) -> Result<JsValue, StorageError> {
        let tx = self.transaction(&[name], IdbTransactionMode::Readonly)?;
        let request = store(&tx, name)?
            .get(&JsValue::from_str(key))
            .map_err(|e| classify(&e))?;
        wait(&request).await
    }

    fn transaction(
        &self,
        stores: &[&str],
        mode: IdbTransactionMode,
    ) -> Result<IdbTransaction, StorageError> {
        let names: Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
        self.0
            .transaction_with_str_sequence_and_mode(&names, mode)
            .map_err(|e| classify(&e))
    }
}

/// Asks the browser not to evict our storage under pressure. Browsers may say no; that is
/// reported, not hidden.
pub async fn request_persistence() -> Result<bool, String> {
    let storage = gloo::utils::window().navigator().storage();
    let promise = storage.persist().map_err(|e| describe(&e))?;
    let granted = JsFuture::from(promise).await.map_err(|e| describe(&e))?;
    Ok(granted.as_bool().unwrap_or(false))
}

fn store(tx: &IdbTransaction, name: &str) -> Result<IdbObjectStore, StorageError> {
    tx.object_store(name).map_err(|e| classify(&e))
}

fn put_json<T: Serialize>(
    store: &IdbObjectStore,
    key: &str,
    value: &T,
) -> Result<(), StorageError> {
    let text = serde_json::to_string(value).map_err(|e| StorageError::Failed(e.to_string()))?;
    store
        .put_with_key(&JsValue::from_str(&text), &JsValue::from_str(key))
        .map(|_| ())
        .map_err(|e| classify(&e))
}

fn record_key(session: &str, seq: f64) -> JsValue {
    Array::of2(&JsValue::from_str(session), &JsValue::from_f64(seq)).into()
}

/// Resolves with the request's result once it succeeds; the browser's error otherwise.
async fn wait(request: &IdbRequest) -> Result<JsValue, StorageError> {
    let promise = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    let outcome = JsFuture::from(promise).await;
    request.set_onsuccess(None);
    request.set_onerror(None);
    match outcome {
        Ok(_) => request.result().map_err(|e| classify(&e)),
        Err(_) => Err(request.error().ok().flatten().map_or_else(
            || StorageError::Failed("request failed".into()),
            |e| classify(&e.into()),
        )),
    }
}

/// Resolves once the transaction has committed; a quota failure surfaces here as an abort.
async fn commit(tx: &IdbTransaction) -> Result<(), StorageError> {
    let promise = Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
        tx.set_onabort(Some(&reject));
    });
    let outcome = JsFuture::from(promise).await;
    tx.set_oncomplete(None);
    tx.set_onerror(None);
    tx.set_onabort(None);
    match outcome {
        Ok(_) => Ok(()),
        Err(_) => Err(tx.error().map_or_else(
            || StorageError::Failed("the transaction was aborted".into()),
            |e| classify(&e.into()),
        )),
    }
}

fn classify(error: &JsValue) -> StorageError {
    let name = js_sys::Reflect::get(error, &JsValue::from_str("name"))
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    if name == "QuotaExceededError" {
        StorageError::Quota
    } else {
        StorageError::Failed(describe(error))
    }
}

fn describe(error: &JsValue) -> String {
    let name = js_sys::Reflect::get(error, &JsValue::from_str("name"))
        .ok()
        .and_then(|n| n.as_string());
    let message = js_sys::Reflect::get(error, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string());
    match (name, message) {
        (Some(name), Some(message)) if !message.is_empty() => format!("{name}: {message}"),
        (Some(name), _) => name,
        _ => error.as_string().unwrap_or_else(|| "unknown error".into()),
    }
}

/// Mirrors the technician's name (`None`: none set yet) into `localStorage`, where the
/// first-load module reads it for the top bar. Best effort: without it that module hands
/// over to this app, which reads the name from IndexedDB.
pub fn mirror_identity(name: Option<&str>) {
    let storage = gloo::utils::window().local_storage().ok().flatten();
    if let Some(storage) = storage {
        let _ = storage.set_item(
            stepwise_view::hand_over::IDENTITY_NAME_KEY,
            name.unwrap_or_default(),
        );
    }
}
