//! `stepwise serve`: static files over HTTP for trying the app and for the end-to-end tests.
//!
//! tower-http's `ServeDir` does the serving (MIME types from the extension, so `.wasm` is
//! `application/wasm`; paths that climb out of the folder are refused; the build's `.gz`
//! files are sent to clients that accept gzip). We add the headers a static host should send
//! (long caching only for content-hashed names) and print the URL. This is not a production web server; the README
//! shows nginx, Apache and IIS configurations for that.

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::process::ExitCode;

use crate::output::outln;
use anyhow::{bail, Context};
use axum::extract::State;
use axum::http::{header, HeaderValue, Uri};
use axum::middleware;
use axum::response::Response;
use axum::Router;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Serves `dir` on `host:port` until interrupted.
pub fn run(dir: &Path, host: IpAddr, port: u16) -> anyhow::Result<ExitCode> {
    if !dir.join("index.html").is_file() {
        bail!(
            "{} has no index.html: build the app first with ./scripts/build (or run ./scripts/serve)",
            dir.display()
        );
    }
    // Several worker threads: a browser asks for the wasm, the index and a dozen runbooks
    // at once, and one thread sending the 800 KB wasm made the small files wait behind it.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let address = SocketAddr::new(host, port);
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .with_context(|| format!("listening on {address}"))?;
        let bound = listener.local_addr().context("reading the bound address")?;
        let host_text = match bound.ip() {
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        };
        // The end-to-end tests read this line to find the port; keep its shape.
        outln!(
            "Serving {} at http://{host_text}:{}/",
            dir.display(),
            bound.port()
        );
        axum::serve(listener, router(dir))
            .with_graceful_shutdown(async {
                // If the signal handler cannot be installed, serve until killed.
                if tokio::signal::ctrl_c().await.is_err() {
                    std::future::pending::<()>().await;
                }
            })
            .await
            .context("serving")?;
        Ok(ExitCode::SUCCESS)
    })
}

/// The whole HTTP surface: the folder (with its precompressed `.gz` files for clients that
/// accept gzip), plus headers every response carries.
pub fn router(dir: &Path) -> Router {
    Router::new()
        .fallback_service(ServeDir::new(dir).precompressed_gzip())
        .layer(middleware::map_response_with_state(
            (),
            |_: State<()>, uri: Uri, mut response: Response| async move {
                let value = HeaderValue::from_static(cache_control(uri.path()));
                response.headers_mut().insert(header::CACHE_CONTROL, value);
                response
            },
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
}

/// What the README tells production hosts to send: a file whose name carries its content
/// hash (`style.0123456789ab.css`) never changes, so it is cached for a year; everything else
/// (index.html, sw.js, the manifest, the runbooks) is revalidated on every load.
pub fn cache_control(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or_default();
    let hashed = name.split('.').any(|part| {
        part.len() == 12
            && part
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    });
    if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    use super::*;

    /// A served folder inside a parent that holds a secret, to try to climb out to.
    fn site() -> (tempfile::TempDir, std::path::PathBuf) {
        let root = tempfile::tempdir().expect("temp dir");
        let site = root.path().join("site");
        fs::create_dir_all(site.join("pkg")).expect("mkdir");
        fs::write(site.join("index.html"), "<!doctype html><title>t</title>").expect("write");
        fs::write(site.join("pkg/stepwise_bg.wasm"), b"\0asm\x01\0\0\0").expect("write");
        fs::write(root.path().join("secret.txt"), "do not serve").expect("write");
        (root, site)
    }

    async fn get(dir: &Path, uri: &str) -> (StatusCode, Option<String>, Vec<u8>) {
        let request = Request::get(uri).body(Body::empty()).expect("request");
        let response = router(dir).oneshot(request).await.expect("infallible");
        let status = response.status();
        let mime = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        (status, mime, body(response).await)
    }

    async fn body(response: Response) -> Vec<u8> {
        let bytes = response.into_body().collect().await.expect("body");
        bytes.to_bytes().to_vec()
    }

    #[tokio::test]
    async fn serves_index_and_wasm_with_its_mime_type() {
        let (_root, site) = site();
        let (status, mime, body) = get(&site, "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(mime.is_some_and(|m| m.starts_with("text/html")));
        assert!(body.starts_with(b"<!doctype html>"));
        let (status, mime, _) = get(&site, "/pkg/stepwise_bg.wasm").await;
        assert_eq!(
            (status, mime.as_deref()),
            (StatusCode::OK, Some("application/wasm"))
        );
    }

    #[tokio::test]
    async fn refuses_to_climb_out_of_the_folder() {
        let (_root, site) = site();
        for uri in [
            "/../secret.txt",
            "/..%2fsecret.txt",
            "/pkg/..%2f..%2fsecret.txt",
            "/%2e%2e/secret.txt",
        ] {
            let (status, _, body) = get(&site, uri).await;
            assert_ne!(status, StatusCode::OK, "{uri} was served");
            assert!(
                !String::from_utf8_lossy(&body).contains("do not serve"),
                "{uri} leaked"
            );
        }
    }

    #[tokio::test]
    async fn sends_safety_headers() {
        let (_root, site) = site();
        let request = Request::get("/").body(Body::empty()).expect("request");
        let response = router(&site).oneshot(request).await.expect("infallible");
        assert_eq!(
            response.headers()[header::X_CONTENT_TYPE_OPTIONS],
            "nosniff"
        );
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-cache");
    }

    #[tokio::test]
    async fn hashed_assets_are_immutable_and_gzip_is_served_precompressed() {
        let (_root, site) = site();
        fs::write(
            site.join("pkg/stepwise_bg.0123456789ab.wasm"),
            b"\0asm\x01\0\0\0",
        )
        .expect("write");
        fs::write(
            site.join("pkg/stepwise_bg.0123456789ab.wasm.gz"),
            b"gzipped",
        )
        .expect("write");
        let request = Request::get("/pkg/stepwise_bg.0123456789ab.wasm")
            .header(header::ACCEPT_ENCODING, "gzip")
            .body(Body::empty())
            .expect("request");
        let response = router(&site).oneshot(request).await.expect("infallible");
        let headers = response.headers();
        assert_eq!(
            headers[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
        assert_eq!(headers[header::CONTENT_TYPE], "application/wasm");
        assert_eq!(body(response).await, b"gzipped");
        for (path, want) in [
            ("/index.html", "no-cache"),
            ("/sw.js", "no-cache"),
            ("/runbooks/vpn.yaml", "no-cache"),
            (
                "/assets/style.06eb9da76103.css",
                "public, max-age=31536000, immutable",
            ),
            ("/assets/style.06eb9da7610.css", "no-cache"),
        ] {
            assert_eq!(cache_control(path), want, "{path}");
        }
    }

    #[test]
    fn refuses_a_folder_without_index_html() {
        let root = tempfile::tempdir().expect("temp dir");
        let error = run(root.path(), IpAddr::from([127, 0, 0, 1]), 0).unwrap_err();
        assert!(error.to_string().contains("has no index.html"), "{error}");
    }
}
