//! A small static file server for `www/` (std only), used by `serve` and by the end-to-end test.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::thread;

/// A server running on a background thread.
pub struct Server {
    pub port: u16,
}

/// Binds 127.0.0.1:`port` (0 = any free port) and serves `dir` on a background thread.
pub fn spawn(dir: &Path, port: u16) -> Result<Server, String> {
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot bind 127.0.0.1:{port}: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let dir = dir.to_path_buf();
    thread::spawn(move || accept_loop(listener, dir));
    Ok(Server { port })
}

/// Serves `dir` on 127.0.0.1:`port` until the process is stopped (Ctrl-C).
pub fn serve_forever(dir: &Path, port: u16) -> Result<(), String> {
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        format!("cannot bind 127.0.0.1:{port}: {e} (is another server running? try `cargo xtask serve --port 8001`)")
    })?;
    println!("\ngradlab is served at http://127.0.0.1:{port}/  (Ctrl-C to stop)");
    accept_loop(listener, dir.to_path_buf());
    Ok(())
}

fn accept_loop(listener: TcpListener, dir: PathBuf) {
    for stream in listener.incoming().flatten() {
        let dir = dir.clone();
        thread::spawn(move || {
            let _ = handle(stream, &dir);
        });
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "csv" | "txt" | "dat" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn handle(mut stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Read the headers; only If-None-Match matters (revalidation of a cached file).
    let mut if_none_match = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("if-none-match") {
                if_none_match = Some(value.trim().to_string());
            }
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let path_part = target.split(['?', '#']).next().unwrap_or("/");
    let mut rel = PathBuf::new();
    for c in Path::new(path_part.trim_start_matches('/')).components() {
        match c {
            Component::Normal(p) => rel.push(p),
            _ => continue, // no "..", no absolute paths
        }
    }
    let mut file = dir.join(&rel);
    if file.is_dir() {
        // `/tutorial` → `/tutorial/`, so the page's relative links (`../embed.js`) resolve.
        if !path_part.ends_with('/') {
            let query = &target[path_part.len()..];
            let head = format!(
                "HTTP/1.1 301 Moved Permanently\r\nLocation: {path_part}/{query}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            stream.write_all(head.as_bytes())?;
            return stream.flush();
        }
        file = file.join("index.html");
    }
    // A validator from the file's size and modification time: browsers keep the files (wasm
    // included: Chromium caches its compiled code with it) and revalidate with a cheap 304.
    let etag = std::fs::metadata(&file).ok().map(|m| {
        let t = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        format!("\"{:x}-{:x}\"", m.len(), t)
    });
    if method == "GET" && etag.is_some() && if_none_match == etag {
        let head = format!(
            "HTTP/1.1 304 Not Modified\r\nETag: {}\r\nCache-Control: no-cache\r\nAccess-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n",
            etag.unwrap_or_default()
        );
        stream.write_all(head.as_bytes())?;
        return stream.flush();
    }
    let (status, body, ctype) = if method != "GET" && method != "HEAD" {
        (
            "405 Method Not Allowed",
            b"method not allowed".to_vec(),
            "text/plain",
        )
    } else {
        match std::fs::read(&file) {
            Ok(b) => ("200 OK", b, content_type(&file)),
            Err(_) => ("404 Not Found", b"not found".to_vec(), "text/plain"),
        }
    };
    let head = format!(
        // Any origin may load the files (an article elsewhere loads embed.js as a module script,
        // which needs CORS); everything here is public and static.
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\n{}Access-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n",
        body.len(),
        match (&etag, status) {
            (Some(e), "200 OK") => format!("ETag: {e}\r\n"),
            _ => String::new(),
        }
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}
