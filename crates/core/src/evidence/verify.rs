//! Verification: the only way to a [`VerifiedLog`]. It fails closed, at the first check
//! that does not hold, naming the record and why (docs/evidence.md, "What a verifier checks").

use serde_json::Value;
use thiserror::Error;

use super::allowed_signers::{AllowedSigners, TrustError};
use super::dsse::{decode_base64, pae, Envelope, PAYLOAD_TYPE};
use super::keys::{KeyId, PublicKey};
use super::sshsig::{self, NAMESPACE};
use crate::digest::Digest;
use crate::session::{Body, Header, Mode, Record, LOG_FORMAT};
use crate::time::Timestamp;

/// The largest signed log (envelope, JSONL or hand-over file) accepted, in bytes: about
/// 250,000 records, far beyond a real session, and small enough that a browser copes.
pub const MAX_LOG_BYTES: usize = 64 * 1024 * 1024;

/// A log whose signature, trust, chain and seal all hold. Only this module builds one.
#[derive(Debug, Clone)]
pub struct VerifiedLog {
    lines: Vec<String>,
    records: Vec<Record>,
    key: PublicKey,
    principals: Vec<String>,
    head: Digest,
}

/// The first check that failed, and the record it failed at where there is one.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct VerifyError {
    pub seq: Option<u64>,
    pub kind: Failure,
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.seq {
            Some(seq) => write!(f, "record {seq}: {}", self.kind),
            None => write!(f, "{}", self.kind),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Failure {
    #[error("file is {size} bytes, over the limit of {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("not a DSSE envelope: {0}")]
    Envelope(String),
    #[error("payload type is `{0}`, not `{PAYLOAD_TYPE}`")]
    PayloadType(String),
    #[error("the payload is not a log: {0}")]
    Payload(&'static str),
    #[error("not a JSON record: {0}")]
    NotJson(String),
    #[error("seq is {found:?}, expected {expected}")]
    Seq { found: Option<u64>, expected: u64 },
    #[error("the chain is broken: `prev` is not the SHA-256 of the previous line")]
    Chain,
    #[error("not a record of log format {LOG_FORMAT}: {0}")]
    Record(String),
    #[error("the first record is not a header of log format {LOG_FORMAT}")]
    Header,
    #[error("the header's mode is drill but it names no scenario")]
    DrillWithoutScenario,
    #[error("the header's mode is live but it names a scenario")]
    LiveWithScenario,
    #[error("the header names no signer")]
    NoSigner,
    #[error("the log has no seal as its last record: it is truncated")]
    NoSeal,
    #[error("a seal before the end of the log")]
    EarlySeal,
    #[error("the seal says {named} entries, but {actual} records precede it")]
    SealEntries { named: u64, actual: u64 },
    #[error("the seal's key is not an Ed25519 key: {0}")]
    SealKey(String),
    #[error("key id disagreement: the seal's key is {seal}, but {what} names {named}")]
    KeyId {
        seal: String,
        what: &'static str,
        named: String,
    },
    #[error("the signature does not verify with the seal's key")]
    Signature,
    #[error("{0}")]
    Trust(TrustError),
    #[error("the runbook's SHA-256 is {actual}, but the header names {named}")]
    Runbook { named: Digest, actual: Digest },
}

fn within_limit(size: usize) -> Result<(), VerifyError> {
    if size > MAX_LOG_BYTES {
        return Err(fail(
            None,
            Failure::TooLarge {
                size,
                limit: MAX_LOG_BYTES,
            },
        ));
    }
    Ok(())
}

fn fail(seq: Option<u64>, kind: Failure) -> VerifyError {
    VerifyError { seq, kind }
}

impl VerifiedLog {
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    pub fn records(&self) -> &[Record] {
        &self.records
    }

    pub fn header(&self) -> &Header {
        match &self.records[0].body {
            Body::Header(header) => header,
            _ => unreachable!("verification established that record 0 is a header"),
        }
    }

    pub fn key_id(&self) -> KeyId {
        self.key.key_id()
    }

    /// The principals `allowed_signers` trusts with the key, one entry per matching line.
    pub fn principals(&self) -> &[String] {
        &self.principals
    }

    /// SHA-256 of the seal line: the head hash in the ticket.
    pub fn head(&self) -> Digest {
        self.head
    }

    /// Records before the seal.
    pub fn entries(&self) -> u64 {
        self.records.len() as u64 - 1
    }

    /// The seal's time: when the log was signed.
    pub fn sealed_at(&self) -> Timestamp {
        self.records[self.records.len() - 1].ts
    }
}

/// Verifies a DSSE envelope (`*.stepwise.json`): structure, chain, seal, key agreement,
/// signature, then trust at the seal's time, and with `runbook` its SHA-256.
///
/// ```
/// # use std::sync::Arc;
/// # use stepwise_core::evidence::{verify_envelope, AllowedSigners, SeedKey, Unsigned};
/// # use stepwise_core::runbook::{parse, SourceFormat};
/// # use stepwise_core::session::{AppInfo, Session, Start};
/// # use stepwise_core::{Digest, SessionId, Timestamp};
/// let src = b"id: x\ntitle: X\nversion: '1'\nkind: request\nsteps:\n  - id: a\n    title: A\n";
/// let runbook = Arc::new(parse("x.yaml", src, SourceFormat::Yaml)?);
/// let key = SeedKey::from_seed([1; 32]);
/// let start = Start {
///     session: SessionId::from_random_bytes([7; 16]),
///     app: AppInfo { name: "stepwise".into(), version: "0.1.0".into() },
///     runbook_sha256: Digest::of(src),
///     priority_matrix: None,
///     signer: Some(key.public_key().key_id().to_string()),
///     drill: None,
/// };
/// let t0 = Timestamp::parse("2026-06-01T09:00:00.000Z").ok_or("not a time")?;
/// let session = Session::start(runbook, start, t0, None);
/// let unsigned = Unsigned::prepare(&session, &key.public_key(), t0, None)?;
/// let (dsse, ssh) = (key.sign(&unsigned.dsse_message()), key.sign(&unsigned.sshsig_message()));
/// let export = unsigned.finish(dsse, ssh)?;
///
/// let trust = AllowedSigners::parse(&format!("alice@example.org {}", key.public_key().to_openssh("")))?;
/// let log = verify_envelope(export.envelope.as_bytes(), &trust, Some(src))?;
/// assert_eq!((log.entries(), log.head()), (1, export.head));
/// assert_eq!(log.principals(), ["alice@example.org"]);
/// // Nobody is trusted by an empty allowed_signers: verification fails closed.
/// assert!(verify_envelope(export.envelope.as_bytes(), &AllowedSigners::default(), None).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify_envelope(
    bytes: &[u8],
    trust: &AllowedSigners,
    runbook: Option<&[u8]>,
) -> Result<VerifiedLog, VerifyError> {
    within_limit(bytes.len())?;
    let envelope: Envelope =
        serde_json::from_slice(bytes).map_err(|e| fail(None, Failure::Envelope(e.to_string())))?;
    let [signature] = envelope.signatures.as_slice() else {
        let n = envelope.signatures.len();
        return Err(fail(
            None,
            Failure::Envelope(format!("{n} signatures, expected exactly one")),
        ));
    };
    if envelope.payload_type != PAYLOAD_TYPE {
        return Err(fail(None, Failure::PayloadType(envelope.payload_type)));
    }
    let payload = decode_base64(&envelope.payload)
        .ok_or_else(|| fail(None, Failure::Envelope("the payload is not base64".into())))?;
    let sig = decode_base64(&signature.sig)
        .filter(|s| s.len() == 64)
        .ok_or_else(|| {
            fail(
                None,
                Failure::Envelope("the signature is not 64 bytes of base64".into()),
            )
        })?;
    let log = Structure::check(&payload)?;
    let key = log.agreeing_key(Some(&signature.keyid))?;
    if !key.verify(&pae(PAYLOAD_TYPE, &payload), &sig) {
        return Err(fail(log.seal_seq(), Failure::Signature));
    }
    log.trusted(key, trust, runbook)
}

/// Verifies a `*.jsonl` file with its `*.jsonl.sig` (SSHSIG, namespace `stepwise-log`).
pub fn verify_sshsig(
    jsonl: &[u8],
    armored: &str,
    trust: &AllowedSigners,
    runbook: Option<&[u8]>,
) -> Result<VerifiedLog, VerifyError> {
    within_limit(jsonl.len())?;
    let log = Structure::check(jsonl)?;
    let key = log.agreeing_key(None)?;
    sshsig::verify(&key, jsonl, armored).map_err(|_| fail(log.seal_seq(), Failure::Signature))?;
    log.trusted(key, trust, runbook)
}

/// A payload whose lines, chain, header and seal hold; not yet its signature or trust.
struct Structure {
    lines: Vec<String>,
    records: Vec<Record>,
}

impl Structure {
    fn check(payload: &[u8]) -> Result<Structure, VerifyError> {
        let text =
            std::str::from_utf8(payload).map_err(|_| fail(None, Failure::Payload("not UTF-8")))?;
        let body = text.strip_suffix('\n').ok_or(fail(
            None,
            Failure::Payload("empty, or the last line has no newline"),
        ))?;
        let lines: Vec<String> = body.split('\n').map(str::to_owned).collect();
        // One parse per line when every line is a record (the usual case); otherwise the
        // failure is found in the order the checks are specified, at the first line that
        // breaks any of them (JSON, seq, chain, then record shape).
        let parsed: Result<Vec<Record>, usize> = lines
            .iter()
            .enumerate()
            .map(|(i, line)| serde_json::from_str::<Record>(line).map_err(|_| i))
            .collect();
        let records = match parsed {
            Ok(records) => {
                let mut prev = Digest::ZERO;
                for (i, (line, record)) in lines.iter().zip(&records).enumerate() {
                    let seq = i as u64;
                    if record.seq.0 != seq {
                        return Err(fail(
                            Some(seq),
                            Failure::Seq {
                                found: Some(record.seq.0),
                                expected: seq,
                            },
                        ));
                    }
                    if record.prev != prev {
                        return Err(fail(Some(seq), Failure::Chain));
                    }
                    prev = Digest::of(line.as_bytes());
                }
                records
            }
            Err(_) => return Err(first_failure(&lines)),
        };
        match &records[0].body {
            Body::Header(h) if h.format == LOG_FORMAT => match (h.mode, &h.scenario) {
                (Mode::Drill, None) => return Err(fail(Some(0), Failure::DrillWithoutScenario)),
                (Mode::Live, Some(_)) => return Err(fail(Some(0), Failure::LiveWithScenario)),
                _ => {}
            },
            _ => return Err(fail(Some(0), Failure::Header)),
        }
        let last = records.len() - 1;
        for record in &records[..last] {
            if let Body::Seal { .. } = record.body {
                return Err(fail(Some(record.seq.0), Failure::EarlySeal));
            }
        }
        match &records[last].body {
            Body::Seal { entries, .. } if *entries == last as u64 => {}
            Body::Seal { entries, .. } => {
                return Err(fail(
                    Some(last as u64),
                    Failure::SealEntries {
                        named: *entries,
                        actual: last as u64,
                    },
                ))
            }
            _ => return Err(fail(None, Failure::NoSeal)),
        }
        Ok(Structure { lines, records })
    }

    fn seal_seq(&self) -> Option<u64> {
        Some(self.records.len() as u64 - 1)
    }

    /// The seal's key, once it agrees with the holder of the session and the envelope.
    fn agreeing_key(&self, envelope_keyid: Option<&str>) -> Result<PublicKey, VerifyError> {
        let seal_seq = self.seal_seq();
        let Some(Record {
            body: Body::Seal { key, .. },
            ..
        }) = self.records.last()
        else {
            return Err(fail(None, Failure::NoSeal));
        };
        let key = PublicKey::from_openssh(key)
            .map_err(|e| fail(seal_seq, Failure::SealKey(e.to_string())))?;
        let id = key.key_id().to_string();
        let mut holder: (Option<&String>, &'static str) = (None, "the header");
        for record in &self.records {
            match &record.body {
                Body::Header(h) => holder = (h.signer.as_ref(), "the header"),
                Body::Handover { signer, .. } => holder = (signer.as_ref(), "the last handover"),
                _ => {}
            }
        }
        let (named, what) = holder;
        let Some(named) = named else {
            return Err(fail(Some(0), Failure::NoSigner));
        };
        if *named != id {
            return Err(fail(
                seal_seq,
                Failure::KeyId {
                    seal: id,
                    what,
                    named: named.clone(),
                },
            ));
        }
        if let Some(keyid) = envelope_keyid.filter(|k| *k != id) {
            return Err(fail(
                seal_seq,
                Failure::KeyId {
                    seal: id,
                    what: "the envelope",
                    named: keyid.to_owned(),
                },
            ));
        }
        Ok(key)
    }

    fn trusted(
        self,
        key: PublicKey,
        trust: &AllowedSigners,
        runbook: Option<&[u8]>,
    ) -> Result<VerifiedLog, VerifyError> {
        let seal = &self.records[self.records.len() - 1];
        // allowed_signers times have whole seconds, as ssh-keygen's -Overify-time does.
        let at = Timestamp::from_unix_millis(seal.ts.unix_millis().div_euclid(1000) * 1000)
            .unwrap_or(seal.ts);
        let principals = trust
            .principals_for(&key, NAMESPACE, at)
            .map_err(|e| fail(Some(seal.seq.0), Failure::Trust(e)))?;
        if let (Some(bytes), Body::Header(header)) = (runbook, &self.records[0].body) {
            let actual = Digest::of(bytes);
            if actual != header.runbook.sha256 {
                return Err(fail(
                    Some(0),
                    Failure::Runbook {
                        named: header.runbook.sha256,
                        actual,
                    },
                ));
            }
        }
        let head = Digest::of(self.lines[self.lines.len() - 1].as_bytes());
        Ok(VerifiedLog {
            lines: self.lines,
            records: self.records,
            key,
            principals,
            head,
        })
    }
}

/// The first failing check of a payload some line of which is not a record: JSON, seq and
/// chain line by line, then the record shapes.
fn first_failure(lines: &[String]) -> VerifyError {
    let mut prev = Digest::ZERO;
    for (i, line) in lines.iter().enumerate() {
        let seq = i as u64;
        let value: Value = match serde_json::from_str(line) {
            Ok(value) => value,
            Err(e) => return fail(Some(seq), Failure::NotJson(e.to_string())),
        };
        let Value::Object(object) = value else {
            return fail(Some(seq), Failure::NotJson("not an object".into()));
        };
        let found = object.get("seq").and_then(Value::as_u64);
        if found != Some(seq) {
            return fail(
                Some(seq),
                Failure::Seq {
                    found,
                    expected: seq,
                },
            );
        }
        if object.get("prev").and_then(Value::as_str) != Some(prev.to_hex().as_str()) {
            return fail(Some(seq), Failure::Chain);
        }
        prev = Digest::of(line.as_bytes());
    }
    for (i, line) in lines.iter().enumerate() {
        if let Err(e) = serde_json::from_str::<Record>(line) {
            return fail(Some(i as u64), Failure::Record(e.to_string()));
        }
    }
    fail(None, Failure::Payload("a line that is not a record"))
}
