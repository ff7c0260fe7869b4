//! A loopback proxy between a client and the emulator that records every request as it went
//! over the wire (request line, headers, body), and can change it on the way: to see where
//! params travel, and what the emulator says of a request changed after it was signed.
//!
//! One request per upstream connection (sent with `connection: close`), bounded in size and
//! time; the answer is relayed as it came.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as it crossed the proxy (before any change).
#[derive(Debug, Clone)]
pub struct Raw {
    /// `POST /?RegionId=cn-hangzhou HTTP/1.1`.
    pub request_line: String,
    /// Header names lower-cased, in the order sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Raw {
    /// The method.
    pub fn method(&self) -> &str {
        self.request_line.split(' ').next().unwrap_or_default()
    }

    /// The query string (after `?`), or `""`.
    pub fn query(&self) -> &str {
        let target = self.request_line.split(' ').nth(1).unwrap_or_default();
        target.split_once('?').map_or("", |(_, q)| q)
    }

    /// The names of the query's params, in order.
    pub fn query_names(&self) -> Vec<String> {
        names(self.query())
    }

    /// The names of the form body's params, in order.
    pub fn body_names(&self) -> Vec<String> {
        names(&String::from_utf8_lossy(&self.body))
    }

    /// The first value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn names(encoded: &str) -> Vec<String> {
    encoded
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').map_or(p, |(k, _)| k).to_owned())
        .collect()
}

/// Changes a request on its way (after it was recorded).
pub type Tamper = fn(&mut Raw);

/// A running proxy.
pub struct Wiretap {
    /// `http://127.0.0.1:PORT`: point the client here.
    pub endpoint: String,
    seen: Arc<Mutex<Vec<Raw>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Wiretap {
    /// Every request seen so far.
    pub fn seen(&self) -> Vec<Raw> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl Drop for Wiretap {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts a proxy to the emulator at `upstream` (`http://127.0.0.1:PORT`), changing each
/// request with `tamper`.
pub async fn start(upstream: &str, tamper: Option<Tamper>) -> Wiretap {
    let listener = match TcpListener::bind("127.0.0.1:0").await {
        Ok(l) => l,
        Err(e) => panic!("wiretap: {e}"),
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    let upstream = upstream.trim_start_matches("http://").to_owned();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let task = tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let (upstream, record) = (upstream.clone(), record.clone());
            tokio::spawn(async move {
                let _ = tokio::time::timeout(
                    Duration::from_secs(20),
                    serve(client, &upstream, &record, tamper),
                )
                .await;
            });
        }
    });
    Wiretap {
        endpoint: format!("http://127.0.0.1:{port}"),
        seen,
        task,
    }
}

/// Relays one request of a client connection over its own upstream connection, then closes.
async fn serve(
    mut client: TcpStream,
    upstream: &str,
    record: &Mutex<Vec<Raw>>,
    tamper: Option<Tamper>,
) -> Option<()> {
    let mut buffered = Vec::new();
    let mut raw = read_request(&mut client, &mut buffered).await?;
    if let Ok(mut seen) = record.lock() {
        seen.push(raw.clone());
    }
    if let Some(tamper) = tamper {
        tamper(&mut raw);
    }
    let mut out = format!("{}\r\n", raw.request_line);
    for (name, value) in &raw.headers {
        match name.as_str() {
            "connection" | "content-length" => {}
            _ => out.push_str(&format!("{name}: {value}\r\n")),
        }
    }
    out.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        raw.body.len()
    ));
    let mut up = TcpStream::connect(upstream).await.ok()?;
    up.write_all(out.as_bytes()).await.ok()?;
    up.write_all(&raw.body).await.ok()?;
    let mut answer = Vec::new();
    up.take(8 << 20).read_to_end(&mut answer).await.ok()?;
    // The answer says `connection: close`: the client opens a new connection next time.
    client.write_all(&answer).await.ok()?;
    client.shutdown().await.ok()
}

/// Reads one request: its head (up to 64 KiB) and a `content-length` body (up to 1 MiB).
async fn read_request(stream: &mut TcpStream, buffered: &mut Vec<u8>) -> Option<Raw> {
    let head_end = loop {
        if let Some(at) = buffered.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        if buffered.len() > 64 * 1024 {
            return None;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffered.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffered[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
        .min(1 << 20);
    let body_start = head_end + 4;
    while buffered.len() < body_start + length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffered.extend_from_slice(&chunk[..n]);
    }
    let body = buffered[body_start..body_start + length].to_vec();
    buffered.drain(..body_start + length);
    Some(Raw {
        request_line,
        headers,
        body,
    })
}
