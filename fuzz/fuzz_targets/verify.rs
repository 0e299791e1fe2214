//! Fuzz target: evidence verification must never panic, whatever the bytes. The input is
//! tried as a DSSE envelope, as a JSONL log under the golden SSHSIG, as an armored SSHSIG over
//! the golden log, and as an `allowed_signers` file. Run with `cargo +nightly fuzz run verify`
//! (or `RUSTC_BOOTSTRAP=1 cargo fuzz run verify` on stable); the corpus is replayed on stable
//! by crates/core/tests/fuzz_corpus.rs in every CI run.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stepwise_core::evidence::{verify_envelope, verify_sshsig, AllowedSigners};

const TRUST: &str = include_str!("../../tests/fixtures/evidence/allowed_signers");
const GOLDEN_JSONL: &[u8] = include_bytes!("../../tests/fixtures/evidence/golden.jsonl");
const GOLDEN_SIG: &str = include_str!("../../tests/fixtures/evidence/golden.jsonl.sig");

fuzz_target!(|data: &[u8]| {
    let trust = AllowedSigners::parse(TRUST).expect("the committed allowed_signers parses");
    // A verified log can only come from the golden bytes; anything else must be an error.
    if let Ok(log) = verify_envelope(data, &trust, Some(data)) {
        assert!(log.entries() > 0);
    }
    if verify_sshsig(data, GOLDEN_SIG, &trust, None).is_ok() {
        assert_eq!(data, GOLDEN_JSONL);
    }
    let text = String::from_utf8_lossy(data);
    let _ = verify_sshsig(GOLDEN_JSONL, &text, &trust, None);
    if let Ok(signers) = AllowedSigners::parse(&text) {
        let _ = verify_sshsig(GOLDEN_JSONL, GOLDEN_SIG, &signers, None);
    }
});
