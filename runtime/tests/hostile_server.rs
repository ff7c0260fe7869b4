//! The client against hostile servers on 127.0.0.1 (issue 10): whatever a server answers —
//! an absurd `Date`, an endless body, a redirect, echoed secrets, terminal escapes, an
//! absurd `TimeLeft` — the client neither panics nor hangs nor leaks, and the next call on
//! the same `Client` works.

mod common;

use std::time::{Duration, Instant, SystemTime};

use aliyun_rpc::credentials::{EcsRamRoleProvider, RamRoleArnProvider};
use aliyun_rpc::limits::{CREDENTIALS_DOCUMENT_BYTES, DEFAULT_MAX_RESPONSE_BYTES};
use aliyun_rpc::{Client, ClientBuilder, Credentials, Error, Request, RetryPolicy};
use common::hostile::{answer, body_of, json, serve, serve_with, Reply};

/// A read: any JSON answer decodes.
#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeThings", response = serde_json::Value)]
struct DescribeThings {}

fn builder_for(url: &str, retry: RetryPolicy) -> ClientBuilder {
    Client::builder()
        .credentials(Credentials::new("testid", "testsecret"))
        .endpoint(url)
        .retry(retry)
}

fn client_for(url: &str, retry: RetryPolicy) -> Client {
    builder_for(url, retry).build().unwrap()
}

const EXPIRED: &str = r#"{"Code":"InvalidTimeStamp.Expired","Message":"Specified time stamp or date value is expired.","RequestId":"R-1"}"#;

/// Answers request 1 with `InvalidTimeStamp.Expired` and `Date: date`, every later one
/// with success.
async fn skewed_server(date: String) -> common::hostile::Hostile {
    serve(move |n| {
        if n == 1 {
            answer(400, &[("date", &date)], EXPIRED)
        } else {
            json(200, r#"{"RequestId":"R-ok"}"#)
        }
    })
    .await
}

/// A `Date` in the year 9999 or 1900, or garbage, is not believed: the error comes back as
/// it came, and the next call on the same client works (it used to panic for good).
#[tokio::test]
async fn an_absurd_server_date_never_breaks_the_client() {
    let far = |secs: u64| httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(secs));
    for date in [
        "Fri, 31 Dec 9999 23:59:59 GMT".to_owned(),
        "Mon, 01 Jan 1900 00:00:00 GMT".to_owned(),
        "Thu, 01 Jan 1970 00:00:00 GMT".to_owned(),
        "not a date".to_owned(),
        far(25 * 3600),
    ] {
        let server = skewed_server(date.clone()).await;
        let client = client_for(&server.url(), RetryPolicy::default());
        match client.call(&DescribeThings {}).await {
            Err(e) => {
                assert_eq!(e.code(), Some("InvalidTimeStamp.Expired"), "{date}: {e}");
                assert_eq!(e.attempts(), 1, "{date}");
            }
            Ok(v) => panic!("{date}: {v}"),
        }
        assert_eq!(client.clock_offset(), time::Duration::ZERO, "{date}");
        assert_eq!(
            client
                .call(&DescribeThings {})
                .await
                .ok()
                .map(|v| v["RequestId"].clone()),
            Some("R-ok".into()),
            "{date}"
        );
        assert_eq!(server.requests(), 2, "{date}");
    }
}

/// A `Date` just inside the bound is believed, and calls keep working with it.
#[tokio::test]
async fn a_date_at_the_bound_is_corrected_for() -> Result<(), Error> {
    let ahead = aliyun_rpc::limits::MAX_CLOCK_SKEW - Duration::from_secs(60);
    let server = skewed_server(httpdate::fmt_http_date(SystemTime::now() + ahead)).await;
    let client = client_for(&server.url(), RetryPolicy::none());
    client.call(&DescribeThings {}).await?;
    let learnt = client.clock_offset().whole_seconds();
    let expected = i64::try_from(ahead.as_secs()).unwrap_or(i64::MAX);
    assert!((expected - 2..=expected + 1).contains(&learnt), "{learnt}");
    client.call(&DescribeThings {}).await?;
    assert_eq!(server.requests(), 3);
    Ok(())
}

