//! Fault injection observed on the wire: failures, throttling, dropped connections,
//! latency, clock skew, and the nonce accounting around them.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use aliyun_rpc_emulator::{Emulator, LostAnswer};
use common::*;
use serde_json::json;
use time::OffsetDateTime;

const VERSION: &str = "2024-01-01";

fn regions() -> Vec<(String, String)> {
    common("DescribeRegions", "2014-05-26", "testid", "JSON")
}

#[tokio::test]
async fn fail_next_answers_aliyun_errors_without_recording_the_nonce() {
    let emulator = Emulator::builder()
        .faults(|f| {
            f.fail_next(2, "Throttling.User", 400);
        })
        .start()
        .await
        .unwrap();
    let params = signed("GET", regions(), "testsecret");
    let query = encode(&params);

    let json = get(emulator.endpoint(), &query)
        .await
        .assert_error(400, "Throttling.User");
    assert_eq!(
        json["Message"],
        "Request was denied due to user flow control."
    );
    assert!(json["Recommend"].as_str().unwrap().contains("&product=Ecs"));
    // The same request again (same nonce): still failed by the second injected fault.
    get(emulator.endpoint(), &query)
        .await
        .assert_error(400, "Throttling.User");
    // Faults used up: the failed attempts did not record the nonce, so it is accepted.
    let reply = get(emulator.endpoint(), &query).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    // Now it is recorded.
    get(emulator.endpoint(), &query)
        .await
        .assert_error(400, "SignatureNonceUsed");

    assert_eq!(emulator.faults_injected(), 2);
    assert_eq!(emulator.nonce_reuse_count(), 3, "every resend counts");
    assert_eq!(emulator.request_count(), 4);
    emulator.shutdown().await;
}

