//! Connections that never finish: slow heads (slowloris), bodies that never end, idle
//! floods. Each is closed within its timeout, and signed calls keep being answered. Raw TCP,
//! over loopback, every wait bounded.

mod common;

use std::time::{Duration, Instant};

use aliyun_rpc_emulator::Emulator;
use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn regions() -> Vec<(String, String)> {
    common("DescribeRegions", "2014-05-26", "testid", "JSON")
}

async fn connect(emulator: &Emulator) -> TcpStream {
    TcpStream::connect(emulator.local_addr()).await.unwrap()
}

/// Reads until the server closes the connection (or `limit` passes, which fails the test):
/// what it sent, and when it closed.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (Vec<u8>, Instant) {
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Err(_) => panic!(
                "still open after {limit:?}; received {:?}",
                String::from_utf8_lossy(&received)
            ),
            Ok(Ok(0)) | Ok(Err(_)) => return (received, Instant::now()),
            Ok(Ok(n)) => received.extend_from_slice(&buf[..n]),
        }
    }
}

/// A head sent one byte every 100 ms used to hold its connection forever.
#[tokio::test]
async fn a_slowloris_head_is_cut_at_the_header_timeout() {
    let timeout = Duration::from_millis(600);
    let emulator = Emulator::builder()
        .header_read_timeout(timeout)
        .start()
        .await
        .unwrap();
    let mut stream = connect(&emulator).await;
    let started = Instant::now();
    stream
        .write_all(b"GET /?Action=DescribeRegions HTTP/1.1\r\n")
        .await
        .unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let drip = tokio::spawn(async move {
        for byte in b"X-Slow: ".iter().cycle().take(100) {
            if writer.write_all(&[*byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let mut sink = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), reader.read_to_end(&mut sink)).await;
    let took = started.elapsed();
    assert!(read.is_ok(), "the connection is still open after 5 s");
    assert!(
        took >= timeout - Duration::from_millis(100),
        "closed after {took:?}"
    );
    assert!(took < timeout * 3, "closed after {took:?}");
    drip.abort();

    // Signed calls are answered all along.
    let reply = call(emulator.endpoint(), regions(), "testsecret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    emulator.shutdown().await;
}

/// An idle keep-alive connection is closed after the same timeout, counted from the answer.
#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let timeout = Duration::from_millis(600);
    let emulator = Emulator::builder()
        .header_read_timeout(timeout)
        .start()
        .await
        .unwrap();
    let mut stream = connect(&emulator).await;
    stream
        .write_all(b"GET /favicon.ico HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).await.unwrap();
    assert_eq!(&head, b"HTTP/1.1 404");
    let answered = Instant::now();
    let (_, closed) = read_until_closed(&mut stream, Duration::from_secs(5)).await;
    let idle = closed - answered;
    assert!(
        idle >= timeout - Duration::from_millis(100),
        "closed after {idle:?}"
    );
    assert!(idle < timeout * 3, "closed after {idle:?}");
    emulator.shutdown().await;
}

/// A chunked body that never ends used to hold its connection (and its task) forever.
#[tokio::test]
async fn a_never_ending_chunked_body_is_cut_at_the_body_timeout() {
    let timeout = Duration::from_millis(600);
    let emulator = Emulator::builder()
        .body_read_timeout(timeout)
        .start()
        .await
        .unwrap();
    let stream = connect(&emulator).await;
    let (mut reader, mut writer) = stream.into_split();
    writer
        .write_all(
            b"POST /?Format=JSON HTTP/1.1\r\nHost: x\r\n\
              Content-Type: application/x-www-form-urlencoded\r\n\
              Transfer-Encoding: chunked\r\n\r\n",
        )
        .await
        .unwrap();
    let started = Instant::now();
    let feed = tokio::spawn(async move {
        // A chunk every 50 ms, for at most 10 s.
        for _ in 0..200 {
            if writer.write_all(b"2\r\nA=\r\n").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    let mut received = Vec::new();
    let read =
        tokio::time::timeout(Duration::from_secs(5), reader.read_to_end(&mut received)).await;
    let took = started.elapsed();
    feed.abort();
    assert!(read.is_ok(), "the connection is still open after 5 s");
    let text = String::from_utf8_lossy(&received);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains(r#""Code":"RequestTimeout""#), "{text}");
    assert!(
        took >= timeout - Duration::from_millis(100),
        "answered after {took:?}"
    );
    assert!(took < timeout * 4, "answered after {took:?}");
    emulator.shutdown().await;
}

/// 20,000 idle connections used to exhaust the file descriptors, and signed calls timed
/// out. Now at most `max_connections` are served at once, idle ones are closed at the
/// header timeout, and a signed call gets through behind them.
#[tokio::test]
async fn idle_connections_beyond_the_limit_do_not_stop_signed_calls() {
    let timeout = Duration::from_millis(500);
    let emulator = Emulator::builder()
        .max_connections(4)
        .header_read_timeout(timeout)
        .start()
        .await
        .unwrap();
    let mut idle = Vec::new();
    for _ in 0..12 {
        idle.push(connect(&emulator).await);
    }
    let started = Instant::now();
    let reply = tokio::time::timeout(
        Duration::from_secs(10),
        call(emulator.endpoint(), regions(), "testsecret"),
    )
    .await
    .expect("answered within 10 s");
    assert_eq!(reply.status, 200, "{}", reply.body);
    // Behind 12 idle connections, 4 at a time, each closed after 0.5 s: about 1.5 s.
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // Every idle connection was closed by the server.
    for stream in &mut idle {
        read_until_closed(stream, Duration::from_secs(5)).await;
    }
    emulator.shutdown().await;
}

/// Below the limit, calls on many connections at once are all answered.
#[tokio::test]
async fn concurrent_calls_up_to_the_limit_are_answered() {
    let emulator = Emulator::builder()
        .max_connections(8)
        .start()
        .await
        .unwrap();
    let endpoint = emulator.endpoint().to_owned();
    let calls: Vec<_> = (0..24)
        .map(|_| {
            let endpoint = endpoint.clone();
            tokio::spawn(async move { call(&endpoint, regions(), "testsecret").await.status })
        })
        .collect();
    for answered in calls {
        assert_eq!(answered.await.unwrap(), 200);
    }
    emulator.shutdown().await;
}
