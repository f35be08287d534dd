//! `vitrine serve`: a local preview of `public/` on 127.0.0.1 that rebuilds when the
//! inputs change and reloads the open pages, plus `GET /api/search?q=…` answered from
//! the tantivy index (the same answers as `vitrine search` and the site's own search).
//!
//! Live reload: HTML pages get `<script src="/__vitrine/livereload.js" defer>` before
//! `</body>` (an external script, so the site's CSP, `script-src 'self'`, allows it);
//! the script listens to `/__vitrine/events` (server-sent events) and reloads the page
//! after each successful rebuild. Nothing of this is ever written to `public/`.

use crate::build;
use crate::config::Config;
use crate::inputs::{Flags, Inputs, Paths};
use crate::search::{self, index::Opened, query::Filters};
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, SystemTime};
use tiny_http::{Header, Request, Response, Server, StatusCode};

/// The script injected into pages in serve mode.
const LIVERELOAD_JS: &str = "// vitrine serve: reload after each rebuild.\n\
(() => {\n\
  const events = new EventSource('/__vitrine/events');\n\
  events.addEventListener('reload', () => window.location.reload());\n\
})();\n";

/// How often an idle live-reload stream is pinged.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// How often the inputs are checked for changes.
const POLL: Duration = Duration::from_millis(500);

/// The preview server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on 127.0.0.1:{port}: {message}")]
    Listen { port: u16, message: String },
}

/// What the request threads share with the watcher.
struct State {
    public: PathBuf,
    index: RwLock<Option<Opened>>,
    /// Build generation, bumped after each successful rebuild; pages wait on it.
    generation: Mutex<u64>,
    changed: Condvar,
}

/// Builds once, then serves until killed.
pub fn serve(config: &Config, flags: &Flags, port: u16) -> Result<(), ServeError> {
    let paths = Paths::resolve(config, flags);
    let server = Server::http(("127.0.0.1", port)).map_err(|e| ServeError::Listen {
        port,
        message: e.to_string(),
    })?;
    let state = Arc::new(State {
        public: paths.public.clone(),
        index: RwLock::new(None),
        generation: Mutex::new(0),
        changed: Condvar::new(),
    });
    rebuild(config, flags, &state);
    eprintln!("vitrine serve: http://127.0.0.1:{port}/ (Ctrl-C to stop)");

    let watched = watched_folders(config, &paths);
    {
        let (config, flags, state) = (config.clone(), flags.clone(), state.clone());
        std::thread::spawn(move || {
            let mut seen = fingerprint(&watched);
            loop {
                std::thread::sleep(POLL);
                let now = fingerprint(&watched);
                if now != seen {
                    eprintln!("vitrine serve: change detected, rebuilding");
                    rebuild(&config, &flags, &state);
                    // What the build itself wrote (the URL ledger in data/) is not a change.
                    seen = fingerprint(&watched);
                }
            }
        });
    }

    for request in server.incoming_requests() {
        let state = state.clone();
        std::thread::spawn(move || handle(request, &state));
    }
    Ok(())
}

/// Reloads the inputs, rebuilds the site and reopens the index; on failure the previous
/// site stays served.
fn rebuild(config: &Config, flags: &Flags, state: &State) {
    let built = Inputs::load(config.clone(), flags)
        .map_err(build::BuildError::from)
        .and_then(|inputs| build::build(&inputs).map(|b| (b, inputs.paths.index())));
    match built {
        Ok((built, index)) => {
            eprintln!("vitrine serve: built {} pages", built.pages);
            match Opened::open(&index) {
                Ok(o) => *state.index.write().unwrap_or_else(|e| e.into_inner()) = Some(o),
                Err(e) => eprintln!("vitrine serve: {e}"),
            }
            let mut g = state.generation.lock().unwrap_or_else(|e| e.into_inner());
            *g += 1;
            state.changed.notify_all();
        }
        Err(e) => eprintln!("vitrine serve: build failed: {e}"),
    }
}

