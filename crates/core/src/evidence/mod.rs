//! Evidence: the signed, hash-chained completion log and what auditors do with it.
//!
//! The format is a contract with other people's tools; docs/evidence.md spells it out and
//! this module implements it: keys and key ids ([`keys`]), the DSSE envelope ([`dsse`]),
//! OpenSSH signatures ([`sshsig`]), trust ([`allowed_signers`]), export ([`export`]),
//! verification ([`verify`], the only way to a [`VerifiedLog`]) and the report ([`report`]).

pub mod allowed_signers;
pub mod dsse;
pub mod export;
pub mod keys;
pub mod report;
pub mod sshsig;
pub mod verify;

pub use allowed_signers::{AllowedSigners, TrustError};
pub use dsse::{pae, Envelope, PAYLOAD_TYPE};
pub use export::{Export, ExportError, Unsigned};
pub use keys::{KeyError, KeyId, PublicKey, SeedKey};
pub use report::{Report, Signer};
pub use sshsig::NAMESPACE;
pub use verify::{
    verify_envelope, verify_sshsig, Failure, VerifiedLog, VerifyError, MAX_LOG_BYTES,
};