/// An endless chunked body stops the call at the limit, at once, whatever the limit: the
/// client's own (1 MiB here), the default (16 MiB), and the fixed one of credentials
/// documents (STS through its client, the metadata service). Before, the client read until
/// the attempt timeout, growing to gigabytes.
#[tokio::test]
async fn an_endless_body_stops_at_the_limit() {
    for limit in [1024 * 1024, DEFAULT_MAX_RESPONSE_BYTES] {
        let server = serve(|_| Reply::Endless).await;
        let client = builder_for(&server.url(), RetryPolicy::default())
            .max_response_bytes(limit)
            .build()
            .unwrap();
        let started = Instant::now();
        let err = client.call(&DescribeThings {}).await.err().unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        assert!(
            matches!(err, Error::ResponseTooLarge { limit: l, http_status: 200, .. } if l == limit),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .contains(&format!("exceeds the limit of {limit} bytes")),
            "{err}"
        );
        assert_eq!((err.attempts(), err.is_retryable()), (1, false));
        assert_eq!(server.requests(), 1, "not retried");
        // What the server got out before the client went away: the limit, plus what the
        // socket buffers held.
        let written = server.written.load(std::sync::atomic::Ordering::SeqCst);
        assert!(written < (limit + 32 * 1024 * 1024) as u64, "{written}");
    }

    // A `Content-Length` past the limit fails before a byte of the body is read.
    let server = serve(|_| {
        Reply::Bytes(b"HTTP/1.1 200 OK\r\ncontent-length: 99999999999\r\n\r\n{}".to_vec())
    })
    .await;
    let client = builder_for(&server.url(), RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.call(&DescribeThings {}).await.err().unwrap();
    assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err:?}");

    // Credentials documents.
    let server = serve(|_| Reply::Endless).await;
    let imds = EcsRamRoleProvider::new()
        .endpoint(server.url())
        .role_name("EcsRole");
    let err = imds.fetch().await.err().unwrap().to_string();
    assert!(
        err.contains(&format!(
            "exceeds the limit of {CREDENTIALS_DOCUMENT_BYTES} bytes"
        )),
        "{err}"
    );
    let sts = RamRoleArnProvider::builder(
        Credentials::new("testid", "testsecret"),
        "acs:ram::1:role/r",
    )
    .sts_endpoint(server.url())
    .build()
    .unwrap();
    let err = sts.fetch().await.err().unwrap().to_string();
    assert!(
        err.contains(&format!(
            "exceeds the limit of {CREDENTIALS_DOCUMENT_BYTES} bytes"
        )),
        "{err}"
    );
}

