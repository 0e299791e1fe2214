//! Randomness from the browser's CSPRNG (`crypto.getRandomValues`): session ids, and the
//! seed of the fallback signing key where WebCrypto offers no Ed25519.
//!
//! `getRandomValues` works outside secure contexts too, unlike `crypto.randomUUID`, which
//! matters on intranets served over plain HTTP. It is also exactly what `getrandom`'s
//! `wasm_js` backend calls, so that crate would add bytes and nothing else.

/// `N` random bytes, or the browser's reason why not.
pub fn bytes<const N: usize>() -> Result<[u8; N], String> {
    let crypto = gloo::utils::window()
        .crypto()
        .map_err(|_| "this browser offers no crypto.getRandomValues".to_owned())?;
    let mut out = [0u8; N];
    crypto
        .get_random_values_with_u8_array(&mut out)
        .map_err(|_| "crypto.getRandomValues failed".to_owned())?;
    Ok(out)
}

/// Sixteen random bytes (a session id's worth).
pub fn bytes16() -> Result<[u8; 16], String> {
    bytes()
}
