//! A Hub on loopback for end-to-end tests, in Rust: the fixtures of `tests/fixtures/` served in
//! the Hub's URL layout ([`routes`]), with injected faults, so the real binary runs its real
//! network code on any clone — no Python, no `../shared`. It stands in for
//! `../shared/tools/hub_emulator.py`, which `.ci/run` still drives over the whole corpus.
//!
//! One thread per connection, keep-alive, `GET` and `HEAD` only. Dropping the server stops it.

pub mod corpus;
pub mod http;
pub mod routes;

pub use corpus::Corpus;

use http::{Response, read_request, write_response, write_truncated};
use std::io::BufReader;
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A fault to inject, as `hub_emulator.py --faults` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// 429 with `Retry-After: 1`.
    TooMany,
    /// 500.
    ServerError,
    /// The connection is closed without an answer.
    Reset,
    /// A file's body stops halfway through its `Content-Length`.
    Truncate,
    /// The answer comes after [`Options::slow`].
    Slow,
}

/// How the server behaves.
#[derive(Clone, Debug)]
pub struct Options {
    /// The token that opens gated repositories.
    pub token: String,
    /// Each request draws at most one fault, with these rates.
    pub faults: Vec<(Fault, f64)>,
    pub seed: u64,
    pub slow: Duration,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            token: crate::support::TOKEN.to_owned(),
            faults: Vec::new(),
            seed: 7,
            slow: Duration::from_millis(500),
        }
    }
}

/// A request as served: what was asked and what was answered (0: the connection was reset).
#[derive(Clone, Debug)]
pub struct Served {
    pub method: String,
    /// Path and query as sent.
    pub target: String,
    pub status: u16,
    pub authorization: bool,
}

struct Shared {
    corpus: Corpus,
    options: Options,
    rng: Mutex<u64>,
    log: Mutex<Vec<Served>>,
    stop: AtomicBool,
}

/// The running server; stops when dropped.
pub struct FakeHub {
    url: String,
    shared: Arc<Shared>,
}

impl FakeHub {
    /// Serves `corpus` on a free loopback port.
    pub fn start(corpus: Corpus) -> FakeHub {
        FakeHub::with_options(corpus, Options::default())
    }

    pub fn with_options(corpus: Corpus, options: Options) -> FakeHub {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let shared = Arc::new(Shared {
            rng: Mutex::new(options.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1),
            corpus,
            options,
            log: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
        });
        let serving = Arc::clone(&shared);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if serving.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let shared = Arc::clone(&serving);
                std::thread::spawn(move || serve(&shared, stream));
            }
        });
        FakeHub { url, shared }
    }

    /// The base URL, for `HF_ENDPOINT`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Every request served so far.
    pub fn requests(&self) -> Vec<Served> {
        self.shared.log.lock().unwrap().clone()
    }
}

impl Drop for FakeHub {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
    }
}

fn serve(shared: &Shared, stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader) {
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let head = request.method == "HEAD";
        let record = |status: u16| {
            shared.log.lock().unwrap().push(Served {
                method: request.method.clone(),
                target: request.target.clone(),
                status,
                authorization: request.header("authorization").is_some(),
            });
        };
        let fault = draw(shared);
        let response = match fault {
            Some(Fault::TooMany) => Response::error(429, "RateLimited", "rate limited")
                .with_header("Retry-After", "1")
                .with_header("RateLimit", "\"api\";r=0;t=1"),
            Some(Fault::ServerError) => {
                Response::error(500, "ServerError", "injected server error")
            }
            Some(Fault::Reset) => {
                record(0);
                let _ = writer.shutdown(std::net::Shutdown::Both);
                return;
            }
            _ => {
                if fault == Some(Fault::Slow) {
                    std::thread::sleep(shared.options.slow);
                }
                routes::answer(&shared.corpus, &shared.options.token, &request)
            }
        };
        record(response.status);
        let is_file = request.path.contains("/resolve/");
        if fault == Some(Fault::Truncate) && is_file && response.body.len() > 1 && !head {
            write_truncated(&mut writer, &response);
            return;
        }
        if write_response(&mut writer, &response, head).is_err() {
            return;
        }
        let close = request
            .header("connection")
            .is_some_and(|c| c.eq_ignore_ascii_case("close"));
        if close {
            return;
        }
    }
}

