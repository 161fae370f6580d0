//! HTTP side of the server: static files from the site folder, the live-reload
//! event stream, and the error overlay.
//!
//! Request paths are decoded once and then accepted only as plain names: any
//! `.`/`..` segment, backslash, colon, NUL or empty inner segment is refused,
//! and a file whose real path (symbolic links followed) is outside the site
//! folder is refused too. Folders are served by their `index.html` and never
//! listed.

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;

use super::Shared;
use crate::render::esc;

/// Where the event stream is served; no site path can collide with it
/// (glossator never writes a folder starting with `_`).
pub const EVENTS_PATH: &str = "/__glossator/events";

/// The live-reload script, added to HTML responses only by the server.
const RELOAD_SCRIPT: &str = r#"<script data-glossator-serve>
new EventSource("/__glossator/events").addEventListener("reload", () => location.reload());
</script>"#;

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(get(static_file))
        .with_state(shared)
}

/// Server-sent events: one `reload` per finished rebuild; ends on shutdown.
async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = shared.reload.subscribe();
    let shutdown = shared.shutdown.clone();
    let stream = futures_util::stream::unfold((rx, shutdown), |(mut rx, mut shutdown)| async {
        if *shutdown.borrow() {
            return None;
        }
        tokio::select! {
            msg = rx.recv() => match msg {
                Ok(()) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    Some((Ok(Event::default().event("reload").data("")), (rx, shutdown)))
                }
                Err(_) => None,
            },
            _ = shutdown.changed() => None,
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

async fn static_file(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let Some(rel) = safe_relative_path(uri.path()) else {
        return plain(StatusCode::BAD_REQUEST, "refused: the path leaves the site");
    };
    let mut path = shared.site.join(&rel);
    if path.is_dir() {
        if !uri.path().ends_with('/') {
            // Relative links inside the page need the trailing slash.
            let target = match uri.query() {
                Some(q) => format!("{}/?{q}", uri.path()),
                None => format!("{}/", uri.path()),
            };
            return redirect(&target);
        }
        path = path.join("index.html");
    }
    match path.canonicalize() {
        Ok(real) if !real.starts_with(&shared.site) => plain(
            StatusCode::FORBIDDEN,
            "refused: the file is outside the site",
        ),
        Ok(real) if real.is_file() => match tokio::fs::read(&real).await {
            Ok(bytes) => file_response(&shared, &real, bytes, StatusCode::OK),
            Err(_) => not_found(&shared).await,
        },
        _ => not_found(&shared).await,
    }
}

/// The request path as a path relative to the site folder, or `None` if it
/// could name anything outside it.
fn safe_relative_path(raw: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    let inner = decoded.strip_prefix('/')?;
    let segments: Vec<&str> = inner.split('/').collect();
    let last = segments.len() - 1;
    let mut rel = PathBuf::new();
    for (i, seg) in segments.into_iter().enumerate() {
        // Only the last segment may be empty (a trailing slash); an empty
        // inner one (`//etc`) reads as an absolute path.
        if seg.is_empty() && i == last {
            continue;
        }
        let refused =
            seg.is_empty() || seg == "." || seg == ".." || seg.contains(['\\', ':', '\0']);
        if refused {
            return None;
        }
        rel.push(seg);
    }
    Some(rel)
}

async fn not_found(shared: &Shared) -> Response {
    let page = shared.site.join("404.html");
    match tokio::fs::read(&page).await {
        Ok(bytes) => file_response(shared, &page, bytes, StatusCode::NOT_FOUND),
        Err(_) => {
            let bytes = b"<!doctype html><title>Not found</title><h1>Not found</h1>".to_vec();
            file_response(shared, &page, bytes, StatusCode::NOT_FOUND)
        }
    }
}

fn file_response(
    shared: &Shared,
    path: &std::path::Path,
    bytes: Vec<u8>,
    status: StatusCode,
) -> Response {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let (body, content_type) = if is_html {
        let errors = shared
            .errors
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        (
            inject(&bytes, errors.as_deref()),
            "text/html; charset=utf-8".to_string(),
        )
    } else if mime.type_() == "text" || mime.essence_str() == "application/javascript" {
        (bytes, format!("{mime}; charset=utf-8"))
    } else {
        (bytes, mime.to_string())
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    // Drafts change under the reader: never let the browser reuse a copy.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// Adds the reload script (and the overlay, if the last build failed) before
/// `</body>`, or at the end of a page without one.
fn inject(html: &[u8], errors: Option<&str>) -> Vec<u8> {
    let mut extra = String::new();
    if let Some(text) = errors {
        extra.push_str(&overlay(text));
    }
    extra.push_str(RELOAD_SCRIPT);
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// The error overlay: the diagnostics as the terminal shows them, over the
/// last good page.
pub fn overlay(text: &str) -> String {
    format!(
        concat!(
            r#"<div id="glossator-error" role="alertdialog" aria-labelledby="glossator-error-title" "#,
            r#"style="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);color:#fff;padding:2rem;font:14px/1.5 ui-monospace,monospace">"#,
            r#"<h2 id="glossator-error-title" style="margin-top:0;color:#ff8080">The edition does not build</h2>"#,
            r#"<p>The page underneath is the last good build. Fix the error and this page reloads by itself.</p>"#,
            r#"<pre style="white-space:pre-wrap">{}</pre>"#,
            r#"<button type="button" onclick="this.parentNode.remove()">Hide</button></div>"#
        ),
        esc(text)
    )
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

fn redirect(target: &str) -> Response {
    match HeaderValue::from_str(target) {
        Ok(v) => {
            let mut r = StatusCode::PERMANENT_REDIRECT.into_response();
            r.headers_mut().insert(header::LOCATION, v);
            r
        }
        Err(_) => plain(StatusCode::BAD_REQUEST, "refused: a malformed path"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_are_accepted() {
        assert_eq!(safe_relative_path("/"), Some(PathBuf::new()));
        assert_eq!(
            safe_relative_path("/people/crocker/"),
            Some(PathBuf::from("people/crocker"))
        );
        assert_eq!(
            safe_relative_path("/static/a%20b.css"),
            Some(PathBuf::from("static/a b.css"))
        );
    }

    #[test]
    fn escaping_paths_are_refused() {
        for p in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2Fx",
            "/a/%2e%2e%2f%2e%2e/x",
            "//etc/passwd",
            "/%2Fetc%2Fpasswd",
            "/a/./b",
            "/..%5c..%5cx",
            "/C:/Windows",
            "/a%00b",
            "relative",
            "/%ff",
        ] {
            assert_eq!(safe_relative_path(p), None, "{p}");
        }
    }

    #[test]
    fn the_script_goes_before_the_closing_body_tag() {
        let out = String::from_utf8(inject(b"<body><p>x</p></body></html>", None)).unwrap();
        assert!(out.starts_with("<body><p>x</p><script data-glossator-serve>"));
        assert!(out.ends_with("</script></body></html>"));
        let out = String::from_utf8(inject(b"<p>x", Some("a <b>"))).unwrap();
        assert!(out.contains("a &lt;b&gt;"));
    }
}
