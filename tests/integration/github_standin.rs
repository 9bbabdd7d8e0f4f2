//! A GitHub stand-in on loopback: the REST API (`/repos/{o}/{r}`, `/repos/{o}/{r}/git/trees/{ref}`)
//! and the raw-file host (`/{o}/{r}/{ref}/{path}`) over `tests/fixtures/github/repos/`, which holds
//! repositories copied from `../shared/github-corpus` in its layout (repo.json, tree.tsv, files/).
//! It behaves like `../shared/tools/github_emulator.py`: quota headers on every API answer, `403`
//! past the quota, ETags and `304` (not counted), `301` for moved repositories, names matched
//! case-insensitively. It also records every credential it receives, so a test can prove which
//! token went where.

use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Seconds from the first request to the quota's reset.
const WINDOW: u64 = 3600;

struct Repo {
    full_name: String,
    default_branch: String,
    head: String,
    archived: bool,
    tree: Vec<(String, Option<u64>)>,
    files: HashMap<String, Vec<u8>>,
    has_license: bool,
}

#[derive(Default)]
struct Quota {
    anonymous_limit: u64,
    used_anonymous: u64,
    used_token: u64,
    reset: u64,
}

pub struct State {
    repos: HashMap<String, Arc<Repo>>,
    moved: Mutex<HashMap<String, String>>,
    quota: Mutex<Quota>,
    /// (host, Authorization value) of every request.
    credentials: Mutex<Vec<(&'static str, String)>>,
    /// "api 200", "api 304", "raw 200", … → count.
    counts: Mutex<BTreeMap<String, u64>>,
    /// Conditional API requests received.
    conditional: Mutex<u64>,
    api_base: Mutex<String>,
}

/// The stand-in: its two servers and what it saw.
pub struct GithubStandIn {
    pub api: MockServer,
    pub raw: MockServer,
    state: Arc<State>,
}

impl GithubStandIn {
    /// Serves every fixture repository, with GitHub's anonymous quota of `anonymous_limit` calls.
    pub async fn start(anonymous_limit: u64) -> GithubStandIn {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/github/repos");
        let mut repos = HashMap::new();
        for owner in std::fs::read_dir(&root).unwrap().flatten() {
            for dir in std::fs::read_dir(owner.path()).unwrap().flatten() {
                if let Some(repo) = load(&dir.path()) {
                    repos.insert(repo.full_name.to_ascii_lowercase(), Arc::new(repo));
                }
            }
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let state = Arc::new(State {
            repos,
            moved: Mutex::default(),
            quota: Mutex::new(Quota {
                anonymous_limit,
                reset: now + WINDOW,
                ..Quota::default()
            }),
            credentials: Mutex::default(),
            counts: Mutex::default(),
            conditional: Mutex::default(),
            api_base: Mutex::default(),
        });
        let api = MockServer::start().await;
        let raw = MockServer::start().await;
        *state.api_base.lock().unwrap() = api.uri();
        Mock::given(any())
            .respond_with(ApiResponder(Arc::clone(&state)))
            .mount(&api)
            .await;
        Mock::given(any())
            .respond_with(RawResponder(Arc::clone(&state)))
            .mount(&raw)
            .await;
        GithubStandIn { api, raw, state }
    }

    /// `asked` (owner/name) now lives at `now` (a fixture repository): the API answers 301.
    pub fn moved(&self, asked: &str, now: &str) {
        self.state
            .moved
            .lock()
            .unwrap()
            .insert(asked.to_ascii_lowercase(), now.to_owned());
    }

    /// The environment that points the tool at this stand-in, with the code host on.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("OPENNESS_NO_CODE_HOST", "0".to_owned()),
            ("GITHUB_API_URL", self.api.uri()),
            ("OPENNESS_GITHUB_RAW_URL", self.raw.uri()),
        ]
    }

    /// How many answers of this kind (`"api 200"`, `"api 304"`, `"raw 200"`, …) were sent.
    pub fn count(&self, kind: &str) -> u64 {
        self.state
            .counts
            .lock()
            .unwrap()
            .get(kind)
            .copied()
            .unwrap_or(0)
    }

