//! Export: the session's exact lines plus a seal, signed twice (DSSE and SSHSIG) by one key.
//!
//! Signing is the adapter's (WebCrypto's `sign` is asynchronous, and the key may never leave
//! it), so an export is two-phase: [`Unsigned::prepare`] fixes the bytes and says what to
//! sign, [`Unsigned::finish`] takes the signatures, checks them, and builds the files.

use thiserror::Error;

use super::dsse::{pae, Envelope, PAYLOAD_TYPE};
use super::keys::PublicKey;
use super::sshsig;
use crate::digest::Digest;
use crate::session::{Action, Actor, Body, Record, Seq, Session};
use crate::time::Timestamp;

/// The bytes of an export, waiting for their two signatures.
#[derive(Debug, Clone)]
pub struct Unsigned {
    payload: String,
    head: Digest,
    entries: u64,
    key: PublicKey,
}

/// The signed files of one export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The DSSE envelope (`*.stepwise.json`).
    pub envelope: String,
    /// The JSONL bytes themselves (`*.jsonl`), for `ssh-keygen -Y verify`.
    pub jsonl: String,
    /// The armored SSHSIG over `jsonl` (`*.jsonl.sig`).
    pub sshsig: String,
    /// SHA-256 of the seal line: the hash for the ticket.
    pub head: Digest,
    /// Records before the seal.
    pub entries: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ExportError {
    #[error("this session is held by key {holder}, not by this browser's key {key}")]
    NotHolder { holder: String, key: String },
    #[error("this session's header names no signing key, so it cannot be signed")]
    NoSigner,
    #[error("the signer returned a signature that does not verify")]
    BadSignature,
}

impl Unsigned {
    /// Seals `session` as of now, to be signed by `key`, which must hold the session.
    pub fn prepare(
        session: &Session,
        key: &PublicKey,
        at: Timestamp,
        actor: Option<Actor>,
    ) -> Result<Unsigned, ExportError> {
        let holder = session
            .state()
            .signer
            .clone()
            .ok_or(ExportError::NoSigner)?;
        let id = key.key_id().to_string();
        if holder != id {
            return Err(ExportError::NotHolder { holder, key: id });
        }
        let entries = session.lines().len() as u64;
        let seal = Record {
            seq: Seq(entries),
            body: Body::Seal {
                entries,
                key: key.to_openssh(""),
            },
            ts: at,
            actor,
            prev: session.head(),
        };
        let seal_line = crate::session::serialize(&seal);
        let mut payload = session.to_jsonl();
        payload.push_str(&seal_line);
        payload.push('\n');
        Ok(Unsigned {
            payload,
            head: Digest::of(seal_line.as_bytes()),
            entries,
            key: *key,
        })
    }

    /// What the key signs for the DSSE envelope: the pre-authentication encoding.
    pub fn dsse_message(&self) -> Vec<u8> {
        pae(PAYLOAD_TYPE, self.payload.as_bytes())
    }

    /// What the key signs for the SSHSIG file.
    pub fn sshsig_message(&self) -> Vec<u8> {
        sshsig::signed_data(self.payload.as_bytes())
    }

    pub fn head(&self) -> Digest {
        self.head
    }

    /// Builds the files from the two signatures, refusing any that does not verify: a
    /// broken signer must not produce evidence that fails only in the auditor's hands.
    pub fn finish(self, dsse_sig: [u8; 64], sshsig_sig: [u8; 64]) -> Result<Export, ExportError> {
        if !self.key.verify(&self.dsse_message(), &dsse_sig)
            || !self.key.verify(&self.sshsig_message(), &sshsig_sig)
        {
            return Err(ExportError::BadSignature);
        }
        let keyid = self.key.key_id().to_string();
        Ok(Export {
            envelope: Envelope::new(self.payload.as_bytes(), &keyid, &dsse_sig).to_json(),
            sshsig: sshsig::armor(&self.key, &sshsig_sig),
            jsonl: self.payload,
            head: self.head,
            entries: self.entries,
        })
    }
}

impl Export {
    /// The `exported` record the live chain takes once the files are saved.
    pub fn mark(&self) -> Action {
        Action::MarkExported {
            head: self.head,
            entries: self.entries,
        }
    }
}
