//! Just enough HTTP/1.1 for a loopback test server: requests without bodies (GET, HEAD),
//! keep-alive, responses with a `Content-Length`.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;

/// Largest request head accepted (request line and headers).
const MAX_HEAD: usize = 64 * 1024;

/// A request as the server reads it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// The path, percent-decoded.
    pub path: String,
    /// The raw target: path and query as sent.
    pub target: String,
    /// Query pairs in order, decoded (`+` is a space).
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a query parameter.
    pub fn params(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.params(name).first().copied()
    }

    /// A boolean query flag as the Hub reads it.
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.param(name), Some("true" | "True" | "1"))
    }
}

/// A response to write.
#[derive(Clone, Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body,
        }
    }

    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        Response::new(
            status,
            "application/json",
            serde_json::to_vec(value).unwrap(),
        )
    }

    /// The Hub's error shape: a JSON body and the `X-Error-Code` / `X-Error-Message` headers.
    pub fn error(status: u16, code: &str, message: &str) -> Response {
        Response::json(status, &serde_json::json!({ "error": message }))
            .with_header("X-Error-Code", code)
            .with_header("X-Error-Message", message)
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// Reads one request; `None` when the peer closed the connection or sent something else.
pub fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut head = Vec::new();
    loop {
        let mut line = Vec::new();
        let n = reader.read_until(b'\n', &mut line).ok()?;
        if n == 0 {
            return None;
        }
        if line == b"\r\n" || line == b"\n" {
            if head.is_empty() {
                continue;
            }
            break;
        }
        head.push(String::from_utf8_lossy(&line).trim_end().to_owned());
        if head.iter().map(String::len).sum::<usize>() > MAX_HEAD {
            return None;
        }
    }
    let mut parts = head.first()?.split(' ');
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let headers: Vec<(String, String)> = head[1..]
        .iter()
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            Some((k.trim().to_owned(), v.trim().to_owned()))
        })
        .collect();
    let (raw_path, raw_query) = target.split_once('?').unwrap_or((&target, ""));
    let query = raw_query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k, true), decode(v, true))
        })
        .collect();
    Some(Request {
        method,
        path: decode(raw_path, false),
        target: target.clone(),
        query,
        headers,
    })
}

/// Writes a response (no body for `HEAD`, nor for 304).
pub fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    head_only: bool,
) -> std::io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (k, v) in &response.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", response.body.len()));
    let mut bytes = out.into_bytes();
    if !head_only && response.status != 304 {
        bytes.extend_from_slice(&response.body);
    }
    stream.write_all(&bytes)?;
    stream.flush()
}

/// Writes the head of `response` with its full `Content-Length`, then only half its body, and
/// closes: a transfer cut short.
pub fn write_truncated(stream: &mut TcpStream, response: &Response) {
    let mut cut = response.clone();
    let half = cut.body.len() / 2;
    let mut out = format!("HTTP/1.1 {} {}\r\n", cut.status, reason(cut.status));
    for (k, v) in &cut.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", cut.body.len()));
    cut.body.truncate(half);
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.write_all(&cut.body);
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// Percent-decoding (and `+` as a space in a query).
pub fn decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' if plus_is_space => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encoding of a query value.
pub fn encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[test]
fn decodes_paths_and_queries() {
    assert_eq!(decode("a%2Fb+c", true), "a/b c");
    assert_eq!(decode("a%2Fb+c", false), "a/b+c");
    assert_eq!(decode("100%", false), "100%");
    assert_eq!(decode("%41", false), "A");
}
