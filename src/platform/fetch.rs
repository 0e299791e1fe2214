//! Same-origin GETs of the library's files. The CSP (`connect-src 'self'`) forbids anything
//! else, and relative URLs keep the app working in a sub-path.

use std::fmt;

use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

#[derive(Debug, Clone, PartialEq)]
pub enum FetchError {
    Network { url: String, message: String },
    Status { url: String, status: u16 },
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Network { url, message } => write!(f, "{url}: could not fetch: {message}"),
            FetchError::Status { url, status } => {
                write!(f, "{url}: the server answered HTTP {status}")
            }
        }
    }
}

/// The body of `url` as bytes; a status other than 2xx is an error. The browser's own
/// `fetch`, with its defaults (same-origin credentials, the HTTP cache), so a `<link
/// rel=preload>` of the same URL is reused.
pub async fn bytes(url: &str) -> Result<Vec<u8>, FetchError> {
    let network = |e: wasm_bindgen::JsValue| FetchError::Network {
        url: url.to_owned(),
        message: js_sys::Reflect::get(&e, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| "the request failed".to_owned()),
    };
    let promise = gloo::utils::window().fetch_with_str(url);
    let response: Response = JsFuture::from(promise)
        .await
        .map_err(network)?
        .dyn_into()
        .map_err(network)?;
    if !response.ok() {
        return Err(FetchError::Status {
            url: url.to_owned(),
            status: response.status(),
        });
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(network)?)
        .await
        .map_err(network)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}
