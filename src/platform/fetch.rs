//! Same-origin GETs of the library's files. The CSP (`connect-src 'self'`) forbids anything
//! else, and relative URLs keep the app working in a sub-path.

use std::fmt;

use gloo::net::http::Request;

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

/// The body of `url` as bytes; a status other than 2xx is an error.
pub async fn bytes(url: &str) -> Result<Vec<u8>, FetchError> {
    let network = |e: gloo::net::Error| FetchError::Network {
        url: url.to_owned(),
        message: e.to_string(),
    };
    let response = Request::get(url).send().await.map_err(network)?;
    if !response.ok() {
        return Err(FetchError::Status {
            url: url.to_owned(),
            status: response.status(),
        });
    }
    response.binary().await.map_err(network)
}
