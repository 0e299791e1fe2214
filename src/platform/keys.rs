//! The technician's signing key: one Ed25519 key per browser profile, kept in IndexedDB.
//!
//! Where the browser offers Ed25519 in WebCrypto (a secure context: HTTPS or localhost), the
//! key is a non-extractable `CryptoKey`: the page can ask it to sign but can never read it, and
//! IndexedDB stores the browser's own object. Elsewhere (plain HTTP on an intranet, older
//! browsers) it is an ed25519-dalek key from a `crypto.getRandomValues` seed, stored as bytes.
//! Both are a [`Signer`]; the domain sees only a public key and signatures.

use std::fmt;
use std::rc::Rc;

use futures::future::LocalBoxFuture;
use js_sys::{Object, Reflect, Uint8Array};
use stepwise_core::evidence::{PublicKey, SeedKey};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, CryptoKeyPair, SubtleCrypto};

use super::random;
use super::storage::Db;

const KEY_SETTING: &str = "signing-key";
const ED25519: &str = "Ed25519";

/// What signs an export. The session code holds a `Rc<dyn Signer>` and never knows which
/// kind it has: it hands over the bytes `Unsigned` names and gets 64-byte signatures back.
pub trait Signer {
    fn public_key(&self) -> PublicKey;

    /// Where the private key lives, in words for the identity page.
    fn kind(&self) -> &'static str;

    /// An Ed25519 signature over `message`. Asynchronous because WebCrypto's is.
    fn sign<'a>(&'a self, message: &'a [u8]) -> LocalBoxFuture<'a, Result<[u8; 64], String>>;
}

/// A non-extractable WebCrypto key: the page can ask it to sign but never read it.
struct WebCryptoKey {
    private: CryptoKey,
    public: PublicKey,
}

impl Signer for WebCryptoKey {
    fn public_key(&self) -> PublicKey {
        self.public
    }

    fn kind(&self) -> &'static str {
        "a non-extractable WebCrypto key: this page can use it but never read it"
    }

    fn sign<'a>(&'a self, message: &'a [u8]) -> LocalBoxFuture<'a, Result<[u8; 64], String>> {
        Box::pin(async move {
            let promise = subtle()?
                .sign_with_str_and_u8_array(ED25519, &self.private, message)
                .map_err(describe)?;
            let buffer = JsFuture::from(promise).await.map_err(describe)?;
            let bytes = Uint8Array::new(&buffer).to_vec();
            bytes
                .try_into()
                .map_err(|_| "WebCrypto returned a signature that is not 64 bytes".to_owned())
        })
    }
}

/// The fallback: an ed25519-dalek key from a `crypto.getRandomValues` seed.
impl Signer for SeedKey {
    fn public_key(&self) -> PublicKey {
        SeedKey::public_key(self)
    }

    fn kind(&self) -> &'static str {
        "a software key in this browser's storage (WebCrypto Ed25519 needs HTTPS or localhost)"
    }

    fn sign<'a>(&'a self, message: &'a [u8]) -> LocalBoxFuture<'a, Result<[u8; 64], String>> {
        let signature = SeedKey::sign(self, message);
        Box::pin(async move { Ok(signature) })
    }
}

/// Two signers are the same when their public keys are: that is all a page can compare.
impl PartialEq for dyn Signer {
    fn eq(&self, other: &Self) -> bool {
        self.public_key() == other.public_key()
    }
}

/// The key id only: a signer's `Debug` never prints key material.
impl fmt::Debug for dyn Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signer({})", self.public_key().key_id())
    }
}

/// This profile's key: the stored one, or a new one stored now.
pub async fn load_or_create(db: Option<&Db>) -> Result<Rc<dyn Signer>, String> {
    if let Some(db) = db {
        let stored = db
            .setting_value(KEY_SETTING)
            .await
            .map_err(|e| e.to_string())?;
        if let Some(key) = decode(&stored).await? {
            return Ok(key);
        }
    }
    let (key, value) = match generate_webcrypto().await {
        Ok(made) => made,
        Err(why) => {
            gloo::console::info!(format!(
                "WebCrypto Ed25519 unavailable ({why}); using a software key"
            ));
            let seed = SeedKey::from_seed(random::bytes::<32>()?);
            let value = Object::new();
            set(&value, "kind", &"seed".into())?;
            set(&value, "seed", &Uint8Array::from(&seed.seed()[..]).into())?;
            (Rc::new(seed) as Rc<dyn Signer>, value.into())
        }
    };
    if let Some(db) = db {
        db.set_setting_value(KEY_SETTING, &value)
            .await
            .map_err(|e| format!("the signing key could not be stored: {e}"))?;
    }
    Ok(key)
}

async fn generate_webcrypto() -> Result<(Rc<dyn Signer>, JsValue), String> {
    let usages = js_sys::Array::of2(&"sign".into(), &"verify".into());
    let promise = subtle()?
        .generate_key_with_str(ED25519, false, &usages)
        .map_err(describe)?;
    let pair: CryptoKeyPair = JsFuture::from(promise)
        .await
        .map_err(describe)?
        .unchecked_into();
    let private = pair.get_private_key();
    let public = public_of(&pair.get_public_key()).await?;
    let value = Object::new();
    set(&value, "kind", &"webcrypto".into())?;
    set(&value, "private", &private)?;
    set(
        &value,
        "public",
        &Uint8Array::from(&public.as_bytes()[..]).into(),
    )?;
    Ok((Rc::new(WebCryptoKey { private, public }), value.into()))
}

async fn public_of(key: &CryptoKey) -> Result<PublicKey, String> {
    let promise = subtle()?.export_key("raw", key).map_err(describe)?;
    let raw = JsFuture::from(promise).await.map_err(describe)?;
    raw_key(&Uint8Array::new(&raw).to_vec())
}

async fn decode(stored: &JsValue) -> Result<Option<Rc<dyn Signer>>, String> {
    if stored.is_undefined() || stored.is_null() {
        return Ok(None);
    }
    let field = |name: &str| Reflect::get(stored, &name.into()).map_err(describe);
    let kind = field("kind")?.as_string().unwrap_or_default();
    match kind.as_str() {
        "webcrypto" => {
            let private: CryptoKey = field("private")?
                .dyn_into()
                .map_err(|_| "the stored signing key is not a CryptoKey".to_owned())?;
            let public = raw_key(&Uint8Array::new(&field("public")?).to_vec())?;
            Ok(Some(Rc::new(WebCryptoKey { private, public })))
        }
        "seed" => {
            let seed: [u8; 32] = Uint8Array::new(&field("seed")?)
                .to_vec()
                .try_into()
                .map_err(|_| "the stored signing key is damaged".to_owned())?;
            Ok(Some(Rc::new(SeedKey::from_seed(seed))))
        }
        other => Err(format!(
            "the stored signing key has an unknown kind `{other}`"
        )),
    }
}

fn raw_key(bytes: &[u8]) -> Result<PublicKey, String> {
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|_| "a public key that is not 32 bytes".to_owned())?;
    PublicKey::from_bytes(bytes).map_err(|e| e.to_string())
}

fn subtle() -> Result<SubtleCrypto, String> {
    let crypto = gloo::utils::window()
        .crypto()
        .map_err(|_| "this browser offers no WebCrypto".to_owned())?;
    Ok(crypto.subtle())
}

fn set(object: &Object, name: &str, value: &JsValue) -> Result<(), String> {
    Reflect::set(object, &name.into(), value)
        .map(|_| ())
        .map_err(describe)
}

fn describe(error: JsValue) -> String {
    Reflect::get(&error, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}
