//! Fuzz target: the OpenSSH formats an auditor's files arrive in. The input as an
//! `ssh-ed25519 AAAA…` key line, as an `allowed_signers` file, and as an armored SSHSIG
//! (checked against a real key and message) must give an answer, never a panic. Run with
//! `cargo +nightly fuzz run keys`; crates/core/tests/fuzz_corpus.rs replays the corpus.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stepwise_core::evidence::{sshsig, AllowedSigners, PublicKey, SeedKey};
use stepwise_core::Timestamp;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(key) = PublicKey::from_openssh(&text) {
        // A key that parses prints back to a line that parses to the same key.
        assert_eq!(PublicKey::from_openssh(&key.to_openssh("c")), Ok(key));
    }
    if let Ok(signers) = AllowedSigners::parse(&text) {
        let key = SeedKey::from_seed([3; 32]).public_key();
        let at = Timestamp::from_unix_millis(1_800_000_000_000).expect("in range");
        let _ = signers.principals_for(&key, sshsig::NAMESPACE, at);
    }
    let key = SeedKey::from_seed([3; 32]);
    let _ = sshsig::verify(&key.public_key(), b"log\n", &text);
});