/// The inputs whose changes trigger a rebuild: the export's folder, the site's `data/`,
/// content pages, templates, static files and themes.
fn watched_folders(config: &Config, paths: &Paths) -> Vec<PathBuf> {
    let mut folders = vec![
        config.path(Path::new("data")),
        config.path(&config.input.content),
        config.path(&config.input.themes),
        config.path(Path::new("templates")),
        config.path(Path::new("static")),
    ];
    if let Some(export_dir) = paths.export.parent().filter(|p| !p.as_os_str().is_empty())
        && !folders.iter().any(|f| f == export_dir)
    {
        folders.push(export_dir.to_path_buf());
    }
    folders
}

/// Paths, sizes and modification times of every file under the folders.
fn fingerprint(folders: &[PathBuf]) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    let mut out = Vec::new();
    for f in folders {
        for entry in walkdir::WalkDir::new(f)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if let Ok(meta) = entry.metadata()
                && meta.is_file()
            {
                out.push((entry.into_path(), meta.len(), meta.modified().ok()));
            }
        }
    }
    out
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn handle(request: Request, state: &State) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let path = percent_decode(path);
    let result = match path.as_str() {
        "/api/search" => api_search(request, query, state),
        "/__vitrine/livereload.js" => request.respond(
            Response::from_string(LIVERELOAD_JS)
                .with_header(header("Content-Type", "text/javascript; charset=utf-8")),
        ),
        "/__vitrine/events" => {
            let start = *state.generation.lock().unwrap_or_else(|e| e.into_inner());
            let events = Events {
                state,
                start,
                sent_hello: false,
                done: false,
            };
            request.respond(Response::new(
                StatusCode(200),
                vec![
                    header("Content-Type", "text/event-stream"),
                    header("Cache-Control", "no-cache"),
                ],
                events,
                None,
                None,
            ))
        }
        // The no-JS search, as Netlify answers it (the rules `Table::redirects` writes
        // in `_redirects`).
        "/recherche/sans-js/" if !query_param(query, "q").is_empty() => {
            // Made of the encoded query alone: always a valid header.
            let q = form_encode(&query_param(query, "q"));
            let to = format!("/recherche/sans-js/{q}/?q={q}");
            request.respond(Response::empty(302).with_header(header("Location", &to)))
        }
        _ => static_file(request, &path, state),
    };
    if let Err(e) = result {
        // A closed browser tab is not an error of the server.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("vitrine serve: {url}: {e}");
        }
    }
}

/// A server-sent event stream: one comment at once, then `reload` after the next build.
struct Events<'a> {
    state: &'a State,
    start: u64,
    sent_hello: bool,
    done: bool,
}

impl Read for Events<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let msg: &[u8] = if !self.sent_hello {
            self.sent_hello = true;
            b": vitrine serve\n\n"
        } else if self.done {
            return Ok(0);
        } else {
            let mut g = self
                .state
                .generation
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            let mut waited = Duration::ZERO;
            while *g == self.start && waited < HEARTBEAT {
                let (guard, timeout) = self
                    .state
                    .changed
                    .wait_timeout(g, HEARTBEAT)
                    .unwrap_or_else(|e| e.into_inner());
                g = guard;
                if timeout.timed_out() {
                    waited = HEARTBEAT;
                }
            }
            if *g == self.start {
                // A comment now and then: a closed tab shows as a failed write, which
                // ends this stream's thread.
                let msg = b": ping\n\n";
                let n = msg.len().min(buf.len());
                buf[..n].copy_from_slice(&msg[..n]);
                return Ok(n);
            }
            self.done = true;
            b"event: reload\ndata: reload\n\n"
        };
        let n = msg.len().min(buf.len());
        buf[..n].copy_from_slice(&msg[..n]);
        Ok(n)
    }
}

