//! The Hub's URL layout, as `../shared/tools/hub_emulator.py` serves it (and the Hub answers):
//!
//! ```text
//! GET  /api/models/{org}/{name}[/revision/{rev}]   model info (blobs=true adds sizes)
//! GET  /api/models?author=&search=&limit=&full=&cardData=&cursor=   listing, Link: rel="next"
//!      (&expand=PROP repeatable, or expand[]=: only _id, id and those; 400 for an unknown
//!       property, or with full/cardData)
//! GET  /api/models/{org}/{name}/refs               branches
//! GET  /api/datasets/{org}/{name}                  dataset info
//! GET|HEAD /{org}/{name}/resolve/{rev}/{path}      file bytes (ETag, X-Repo-Commit, 304);
//!      gated repos answer 401 GatedRepo without the token
//! ```

use super::corpus::{Corpus, Repo, fnv, hex40};
use super::http::{Request, Response, encode};
use serde_json::{Value, json};

/// Properties a listing may `expand` (the Hub's list; anything else is a 400).
const EXPANDABLE: &[&str] = &[
    "author",
    "baseModels",
    "cardData",
    "childrenModelCount",
    "config",
    "createdAt",
    "disabled",
    "downloads",
    "downloadsAllTime",
    "evalResults",
    "gated",
    "gguf",
    "inference",
    "inferenceProviderMapping",
    "lastModified",
    "library_name",
    "likes",
    "mask_token",
    "model-index",
    "pipeline_tag",
    "private",
    "resourceGroup",
    "safetensors",
    "sha",
    "siblings",
    "spaces",
    "tags",
    "transformersInfo",
    "trendingScore",
    "usedStorage",
    "widgetData",
];

/// What a listing item carries without `full` (the Hub's short form).
const SHORT: &[&str] = &[
    "_id",
    "id",
    "likes",
    "downloads",
    "private",
    "tags",
    "pipeline_tag",
    "library_name",
    "createdAt",
    "modelId",
];

/// Listing page size when the request names none, and the most a page holds.
const MAX_LIMIT: usize = 1000;

fn valid_part(part: &str) -> bool {
    let mut chars = part.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && part.len() <= 96
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

/// The answer to `request`. `token` opens gated repositories.
pub fn answer(corpus: &Corpus, token: &str, request: &Request) -> Response {
    let parts: Vec<&str> = request.path.split('/').filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        ["api", "models"] => list(corpus, request),
        ["api", kind @ ("models" | "datasets"), org, name, rest @ ..] => {
            if !valid_part(org) || !valid_part(name) {
                return Response::error(400, "BadRequest", "Invalid repo id");
            }
            let id = format!("{org}/{name}");
            if corpus.refused.contains(&id) {
                return Response::error(403, "Forbidden", "Forbidden");
            }
            if *kind == "datasets" {
                return match corpus.datasets.get(&id) {
                    Some(info) if rest.is_empty() => Response::json(200, info),
                    _ => not_found(&id),
                };
            }
            let Some(repo) = corpus.models.get(&id) else {
                return not_found(&id);
            };
            match rest {
                [] => Response::json(200, &info(repo, request.flag("blobs"))),
                ["refs"] => refs(repo),
                ["revision", rev, ..] if *rev == "main" || *rev == repo.sha() => {
                    Response::json(200, &info(repo, request.flag("blobs")))
                }
                ["revision", rev, ..] => {
                    Response::error(404, "RevisionNotFound", &format!("Invalid rev id: {rev}"))
                }
                _ => Response::error(404, "EntryNotFound", "Not found"),
            }
        }
        [org, name, "resolve", rev, path @ ..] if !path.is_empty() => resolve(
            corpus,
            token,
            request,
            &format!("{org}/{name}"),
            rev,
            &path.join("/"),
        ),
        _ => Response::error(404, "EntryNotFound", "Not found"),
    }
}

fn not_found(id: &str) -> Response {
    Response::error(404, "RepoNotFound", &format!("Repository not found: {id}"))
}

/// Model info: file sizes and blob ids with `blobs=true`, only names without.
fn info(repo: &Repo, blobs: bool) -> Value {
    let mut info = repo.info.clone();
    let Some(siblings) = info.get_mut("siblings").and_then(Value::as_array_mut) else {
        return info;
    };
    for sibling in siblings.iter_mut() {
        let name = sibling["rfilename"].as_str().unwrap_or("").to_owned();
        if !blobs {
            *sibling = json!({ "rfilename": name });
        } else if let (Some(bytes), Some(map)) = (repo.files.get(&name), sibling.as_object_mut()) {
            map.entry("size").or_insert_with(|| json!(bytes.len()));
            map.entry("blobId").or_insert_with(|| json!(hex40(bytes)));
        }
    }
    info
}

fn refs(repo: &Repo) -> Response {
    let sha = repo.sha();
    let branches: Vec<Value> = repo
        .refs
        .iter()
        .map(|name| {
            let target = if name == "main" {
                sha.to_owned()
            } else {
                hex40(format!("{sha}{name}").as_bytes())
            };
            json!({"name": name, "ref": format!("refs/heads/{name}"), "targetCommit": target})
        })
        .collect();
    Response::json(
        200,
        &json!({"branches": branches, "converts": [], "tags": []}),
    )
}

