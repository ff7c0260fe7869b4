//! The client against hostile servers on 127.0.0.1 (issue 10): whatever a server answers —
//! an absurd `Date`, an endless body, a redirect, echoed secrets, terminal escapes, an
//! absurd `TimeLeft` — the client neither panics nor hangs nor leaks, and the next call on
//! the same `Client` works.

mod common;

use std::time::{Duration, SystemTime};

use aliyun_rpc::{Client, Credentials, Error, Request, RetryPolicy};
use common::hostile::{json, serve};

/// A read: any JSON answer decodes.
#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeThings", response = serde_json::Value)]
struct DescribeThings {}

fn client_for(url: &str, retry: RetryPolicy) -> Client {
    Client::builder()
        .credentials(Credentials::new("testid", "testsecret"))
        .endpoint(url)
        .retry(retry)
        .build()
        .unwrap()
}

const EXPIRED: &str = r#"{"Code":"InvalidTimeStamp.Expired","Message":"Specified time stamp or date value is expired.","RequestId":"R-1"}"#;

/// Answers request 1 with `InvalidTimeStamp.Expired` and `Date: date`, every later one
/// with success.
async fn skewed_server(date: String) -> common::hostile::Hostile {
    serve(move |n| {
        if n == 1 {
            common::hostile::answer(400, &[("date", &date)], EXPIRED)
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
