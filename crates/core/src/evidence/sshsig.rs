//! SSHSIG: the `ssh-keygen -Y sign` format, so auditors can check a log with OpenSSH alone.
//!
//! The signer signs [`signed_data`] (it commits to the namespace and the SHA-512 of the
//! message); [`armor`] wraps key and signature in the `-----BEGIN SSH SIGNATURE-----` block
//! that `ssh-keygen -Y verify` reads.

use ssh_key::{Algorithm, HashAlg, LineEnding, Signature, SshSig};

use super::keys::PublicKey;

/// The namespace every Stepwise log signature is made in.
pub const NAMESPACE: &str = "stepwise-log";

/// The bytes an Ed25519 key signs to make an SSHSIG over `message`.
pub fn signed_data(message: &[u8]) -> Vec<u8> {
    SshSig::signed_data(NAMESPACE, HashAlg::Sha512, message)
        .expect("the namespace is a constant, non-empty string")
}

/// The armored signature file (`*.jsonl.sig`) for a signature over [`signed_data`].
pub fn armor(key: &PublicKey, signature: &[u8; 64]) -> String {
    let signature = Signature::new(Algorithm::Ed25519, signature.to_vec())
        .expect("64 bytes is an Ed25519 signature's length");
    SshSig::new(key.key_data(), NAMESPACE, HashAlg::Sha512, signature)
        .and_then(|sig| sig.to_pem(LineEnding::LF))
        .expect("an Ed25519 SSHSIG always encodes")
}

/// Whether `armored` is a valid SSHSIG by `key` over `message` in our namespace.
pub fn verify(key: &PublicKey, message: &[u8], armored: &str) -> Result<(), String> {
    let sig = SshSig::from_pem(armored).map_err(|e| format!("not an SSH signature: {e}"))?;
    if sig.namespace() != NAMESPACE {
        return Err(format!(
            "the signature's namespace is `{}`, not `{NAMESPACE}`",
            sig.namespace()
        ));
    }
    if sig.public_key() != &key.key_data() {
        return Err("the signature is by another key".to_owned());
    }
    ssh_key::PublicKey::from(key.key_data())
        .verify(NAMESPACE, message, &sig)
        .map_err(|_| "the signature does not verify".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::SeedKey;

    #[test]
    fn armored_signature_round_trips_and_binds_the_message() {
        let key = SeedKey::from_seed([3; 32]);
        let armored = armor(&key.public_key(), &key.sign(&signed_data(b"log\n")));
        assert!(armored.starts_with("-----BEGIN SSH SIGNATURE-----\n"));
        assert_eq!(verify(&key.public_key(), b"log\n", &armored), Ok(()));
        assert!(verify(&key.public_key(), b"log!\n", &armored).is_err());
        let other = SeedKey::from_seed([4; 32]).public_key();
        assert!(verify(&other, b"log\n", &armored).is_err());
        assert!(verify(&key.public_key(), b"log\n", "garbage").is_err());
    }
}
