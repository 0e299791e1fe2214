//! Randomness from the browser's CSPRNG (`crypto.getRandomValues`), for session ids.
//!
//! `getRandomValues` works outside secure contexts too, unlike `crypto.randomUUID`, which
//! matters on intranets served over plain HTTP.

/// Sixteen random bytes, or the browser's reason why not.
pub fn bytes16() -> Result<[u8; 16], String> {
    let crypto = gloo::utils::window()
        .crypto()
        .map_err(|_| "this browser offers no crypto.getRandomValues".to_owned())?;
    let mut out = [0u8; 16];
    crypto
        .get_random_values_with_u8_array(&mut out)
        .map_err(|_| "crypto.getRandomValues failed".to_owned())?;
    Ok(out)
}