fn api_search(request: Request, query: &str, state: &State) -> std::io::Result<()> {
    let mut q = String::new();
    let mut limit = 10usize;
    let mut filters = Filters::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = percent_decode(&v.replace('+', " "));
        match k {
            "q" => q = v,
            "limit" => limit = v.parse().unwrap_or(10).min(1000),
            k if (search::facets::NAMES.contains(&k) || search::query::PARAMS.contains(&k))
                && !v.is_empty() =>
            {
                filters.insert(k.to_string(), v);
            }
            _ => {}
        }
    }
    let guard = state.index.read().unwrap_or_else(|e| e.into_inner());
    let (status, body) = match guard.as_ref().map(|o| o.answer(&q, &filters, limit)) {
        Some(Ok(answer)) => (
            200,
            String::from_utf8(crate::safe::json_bytes(&answer)).unwrap_or_default(),
        ),
        Some(Err(e)) => (500, serde_json::json!({"error": e.to_string()}).to_string()),
        None => (
            503,
            serde_json::json!({"error": "no search index yet (the build failed)"}).to_string(),
        ),
    };
    drop(guard);
    request.respond(
        Response::from_string(body)
            .with_status_code(status)
            .with_header(header("Content-Type", "application/json; charset=utf-8")),
    )
}

fn static_file(request: Request, path: &str, state: &State) -> std::io::Result<()> {
    let not_found = |request: Request| {
        let body = std::fs::read(state.public.join("404.html")).unwrap_or_default();
        request.respond(
            Response::from_data(inject(body))
                .with_status_code(404)
                .with_header(header("Content-Type", "text/html; charset=utf-8")),
        )
    };
    // Only plain components: no `..`, no absolute or drive prefixes.
    let mut file = state.public.clone();
    for c in Path::new(path.trim_start_matches('/')).components() {
        match c {
            Component::Normal(part) => file.push(part),
            Component::CurDir => {}
            _ => return not_found(request),
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    let mut bytes = std::fs::read(&file);
    // Netlify finds files whatever the case of the address; a no-JS query without a
    // page of its own gets the list of every page (`/recherche/sans-js/*`).
    if bytes.is_err() && path.chars().any(char::is_uppercase) {
        return static_file(request, &path.to_lowercase(), state);
    }
    if bytes.is_err() && path.starts_with("/recherche/sans-js/") {
        file = state.public.join("recherche/sans-js/index.html");
        bytes = std::fs::read(&file);
    }
    let Ok(bytes) = bytes else {
        return not_found(request);
    };
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    let kind = content_type(ext);
    let bytes = if ext == "html" { inject(bytes) } else { bytes };
    request.respond(
        Response::from_data(bytes)
            .with_header(header("Content-Type", kind))
            .with_header(header("Cache-Control", "no-store")),
    )
}

/// Adds the live-reload script to a page.
fn inject(mut html: Vec<u8>) -> Vec<u8> {
    const TAG: &[u8] = b"<script src=\"/__vitrine/livereload.js\" defer></script>";
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, TAG.iter().copied());
    html
}

fn content_type(ext: &str) -> &'static str {
    match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "atom" => "application/atom+xml",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// `%XX` escapes decoded (invalid ones kept as typed), then read as UTF-8.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h << 4 | l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A query-string parameter's value, decoded (`+` is a space); empty when absent.
fn query_param(query: &str, name: &str) -> String {
    query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| percent_decode(&v.replace('+', " ")))
        .unwrap_or_default()
}

/// A value form-encoded as Netlify puts a query parameter in a placeholder: `cap
/// cuisine` → `cap+cuisine`, `é` → `%C3%A9`.
fn form_encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b' ' => out.push('+'),
            b if b.is_ascii_alphanumeric() || b"-._~".contains(&b) => out.push(b as char),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_decoded() {
        assert_eq!(percent_decode("/recherche/caf%C3%A9"), "/recherche/café");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }

    #[test]
    fn a_no_js_query_is_form_encoded_as_netlify_does() {
        assert_eq!(
            query_param("x=1&q=Cap+%C3%A9lec%20tri", "q"),
            "Cap élec tri"
        );
        assert_eq!(form_encode("bac électricité"), "bac+%C3%A9lectricit%C3%A9");
        assert_eq!(form_encode("l'art"), "l%27art");
    }

    #[test]
    fn the_reload_script_goes_before_the_end_of_the_body() {
        let out = inject(b"<html><body><p>x</p></BODY></html>".to_vec());
        let s = String::from_utf8(out).unwrap();
        assert!(
            s.ends_with("livereload.js\" defer></script></BODY></html>"),
            "{s}"
        );
    }
}