    /// Every API request (any status).
    pub fn api_requests(&self) -> u64 {
        self.counts_with("api ")
    }

    pub fn raw_requests(&self) -> u64 {
        self.counts_with("raw ")
    }

    fn counts_with(&self, prefix: &str) -> u64 {
        self.state
            .counts
            .lock()
            .unwrap()
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(_, v)| v)
            .sum()
    }

    /// API requests that counted against the quota (not the 304s).
    pub fn quota_spent(&self) -> u64 {
        let quota = self.state.quota.lock().unwrap();
        quota.used_anonymous + quota.used_token
    }

    pub fn conditional_requests(&self) -> u64 {
        *self.state.conditional.lock().unwrap()
    }

    /// The `Authorization` values received, by host (`api` or `raw`).
    pub fn credentials(&self) -> Vec<(&'static str, String)> {
        self.state.credentials.lock().unwrap().clone()
    }
}

fn load(dir: &Path) -> Option<Repo> {
    let meta: Value = serde_json::from_slice(&std::fs::read(dir.join("repo.json")).ok()?).ok()?;
    let full_name = meta["full_name"].as_str()?.to_owned();
    let tree = std::fs::read_to_string(dir.join("tree.tsv"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (size, path) = l.split_once('\t')?;
            Some((path.to_owned(), size.trim().parse().ok()))
        })
        .collect();
    let mut files = HashMap::new();
    let base = dir.join("files");
    let mut stack = vec![base.clone()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(&base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let has_license = files.keys().any(|p| {
        let upper = p.to_ascii_uppercase();
        !p.contains('/')
            && ["LICENSE", "LICENCE", "COPYING"]
                .iter()
                .any(|w| upper.starts_with(w))
    });
    Some(Repo {
        default_branch: meta["default_branch"].as_str().unwrap_or("main").to_owned(),
        head: meta["head"].as_str().unwrap_or_default().to_owned(),
        archived: meta["archived"].as_bool().unwrap_or(false),
        full_name,
        tree,
        files,
        has_license,
    })
}

impl State {
    fn record(&self, host: &'static str, request: &Request, status: u16) {
        if let Some(auth) = request.headers.get("authorization") {
            self.credentials
                .lock()
                .unwrap()
                .push((host, auth.to_str().unwrap_or("<binary>").to_owned()));
        }
        *self
            .counts
            .lock()
            .unwrap()
            .entry(format!("{host} {status}"))
            .or_default() += 1;
    }
}

struct ApiResponder(Arc<State>);

impl Respond for ApiResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let state = &self.0;
        let has_token = request.headers.get("authorization").is_some();
        let conditional = request
            .headers
            .get("if-none-match")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        if conditional.is_some() {
            *state.conditional.lock().unwrap() += 1;
        }
        // The quota, taken for every request; a 304 gives it back.
        let (allowed, headers) = {
            let mut q = state.quota.lock().unwrap();
            let limit = if has_token { 5000 } else { q.anonymous_limit };
            let used = if has_token {
                &mut q.used_token
            } else {
                &mut q.used_anonymous
            };
            let allowed = *used < limit;
            if allowed {
                *used += 1;
            }
            let used = *used;
            (
                allowed,
                vec![
                    ("x-ratelimit-limit", limit.to_string()),
                    (
                        "x-ratelimit-remaining",
                        limit.saturating_sub(used).to_string(),
                    ),
                    ("x-ratelimit-used", used.to_string()),
                    ("x-ratelimit-reset", q.reset.to_string()),
                    ("x-ratelimit-resource", "core".to_owned()),
                ],
            )
        };
        let respond = |status: u16, body: Value| {
            let body = serde_json::to_vec(&body).unwrap();
            let etag = format!("W/\"{:x}\"", fnv(&body));
            let (status, body) = if status == 200 && conditional.as_deref() == Some(etag.as_str()) {
                if allowed {
                    let mut q = state.quota.lock().unwrap();
                    if has_token {
                        q.used_token -= 1;
                    } else {
                        q.used_anonymous -= 1;
                    }
                }
                (304, Vec::new())
            } else if !allowed {
                let refused = json!({"message": "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit.)"});
                (403, serde_json::to_vec(&refused).unwrap())
            } else {
                (status, body)
            };
            state.record("api", request, status);
            let mut template = ResponseTemplate::new(status);
            for (k, v) in &headers {
                template = template.insert_header(*k, v.as_str());
            }
            if status == 200 {
                template = template.insert_header("etag", etag.as_str());
            }
            if body.is_empty() {
                template
            } else {
                template.set_body_raw(body, "application/json")
            }
        };
        let parts: Vec<String> = request
            .url
            .path()
            .split('/')
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        if parts.len() < 3 || parts[0] != "repos" {
            return respond(404, json!({"message": "Not Found"}));
        }
        let asked = format!("{}/{}", parts[1], parts[2]).to_ascii_lowercase();
        let rest = &parts[3..];
        let Some(repo) = state.repos.get(&asked).cloned() else {
            let moved = state.moved.lock().unwrap().get(&asked).cloned();
            return match moved {
                Some(now) if allowed => {
                    let mut location = format!("{}/repos/{now}", state.api_base.lock().unwrap());
                    for part in rest {
                        location.push('/');
                        location.push_str(part);
                    }
                    if let Some(query) = request.url.query() {
                        location.push('?');
                        location.push_str(query);
                    }
                    state.record("api", request, 301);
                    let mut template = ResponseTemplate::new(301)
                        .insert_header("location", location.as_str())
                        .set_body_json(json!({"message": "Moved Permanently", "url": location}));
                    for (k, v) in &headers {
                        template = template.insert_header(*k, v.as_str());
                    }
                    template
                }
                _ => respond(404, json!({"message": "Not Found"})),
            };
        };
        match rest
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            [] => {
                let (owner, name) = repo.full_name.split_once('/').unwrap();
                respond(
                    200,
                    json!({
                        "name": name, "full_name": repo.full_name, "owner": {"login": owner},
                        "html_url": format!("https://github.com/{}", repo.full_name),
                        "fork": false, "archived": repo.archived,
                        "default_branch": repo.default_branch,
                        "license": if repo.has_license {
                            json!({"key": "other", "spdx_id": "NOASSERTION"})
                        } else {
                            Value::Null
                        },
                    }),
                )
            }
            ["git", "trees", reference]
                if *reference == repo.default_branch
                    || *reference == "HEAD"
                    || *reference == repo.head =>
            {
                let tree: Vec<Value> = repo
                    .tree
                    .iter()
                    .map(|(path, size)| match size {
                        Some(size) => json!({"path": path, "type": "blob", "size": size}),
                        None => json!({"path": path, "type": "blob"}),
                    })
                    .collect();
                respond(
                    200,
                    json!({"sha": repo.head, "tree": tree, "truncated": false}),
                )
            }
            _ => respond(404, json!({"message": "Not Found"})),
        }
    }
}

struct RawResponder(Arc<State>);

impl Respond for RawResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let state = &self.0;
        let parts: Vec<&str> = request
            .url
            .path()
            .split('/')
            .filter(|p| !p.is_empty())
            .collect();
        let found = (parts.len() >= 4)
            .then(|| {
                let key = format!("{}/{}", parts[0], parts[1]).to_ascii_lowercase();
                let repo = state.repos.get(&key)?;
                let reference = parts[2];
                (reference == repo.default_branch || reference == "HEAD" || reference == repo.head)
                    .then(|| repo.files.get(&parts[3..].join("/")).cloned())
                    .flatten()
            })
            .flatten();
        match found {
            Some(bytes) => {
                state.record("raw", request, 200);
                ResponseTemplate::new(200).set_body_raw(bytes, "text/plain; charset=utf-8")
            }
            None => {
                state.record("raw", request, 404);
                ResponseTemplate::new(404).set_body_string("404: Not Found")
            }
        }
    }
}

/// FNV-1a: a stable ETag for a body.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}