#[tokio::test]
async fn runtime_failures_in_xml_and_percentages() {
    let emulator = Emulator::start().await.unwrap();
    emulator.faults().fail_next(1, "ServiceUnavailable", 503);
    let mut params = regions();
    set(&mut params, "Format", "XML");
    let reply = call(emulator.endpoint(), params, "testsecret").await;
    assert_eq!(reply.status, 503);
    assert!(
        reply.body.contains("<Code>ServiceUnavailable</Code>"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("<HostId>"), "{}", reply.body);
    assert!(reply.body.contains("<Recommend>"), "{}", reply.body);

    emulator
        .faults()
        .seed(1)
        .fail_percent(100.0, "InternalError", 500);
    for _ in 0..3 {
        call(emulator.endpoint(), regions(), "testsecret")
            .await
            .assert_error(500, "InternalError");
    }
    emulator.faults().fail_percent(0.0, "InternalError", 500);
    let reply = call(emulator.endpoint(), regions(), "testsecret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(emulator.faults_injected(), 4);
    assert_eq!(emulator.nonce_reuse_count(), 0);
    emulator.shutdown().await;
}

#[tokio::test]
async fn throttle_sends_rate_limit_headers() {
    let emulator = Emulator::start().await.unwrap();
    emulator
        .faults()
        .throttle_next(1, Duration::from_millis(1500));
    let before_ms = (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as u128;
    let reply = call(emulator.endpoint(), regions(), "testsecret").await;
    let json = reply.assert_error(400, "Throttling.User");
    assert_eq!(
        json["Message"],
        "Request was denied due to user flow control."
    );
    for name in ["x-ratelimit-user-api", "x-ratelimit-user"] {
        let value = reply.header(name);
        assert!(value.starts_with("Limit:"), "{name}: {value}");
        assert!(
            value.contains(",Remain:0,TimeLeft:1500,Reset:"),
            "{name}: {value}"
        );
        let reset: u128 = value.rsplit("Reset:").next().unwrap().parse().unwrap();
        assert!(
            reset >= before_ms + 1500 && reset < before_ms + 60_000,
            "{value}"
        );
    }
    let reply = call(emulator.endpoint(), regions(), "testsecret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.headers.get("x-ratelimit-user-api").is_none());
    emulator.shutdown().await;
}

/// A GET whose outcome is a client-side error: the connection broke off.
async fn expect_broken(url: String) -> reqwest::Error {
    match client().get(url).send().await {
        Err(err) => err,
        Ok(response) => {
            assert_eq!(response.status(), 200, "a dropped response starts as a 200");
            let promised = response.content_length().expect("a Content-Length");
            match response.bytes().await {
                Err(err) => err,
                Ok(bytes) => panic!("got a whole body of {} / {promised} bytes", bytes.len()),
            }
        }
    }
}

#[tokio::test]
async fn dropped_connection_does_not_run_the_action() {
    let calls = Arc::new(AtomicU64::new(0));
    let counted = Arc::clone(&calls);
    let emulator = Emulator::builder()
        .handler(VERSION, "Create", move |_| {
            counted.fetch_add(1, Ordering::SeqCst);
            Ok(json!({ "Id": "x-1" }))
        })
        .faults(|f| {
            f.drop_next(2);
        })
        .start()
        .await
        .unwrap();

    let params = signed(
        "GET",
        common("Create", VERSION, "testid", "JSON"),
        "testsecret",
    );
    let url = format!("{}/?{}", emulator.endpoint(), encode(&params));
    let err = expect_broken(url.clone()).await;
    assert!(
        err.is_body() || err.is_request() || err.is_decode(),
        "{err:?}"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 0, "the action did not run");

    // CreateSecurityGroup is not executed either.
    let mut params = common("CreateSecurityGroup", "2014-05-26", "testid", "JSON");
    set(&mut params, "RegionId", "cn-hangzhou");
    let params = signed("GET", params, "testsecret");
    expect_broken(format!("{}/?{}", emulator.endpoint(), encode(&params))).await;
    assert_eq!(emulator.security_groups_created(), 0);

    // The retry (same nonce even) goes through: a dropped request records nothing.
    let reply = get(emulator.endpoint(), url.split_once('?').unwrap().1).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(emulator.faults_injected(), 2);
    assert_eq!(emulator.nonce_reuse_count(), 1);
    emulator.shutdown().await;
}

#[tokio::test]
async fn drop_percent_hundred_drops_everything() {
    let emulator = Emulator::start().await.unwrap();
    emulator.faults().drop_percent(100.0);
    for _ in 0..2 {
        let params = signed("GET", regions(), "testsecret");
        expect_broken(format!("{}/?{}", emulator.endpoint(), encode(&params))).await;
    }
    emulator.faults().clear();
    let reply = call(emulator.endpoint(), regions(), "testsecret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    emulator.shutdown().await;
}

#[tokio::test]
async fn latency_delays_answers() {
    let emulator = Emulator::builder()
        .faults(|f| {
            f.latency(Duration::from_millis(300));
        })
        .start()
        .await
        .unwrap();
    let started = Instant::now();
    let reply = call(emulator.endpoint(), regions(), "testsecret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        emulator.faults_injected(),
        0,
        "latency alone is not counted"
    );

    emulator.faults().latency(Duration::ZERO);
    let started = Instant::now();
    call(emulator.endpoint(), regions(), "testsecret").await;
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn clock_skew_expires_correct_timestamps_and_shows_in_date() {
    let emulator = Emulator::builder()
        .faults(|f| {
            f.clock_skew_secs(3600);
        })
        .start()
        .await
        .unwrap();
    let reply = call(emulator.endpoint(), regions(), "testsecret").await;
    reply.assert_error(400, "InvalidTimeStamp.Expired");
    let server_now = httpdate::parse_http_date(reply.header("date")).unwrap();
    let offset = server_now
        .duration_since(SystemTime::now())
        .expect("the Date header is ahead");
    assert!(
        (3590..=3610).contains(&offset.as_secs()),
        "offset {offset:?}"
    );

    // A client that corrects its clock from `Date` gets through.
    let mut params = regions();
    let corrected = OffsetDateTime::from(server_now);
    set(&mut params, "Timestamp", &timestamp(corrected));
    let reply = call(emulator.endpoint(), params, "testsecret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);

    // Runtime-settable, negative too.
    emulator.faults().clock_skew_secs(-3600);
    call(emulator.endpoint(), regions(), "testsecret")
        .await
        .assert_error(400, "InvalidTimeStamp.Expired");
    emulator.faults().clock_skew_secs(0);
    let reply = call(emulator.endpoint(), regions(), "testsecret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    emulator.shutdown().await;
}

#[tokio::test]
async fn nonce_reuse_is_counted_for_signed_requests_whatever_the_outcome() {
    let emulator = Emulator::start().await.unwrap();
    let params = regions();
    // Refused with a bad signature, then sent again correctly with the same nonce: the bad
    // one was nobody's request (issue 10 item 12: only verified nonces are remembered).
    let bad = signed("GET", params.clone(), "wrong-secret");
    get(emulator.endpoint(), &encode(&bad))
        .await
        .assert_error(400, "SignatureDoesNotMatch");
    let good = signed("GET", params, "testsecret");
    let reply = get(emulator.endpoint(), &encode(&good)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(emulator.nonce_reuse_count(), 0);
    // The signed request again: refused as a replay, and counted.
    get(emulator.endpoint(), &encode(&good))
        .await
        .assert_error(400, "SignatureNonceUsed");
    assert_eq!(emulator.nonce_reuse_count(), 1);
    // Fresh nonces never count.
    for _ in 0..3 {
        call(emulator.endpoint(), regions(), "testsecret").await;
    }
    assert_eq!(emulator.nonce_reuse_count(), 1);
    emulator.shutdown().await;
}

fn create_security_group(client_token: Option<&str>) -> Vec<(String, String)> {
    let mut params = common("CreateSecurityGroup", "2014-05-26", "testid", "JSON");
    set(&mut params, "RegionId", "cn-hangzhou");
    if let Some(token) = client_token {
        set(&mut params, "ClientToken", token);
    }
    signed("GET", params, "testsecret")
}

/// "Run, then lose the answer": the create happens (the group exists, the nonce is spent),
/// the client sees a broken connection; a retry with the same ClientToken creates nothing.
#[tokio::test]
async fn a_lost_answer_runs_the_action_then_drops_the_connection() {
    let emulator = Emulator::builder()
        .faults(|f| {
            f.lose_answer_next(1, LostAnswer::Drop);
        })
        .start()
        .await
        .unwrap();
    let params = create_security_group(Some("lost-answer-token-1"));
    let url = format!("{}/?{}", emulator.endpoint(), encode(&params));
    expect_broken(url).await;
    assert_eq!(emulator.security_groups_created(), 1, "the action ran");
    assert_eq!(emulator.faults_injected(), 1);

    // The same request again (same nonce): the nonce was spent by the executed call.
    get(emulator.endpoint(), &encode(&params))
        .await
        .assert_error(400, "SignatureNonceUsed");
    // A safe retry: new nonce, same ClientToken — answered, and still one group.
    let retry = create_security_group(Some("lost-answer-token-1"));
    let reply = get(emulator.endpoint(), &encode(&retry)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.json()["SecurityGroupId"]
        .as_str()
        .unwrap()
        .starts_with("sg-"));
    assert_eq!(emulator.security_groups_created(), 1);
    emulator.shutdown().await;
}

/// The 5xx modes: an error document after the action ran; an unsafe retry (no ClientToken)
/// creates a second group, which is what a client must not do.
#[tokio::test]
async fn a_lost_answer_can_be_a_5xx_after_the_action_ran() {
    let emulator = Emulator::start().await.unwrap();
    emulator
        .faults()
        .lose_answer_next(1, LostAnswer::ServiceUnavailable);
    let reply = get(emulator.endpoint(), &encode(&create_security_group(None))).await;
    let json = reply.assert_error(503, "ServiceUnavailable");
    assert_eq!(
        json["Message"],
        "The request has failed due to a temporary failure of the server."
    );
    assert_eq!(emulator.security_groups_created(), 1);

    emulator
        .faults()
        .seed(9)
        .lose_answer_percent(100.0, LostAnswer::InternalError);
    for created in 2..=3 {
        let reply = get(emulator.endpoint(), &encode(&create_security_group(None))).await;
        reply.assert_error(500, "InternalError");
        assert_eq!(emulator.security_groups_created(), created);
    }
    // A request refused before its action does not run it and is answered as usual.
    let bad = {
        let mut params = create_security_group(None);
        set(&mut params, "Signature", "bogus");
        params
    };
    get(emulator.endpoint(), &encode(&bad))
        .await
        .assert_error(400, "SignatureDoesNotMatch");
    emulator.faults().clear();
    let reply = get(emulator.endpoint(), &encode(&create_security_group(None))).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(emulator.security_groups_created(), 4);
    assert_eq!(emulator.faults_injected(), 3);
    emulator.shutdown().await;
}