fn list(corpus: &Corpus, request: &Request) -> Response {
    let author = request.param("author");
    let search = request.param("search").unwrap_or("").to_lowercase();
    let limit = request
        .param("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(MAX_LIMIT)
        .clamp(1, MAX_LIMIT);
    let full = request.flag("full");
    let card = request.flag("cardData");
    let ids: Vec<&String> = corpus
        .models
        .keys()
        .filter(|id| author.is_none_or(|a| id.split('/').next() == Some(a)))
        .filter(|id| id.to_lowercase().contains(&search))
        .collect();
    let start = request
        .param("cursor")
        .and_then(|c| c.strip_prefix("page-"))
        .and_then(|c| c.parse::<usize>().ok())
        .unwrap_or(0);
    let page = ids.iter().skip(start).take(limit);
    let mut expand: Vec<&str> = request.params("expand");
    expand.extend(request.params("expand[]"));
    let mut items = Vec::new();
    if !expand.is_empty() {
        if let Some(bad) = expand.iter().find(|e| !EXPANDABLE.contains(e)) {
            return Response::error(
                400,
                "BadRequest",
                &format!("Invalid expand property: {bad}"),
            );
        }
        if full || card {
            return Response::error(
                400,
                "BadRequest",
                "expand cannot be combined with full or cardData",
            );
        }
        for id in page {
            let info = &corpus.models[*id].info;
            let mut item = json!({"_id": object_id(id, info), "id": id});
            for property in &expand {
                if *property == "siblings" {
                    if let Some(siblings) = info["siblings"].as_array() {
                        item["siblings"] = names_only(siblings);
                    }
                } else if let Some(value) = info.get(*property) {
                    item[*property] = value.clone();
                }
            }
            items.push(item);
        }
    } else {
        for id in page {
            let info = &corpus.models[*id].info;
            let mut item = json!({});
            for key in SHORT {
                if let Some(value) = info.get(*key) {
                    item[*key] = value.clone();
                }
            }
            item["id"] = json!(id);
            if full {
                for key in ["author", "sha", "lastModified", "gated", "disabled"] {
                    if let Some(value) = info.get(key) {
                        item[key] = value.clone();
                    }
                }
                item["siblings"] = match info["siblings"].as_array() {
                    Some(siblings) => names_only(siblings),
                    None => info.get("siblings").cloned().unwrap_or(json!([])),
                };
            }
            if card && let Some(data) = info.get("cardData") {
                item["cardData"] = data.clone();
            }
            items.push(item);
        }
    }
    let mut response = Response::json(200, &Value::Array(items));
    if start + limit < ids.len() {
        let mut query: Vec<String> = request
            .query
            .iter()
            .filter(|(k, _)| k != "cursor")
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        query.push(format!("cursor=page-{}", start + limit));
        let host = request.header("host").unwrap_or("127.0.0.1");
        response = response.with_header(
            "Link",
            &format!(
                "<http://{host}/api/models?{}>; rel=\"next\"",
                query.join("&")
            ),
        );
    }
    response
}

fn names_only(siblings: &[Value]) -> Value {
    siblings
        .iter()
        .map(|s| json!({"rfilename": s["rfilename"]}))
        .collect()
}

fn object_id(id: &str, info: &Value) -> Value {
    info.get("_id")
        .cloned()
        .unwrap_or_else(|| json!(format!("{:016x}{:08x}", fnv(id.as_bytes()), id.len())))
}

fn resolve(
    corpus: &Corpus,
    token: &str,
    request: &Request,
    id: &str,
    rev: &str,
    path: &str,
) -> Response {
    let Some(repo) = corpus.models.get(id) else {
        return not_found(id);
    };
    if rev != "main" && rev != repo.sha() {
        return Response::error(404, "RevisionNotFound", &format!("Invalid rev id: {rev}"));
    }
    if repo.gated && request.header("authorization") != Some(&format!("Bearer {token}")) {
        return Response::error(
            401,
            "GatedRepo",
            &format!(
                "Access to model {id} is restricted. You must have access to it and be authenticated to access it. Please log in."
            ),
        );
    }
    let Some(bytes) = repo.files.get(path) else {
        return Response::error(
            404,
            "EntryNotFound",
            &format!("{path} does not exist on \"{rev}\""),
        );
    };
    let etag = format!("\"{}\"", hex40(bytes));
    let not_modified = request.header("if-none-match") == Some(etag.as_str());
    let kind = if path.ends_with(".md") || path.ends_with(".txt") || path.contains("LICENSE") {
        "text/plain; charset=utf-8"
    } else {
        "application/octet-stream"
    };
    let status = if not_modified { 304 } else { 200 };
    let body = if not_modified {
        Vec::new()
    } else {
        bytes.clone()
    };
    Response::new(status, kind, body)
        .with_header("ETag", &etag)
        .with_header("X-Repo-Commit", repo.sha())
}