/// A 3xx is never followed: the other server receives nothing, and the error names the
/// status and where it pointed (without its query). Before, the signed request was sent
/// again to the other host, and its answer taken as the API's.
#[tokio::test]
async fn redirects_are_not_followed() {
    let elsewhere = serve(|_| json(200, r#"{"RequestId":"R-elsewhere"}"#)).await;
    for status in [301, 302, 303, 307, 308] {
        for method in [aliyun_rpc::Method::Post, aliyun_rpc::Method::Get] {
            let target = format!("{}/?AccessKeyId=x&SecurityToken=y", elsewhere.url());
            let redirector = serve(move |_| answer(status, &[("location", &target)], "")).await;
            let client = builder_for(&redirector.url(), RetryPolicy::default())
                .method(method)
                .build()
                .unwrap();
            let err = client.call(&DescribeThings {}).await.err().unwrap();
            let shown = err.to_string();
            assert!(
                matches!(err, Error::Redirect { http_status, .. } if http_status == status),
                "{err:?}"
            );
            assert_eq!(
                err.location(),
                Some(format!("{}/?…", elsewhere.url()).as_str())
            );
            assert!(
                shown.contains(&format!(
                    "answered http {status}, a redirect to `{}/?…`",
                    elsewhere.url()
                )),
                "{shown}"
            );
            assert!(!shown.contains("SecurityToken"), "{shown}");
            assert!(!err.is_retryable());
            assert_eq!(redirector.requests(), 1, "{status} {method:?}: not retried");
        }
    }
    assert_eq!(elsewhere.requests(), 0, "the other server received nothing");

    // The metadata service's client does not follow either.
    let redirector = serve({
        let target = elsewhere.url();
        move |_| answer(307, &[("location", &target)], "")
    })
    .await;
    let imds = EcsRamRoleProvider::new()
        .endpoint(redirector.url())
        .role_name("EcsRole");
    let err = imds.fetch().await.err().unwrap().to_string();
    assert!(
        err.contains("answered http 307 (a redirect, which is not followed)"),
        "{err}"
    );
    assert_eq!(elsewhere.requests(), 0);
}

const TOKEN: &str = "CAISq1w2e3r4/t5y6u7i8+o9p0ZxCvBnM/lk==";
const SECRET: &str = "testsecret-Zq9Xw8Yv7";

/// Undoes every encoding a server could echo a secret in: Debug's `\\`, JSON's `\/` and
/// `\u00XX`, and percent-encoding three times over.
fn decoded(shown: &str) -> String {
    let mut s = shown.replace("\\\\", "\\").replace("\\/", "/");
    while let Some(at) = s.to_ascii_lowercase().find("\\u00") {
        let hex = s
            .get(at + 4..at + 6)
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        let ch = hex.map_or('?', char::from);
        s.replace_range(at..(at + 6).min(s.len()), &ch.to_string());
    }
    for _ in 0..3 {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let hex = (bytes[i] == b'%')
                .then(|| s.get(i + 1..i + 3))
                .flatten()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match hex {
                Some(b) => {
                    out.push(b);
                    i += 3;
                }
                None => {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
        }
        s = String::from_utf8_lossy(&out).into_owned();
    }
    s
}

/// Fails if `shown`, decoded, holds 8 bytes in a row of the token or the secret.
fn assert_no_secret(shown: &str, what: &str) {
    let plain = decoded(shown);
    for secret in [TOKEN, SECRET] {
        for window in secret.as_bytes().windows(8) {
            let window = std::str::from_utf8(window).unwrap_or_default();
            assert!(
                !plain.contains(window),
                "{what}: `{window}` shows in {shown}"
            );
        }
    }
}

/// A read whose answer has a number.
#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeCount", response = Count)]
struct DescribeCount {}

#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
struct Count {
    count: u32,
}

/// A server that echoes the security token and the secret back — raw, percent-encoded once or
/// twice in either case, with JSON `\/` escapes, partly encoded, cut at 512 bytes, in a body
/// that does not decode, in a `SignatureDoesNotMatch` — gets none of them into `Display` or
/// `Debug` of the error. (Before, lower-case hex, `\/`, partial encodings and cut echoes got
/// through, and the secret was not looked for at all.)
#[tokio::test]
async fn echoed_secrets_never_reach_display_or_debug() {
    // Percent-encoded with lower-case hex digits.
    let lower = aliyun_rpc::signing::percent_encode(TOKEN)
        .split('%')
        .enumerate()
        .map(|(i, part)| match (i, part.get(..2)) {
            (0, _) | (_, None) => part.to_owned(),
            (_, Some(hex)) => format!("%{}{}", hex.to_ascii_lowercase(), &part[2..]),
        })
        .collect::<String>();
    assert!(lower.contains("%2f"), "{lower}");
    let twice = aliyun_rpc::signing::percent_encode(&aliyun_rpc::signing::percent_encode(TOKEN));
    let json_escaped = TOKEN.replace('/', "\\\\/");
    let partly = TOKEN.replacen('/', "%2f", 1).replacen('+', "%2B", 1);
    let cut_html = format!("<html>{}{TOKEN}</html>", "x".repeat(490));
    let server = serve_with(move |n, request| match n {
        1 => json(
            403,
            &format!(
                r#"{{"Code":"Forbidden.{partly}","Message":"token {lower} or {json_escaped}, secret {SECRET}","RequestId":"{twice}","HostId":"{TOKEN}","Recommend":"https://x/?t={lower}"}}"#
            ),
        ),
        2 => answer(502, &[("content-type", "text/html")], &cut_html),
        3 => json(200, &format!(r#"{{"RequestId":"R","Count":"{TOKEN}"}}"#)),
        _ => {
            // The server's string to sign is ours: the token in it double-encoded.
            let body = body_of(request);
            let unsigned: Vec<&str> =
                body.split('&').filter(|p| !p.starts_with("Signature=")).collect();
            let string_to_sign = format!(
                "POST&%2F&{}",
                aliyun_rpc::signing::percent_encode(&unsigned.join("&"))
            );
            json(
                400,
                &format!(
                    r#"{{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"}}"#
                ),
            )
        }
    })
    .await;
    let creds = Credentials::new("STS.testid", SECRET).with_security_token(TOKEN);
    let client = builder_for(&server.url(), RetryPolicy::none())
        .credentials(creds)
        .build()
        .unwrap();

    for n in 1..=4 {
        let err = if n == 3 {
            client.call(&DescribeCount {}).await.err()
        } else {
            client.call(&DescribeThings {}).await.err()
        };
        let err = err.unwrap();
        assert_no_secret(&err.to_string(), &format!("answer {n}, Display"));
        assert_no_secret(&format!("{err:?}"), &format!("answer {n}, Debug"));
        let mut source = std::error::Error::source(&err);
        while let Some(s) = source {
            assert_no_secret(&s.to_string(), &format!("answer {n}, source"));
            source = s.source();
        }
        match n {
            1 => {
                let api = err.as_api().unwrap();
                assert!(
                    api.message().starts_with(
                        "token ** redacted ** or ** redacted **, secret ** redacted **"
                    ),
                    "{err}"
                );
                assert_eq!(api.request_id(), Some("** redacted **"));
            }
            2 => assert!(
                err.as_api().unwrap().message().ends_with("x** redacted **"),
                "{err}"
            ),
            3 => assert!(matches!(err, Error::Decode { .. }), "{err:?}"),
            _ => assert!(
                matches!(
                    err.as_api().and_then(|a| a.signature_mismatch()),
                    Some(aliyun_rpc::error::SignatureMismatch::SameStringToSign)
                ),
                "{err:?}"
            ),
        }
    }
}

/// A server's text is bounded and cannot drive a terminal: a code and a message with ANSI
/// escapes, newlines, DEL and C1 controls, and a message of 100 KiB, give an error whose
/// `Display` shows them escaped on one line, with the message cut to 1 KiB. (Before, they
/// reached the terminal as they were, whatever their length.)
#[tokio::test]
async fn server_text_is_bounded_and_escaped() {
    let long = "y".repeat(100 * 1024);
    let server = serve(move |n| match n {
        1 => json(
            400,
            r#"{"Code":"Evil\u001b[31m\nCode","Message":"red \u001b[31malert\u001b[0m\nfake: line\r\u007f\u0085\u202e","RequestId":"R\nX","Recommend":"https://x/\u001b]8;;evil"}"#,
        ),
        2 => json(400, &format!(r#"{{"Code":"{long}","Message":"{long}"}}"#)),
        3 => answer(502, &[("content-type", "text/plain")], "bad\u{1b}[2J gateway\n"),
        _ => answer(200, &[("content-type", "application/json")], "\u{1b}[31m\nnot json"),
    })
    .await;
    let client = client_for(&server.url(), RetryPolicy::none());

    let err = client.call(&DescribeThings {}).await.err().unwrap();
    let shown = err.to_string();
    assert_eq!(
        shown,
        r"Evil\u{1b}[31m\nCode (http 400): red \u{1b}[31malert\u{1b}[0m\nfake: line\r\u{7f}\u{85}\u{202e}; request id R\nX; recommend https://x/\u{1b}]8;;evil"
    );
    let api = err.as_api().unwrap();
    assert_eq!(
        api.code(),
        "Evil\u{1b}[31m\nCode",
        "the accessors give the text as it came"
    );

    let err = client.call(&DescribeThings {}).await.err().unwrap();
    let api = err.as_api().unwrap();
    assert!(api.message().len() <= aliyun_rpc::limits::MAX_MESSAGE_BYTES);
    assert!(api.message().ends_with("yyy…"), "{}", api.message());
    assert!(api.code().len() <= aliyun_rpc::limits::MAX_CODE_BYTES);
    assert!(
        err.to_string().len() < 2 * 1024,
        "{}",
        err.to_string().len()
    );

    let err = client.call(&DescribeThings {}).await.err().unwrap();
    assert_eq!(
        err.to_string(),
        r"Http502 (http 502): bad\u{1b}[2J gateway\n"
    );
}

const THROTTLED: &str =
    r#"{"Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#;

/// A server's `TimeLeft` is capped by the policy's `max_delay`: with the deadline off,
/// `TimeLeft:999999999` or `u64::MAX` waits 50 ms, not days. With a deadline the wait cannot
/// fit in, the call fails at once and says why.
#[tokio::test]
async fn a_servers_wait_is_capped_and_never_outlives_the_deadline() {
    for time_left in ["999999999", "18446744073709551615"] {
        let header = format!("Limit:1,Remain:0,TimeLeft:{time_left},Reset:1");
        let server = serve(move |n| match n {
            1 => answer(400, &[("x-ratelimit-user-api", &header)], THROTTLED),
            _ => json(200, r#"{"RequestId":"R-ok"}"#),
        })
        .await;
        let policy = RetryPolicy::default()
            .base_delay(Duration::from_millis(1))
            .max_delay(Duration::from_millis(50))
            .no_total_timeout();
        let client = client_for(&server.url(), policy);
        let started = Instant::now();
        let called = tokio::time::timeout(Duration::from_secs(10), client.call(&DescribeThings {}));
        let answer = called
            .await
            .expect("the client slept as long as the server said");
        assert!(answer.is_ok(), "{answer:?}");
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_millis(50),
            "{time_left}: {waited:?}"
        );
        assert!(waited < Duration::from_secs(2), "{time_left}: {waited:?}");
        assert_eq!(server.requests(), 2);
    }

    // A wait that cannot fit in what is left of the deadline fails the call at once.
    let server = serve(|_| {
        answer(
            400,
            &[(
                "x-ratelimit-user-api",
                "Limit:1,Remain:0,TimeLeft:5000,Reset:1",
            )],
            THROTTLED,
        )
    })
    .await;
    let policy = RetryPolicy::default().total_timeout(Duration::from_millis(300));
    let client = client_for(&server.url(), policy);
    let started = Instant::now();
    let err = client.call(&DescribeThings {}).await.err().unwrap();
    assert!(
        started.elapsed() < Duration::from_millis(250),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests(), 1);
    assert_eq!(
        err.not_retried(),
        Some(aliyun_rpc::error::NotRetried::Deadline {
            wait: Duration::from_secs(5)
        })
    );
    assert!(
        err.to_string().ends_with(
            "; not retried: the next attempt would start after 5s, past the call's deadline"
        ),
        "{err}"
    );
}
