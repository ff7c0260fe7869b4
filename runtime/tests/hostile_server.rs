//! The client against hostile servers on 127.0.0.1 (issue 10): whatever a server answers —
//! an absurd `Date`, an endless body, a redirect, echoed secrets, terminal escapes, an
//! absurd `TimeLeft` — the client neither panics nor hangs nor leaks, and the next call on
//! the same `Client` works.

mod common;

use std::time::{Duration, Instant, SystemTime};

use aliyun_rpc::credentials::{EcsRamRoleProvider, RamRoleArnProvider};
use aliyun_rpc::limits::{CREDENTIALS_DOCUMENT_BYTES, DEFAULT_MAX_RESPONSE_BYTES};
use aliyun_rpc::{Client, ClientBuilder, Credentials, Error, Request, RetryPolicy};
use common::hostile::{answer, json, serve, Reply};

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
