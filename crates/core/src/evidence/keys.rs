//! Ed25519 keys as OpenSSH spells them: the `ssh-ed25519 AAAA…` line and the `SHA256:` key id.
//!
//! The core holds public keys and verifies. It signs only with a seed handed in (the CLI's
//! tests, fixed-seed vectors, and the browser's fallback signer); where the key lives and how
//! it is drawn is the adapter's business.

use std::fmt;

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use ssh_key::public::{Ed25519PublicKey, KeyData};
use ssh_key::HashAlg;
use thiserror::Error;

/// An Ed25519 public key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey([u8; 32]);

/// A key id: the OpenSSH fingerprint `SHA256:<unpadded base64>` of the key's wire blob.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(String);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KeyError {
    #[error("not an OpenSSH public key: {0}")]
    Malformed(String),
    #[error("the key is `{0}`, not `ssh-ed25519`")]
    NotEd25519(String),
    #[error("the 32 bytes are not an Ed25519 public key")]
    NotOnCurve,
}

impl PublicKey {
    /// From the 32 raw bytes (what WebCrypto's `raw` export gives).
    pub fn from_bytes(bytes: [u8; 32]) -> Result<PublicKey, KeyError> {
        VerifyingKey::from_bytes(&bytes).map_err(|_| KeyError::NotOnCurve)?;
        Ok(PublicKey(bytes))
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Parses `ssh-ed25519 AAAA… [comment]`; the comment is ignored.
    pub fn from_openssh(line: &str) -> Result<PublicKey, KeyError> {
        let key = ssh_key::PublicKey::from_openssh(line.trim())
            .map_err(|e| KeyError::Malformed(e.to_string()))?;
        match key.key_data() {
            KeyData::Ed25519(Ed25519PublicKey(bytes)) => PublicKey::from_bytes(*bytes),
            other => Err(KeyError::NotEd25519(other.algorithm().to_string())),
        }
    }

    /// `ssh-ed25519 AAAA…` followed by ` comment` when one is given.
    pub fn to_openssh(&self, comment: &str) -> String {
        let key = ssh_key::PublicKey::new(self.key_data(), comment.trim());
        key.to_openssh()
            .expect("an Ed25519 key always encodes as an OpenSSH line")
    }

    /// The key id auditors compare: `SHA256:` and the unpadded base64 of the wire blob's hash.
    pub fn key_id(&self) -> KeyId {
        KeyId(self.key_data().fingerprint(HashAlg::Sha256).to_string())
    }

    /// Strict Ed25519 verification (RFC 8032, no malleable signatures).
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(signature) = Signature::from_slice(signature) else {
            return false;
        };
        VerifyingKey::from_bytes(&self.0)
            .map(|key| key.verify_strict(message, &signature).is_ok())
            .unwrap_or(false)
    }

    pub(crate) fn key_data(&self) -> KeyData {
        KeyData::Ed25519(Ed25519PublicKey(self.0))
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.key_id())
    }
}

impl KeyId {
    /// Accepts the spelling a log or envelope carries; it is compared, never decoded.
    pub fn new(text: impl Into<String>) -> KeyId {
        KeyId(text.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({})", self.0)
    }
}

/// An Ed25519 key from a 32-byte seed handed in by the caller. The core never draws one.
pub struct SeedKey(SigningKey);

impl SeedKey {
    pub fn from_seed(seed: [u8; 32]) -> SeedKey {
        SeedKey(SigningKey::from_bytes(&seed))
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.verifying_key().to_bytes())
    }

    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.0.sign(message).to_bytes()
    }

    /// The seed, for the adapter that stores it (the browser's fallback signer).
    pub fn seed(&self) -> [u8; 32] {
        self.0.to_bytes()
    }
}

impl fmt::Debug for SeedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SeedKey({})", self.public_key().key_id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openssh_line_and_key_id_round_trip() {
        let key = SeedKey::from_seed([7; 32]).public_key();
        let line = key.to_openssh("alice@example.org");
        assert!(
            line.starts_with("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"),
            "{line}"
        );
        assert!(line.ends_with(" alice@example.org"));
        assert_eq!(PublicKey::from_openssh(&line), Ok(key));
        let id = key.key_id();
        assert!(id.as_str().starts_with("SHA256:") && !id.as_str().ends_with('='));
        assert_eq!(id.as_str().len(), "SHA256:".len() + 43);
    }

    #[test]
    fn signatures_verify_only_for_their_message_and_key() {
        let signer = SeedKey::from_seed([1; 32]);
        let sig = signer.sign(b"hello");
        assert!(signer.public_key().verify(b"hello", &sig));
        assert!(!signer.public_key().verify(b"hellp", &sig));
        assert!(!SeedKey::from_seed([2; 32])
            .public_key()
            .verify(b"hello", &sig));
        assert!(!signer.public_key().verify(b"hello", &sig[..63]));
    }

    #[test]
    fn other_key_types_and_garbage_are_refused() {
        let rsa = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7 x";
        assert!(PublicKey::from_openssh(rsa).is_err());
        assert!(PublicKey::from_openssh("").is_err());
        assert!(PublicKey::from_openssh("ssh-ed25519 !!!").is_err());
    }
}
