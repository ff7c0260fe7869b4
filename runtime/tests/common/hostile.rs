//! A hostile HTTP/1.1 server on 127.0.0.1 for the client's tests: it reads each request whole,
//! counts it, and answers as the test scripts — any bytes, a dropped connection, a body that
//! never ends, or nothing at all. Every connection serves one request.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with request number `n` (1-based).
pub enum Reply {
    /// Writes these bytes, then closes.
    Bytes(Vec<u8>),
    /// Closes the connection without a byte.
    Close,
    /// `200` with a chunked body of `x`s that never ends (until the client goes away).
    Endless,
    /// Keeps the connection open and says nothing.
    Silent,
}

/// A running hostile server; stops when dropped.
pub struct Hostile {
    pub addr: SocketAddr,
    /// Requests read whole.
    pub requests: Arc<AtomicUsize>,
    /// Body bytes written by `Reply::Endless`.
    pub written: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Hostile {
    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts a server that answers request `n` with `reply(n)`.
pub async fn serve(reply: impl Fn(usize) -> Reply + Send + Sync + 'static) -> Hostile {
    serve_with(move |n, _| reply(n)).await
}

/// Starts a server that answers request `n`, whose bytes (head and body) are `request`,
/// with `reply(n, request)`.
pub async fn serve_with(reply: impl Fn(usize, &[u8]) -> Reply + Send + Sync + 'static) -> Hostile {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let requests = Arc::new(AtomicUsize::new(0));
    let written = Arc::new(AtomicU64::new(0));
    let reply = Arc::new(reply);
    let (count, bytes) = (requests.clone(), written.clone());
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (reply, count, bytes) = (reply.clone(), count.clone(), bytes.clone());
            tokio::spawn(async move {
                let _ = one(stream, &*reply, &count, &bytes).await;
            });
        }
    });
    Hostile {
        addr,
        requests,
        written,
        task,
    }
}

async fn one(
    mut stream: TcpStream,
    reply: &(dyn Fn(usize, &[u8]) -> Reply + Send + Sync),
    count: &AtomicUsize,
    written: &AtomicU64,
) -> std::io::Result<()> {
    let Some(request) = read_request(&mut stream).await? else {
        return Ok(());
    };
    let n = count.fetch_add(1, Ordering::SeqCst) + 1;
    match reply(n, &request) {
        Reply::Bytes(bytes) => {
            stream.write_all(&bytes).await?;
            stream.shutdown().await
        }
        Reply::Close => Ok(()),
        Reply::Silent => {
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
            Ok(())
        }
        Reply::Endless => {
            stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n")
                .await?;
            let chunk = vec![b'x'; 64 * 1024];
            let head = format!("{:x}\r\n", chunk.len());
            loop {
                stream.write_all(head.as_bytes()).await?;
                stream.write_all(&chunk).await?;
                stream.write_all(b"\r\n").await?;
                written.fetch_add(chunk.len() as u64, Ordering::SeqCst);
            }
        }
    }
}

/// Reads one request's head and its `content-length` body; `None` if the peer left first.
async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Vec<u8>>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(Some(buf))
}

/// The body of a request read by the server.
pub fn body_of(request: &[u8]) -> &str {
    let at = request
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(request.len(), |at| at + 4);
    std::str::from_utf8(&request[at..]).unwrap_or_default()
}

/// An HTTP/1.1 answer with `status`, extra `headers`, and `body` (with its length), closing
/// the connection.
pub fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut out = format!(
        "HTTP/1.1 {status} Whatever\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(body);
    Reply::Bytes(out.into_bytes())
}

/// A JSON answer.
pub fn json(status: u16, body: &str) -> Reply {
    answer(status, &[("content-type", "application/json")], body)
}