/// The fault this request gets, if any (a seeded xorshift: the same seed, the same draws in
/// request order).
fn draw(shared: &Shared) -> Option<Fault> {
    if shared.options.faults.is_empty() {
        return None;
    }
    let x = {
        let mut state = shared.rng.lock().unwrap();
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        (*state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut acc = 0.0;
    for (fault, rate) in &shared.options.faults {
        acc += rate;
        if x < acc {
            return Some(*fault);
        }
    }
    None
}

/// A raw `GET` on the fake Hub: (status, headers, body). For the server's own tests.
#[cfg(test)]
fn get(url: &str, target: &str, headers: &[(&str, &str)]) -> (u16, String, Vec<u8>) {
    use std::io::{Read, Write};
    let mut stream = TcpStream::connect(url.trim_start_matches("http://")).unwrap();
    let mut head = format!(
        "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
        url.trim_start_matches("http://")
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head, raw[split + 4..].to_vec())
}

#[test]
fn the_fake_hub_pages_filters_expands_and_gates_like_the_hub() {
    let hub = FakeHub::start(Corpus::fixtures());
    // Pagination: every Qwen model, two per page, through the Link header.
    let mut ids = Vec::new();
    let mut target = "/api/models?author=Qwen&limit=2&full=true".to_owned();
    loop {
        let (status, head, body) = get(hub.url(), &target, &[]);
        assert_eq!(status, 200);
        let page: serde_json::Value = serde_json::from_slice(&body).unwrap();
        ids.extend(
            page.as_array()
                .unwrap()
                .iter()
                .map(|m| m["id"].as_str().unwrap().to_owned()),
        );
        let Some(link) = head.lines().find_map(|l| l.strip_prefix("Link: <")) else {
            break;
        };
        target = link
            .split('>')
            .next()
            .unwrap()
            .trim_start_matches(hub.url())
            .to_owned();
    }
    let qwen: Vec<String> = Corpus::fixtures()
        .models
        .into_keys()
        .filter(|k| k.starts_with("Qwen/"))
        .collect();
    assert_eq!(ids, qwen);
    assert!(qwen.len() > 2);
    // author and search intersect.
    let (_, _, body) = get(hub.url(), "/api/models?author=Qwen&search=7B", &[]);
    let page: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(
        page.as_array().unwrap().iter().all(|m| {
            let id = m["id"].as_str().unwrap();
            id.starts_with("Qwen/") && id.contains("7B")
        }),
        "{page}"
    );
    // expand: only what was asked; an unknown property or expand with full is refused.
    let (status, _, body) = get(
        hub.url(),
        "/api/models?author=Qwen&expand=downloads&expand=gated",
        &[],
    );
    assert_eq!(status, 200);
    let page: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(
        page[0].get("tags").is_none() && page[0].get("gated").is_some(),
        "{page}"
    );
    let (status, head, _) = get(hub.url(), "/api/models?expand=nope", &[]);
    assert_eq!(status, 400);
    assert!(head.contains("X-Error-Code: BadRequest"));
    assert_eq!(
        get(hub.url(), "/api/models?expand=sha&full=true", &[]).0,
        400
    );
    // A gated file: 401 GatedRepo without the token, the bytes with it.
    let id = "meta-llama/Llama-3.1-8B-Instruct";
    let file = format!("/{id}/resolve/main/LICENSE");
    let (status, head, _) = get(hub.url(), &file, &[]);
    assert_eq!(status, 401);
    assert!(head.contains("X-Error-Code: GatedRepo"));
    let bearer = format!("Bearer {}", crate::support::TOKEN);
    let (status, head, body) = get(hub.url(), &file, &[("Authorization", &bearer)]);
    assert_eq!(status, 200);
    assert!(!body.is_empty() && head.contains("X-Repo-Commit: "));
    let etag = head
        .lines()
        .find_map(|l| l.strip_prefix("ETag: "))
        .unwrap()
        .to_owned();
    let (status, _, _) = get(
        hub.url(),
        &file,
        &[("Authorization", &bearer), ("If-None-Match", &etag)],
    );
    assert_eq!(status, 304);
    // Unknown repos, revisions and files.
    let (status, head, _) = get(hub.url(), "/api/models/nobody/nothing", &[]);
    assert_eq!(status, 404);
    assert!(head.contains("X-Error-Code: RepoNotFound"));
    assert_eq!(
        get(hub.url(), &format!("/api/models/{id}/revision/v9"), &[]).0,
        404
    );
    assert_eq!(get(hub.url(), "/api/models/bad%20id/x", &[]).0, 400);
    let served = hub.requests();
    assert_eq!(served.iter().filter(|r| r.authorization).count(), 2);
    assert!(
        served
            .iter()
            .all(|r| r.method == "GET" && r.target.starts_with('/'))
    );
}
