//! Hostile clients: floods of params, oversized bodies, and what they must not stop —
//! signed calls being answered. Every loop here is bounded in count and time.

mod common;

use std::time::{Duration, Instant};

use aliyun_rpc_emulator::{
    Emulator, MAX_CLOCK_SKEW_SECS, MAX_NONCE_LEN, MAX_PARAMS, STRING_TO_SIGN_ECHO_LIMIT,
};
use common::*;

fn regions() -> Vec<(String, String)> {
    common("DescribeRegions", "2014-05-26", "testid", "JSON")
}

/// `K0=v&K1=v&…` with `n` distinct keys, then `Format=JSON` (so the refusal is in JSON).
fn flood(n: usize) -> String {
    let mut body: String = (0..n).map(|i| format!("K{i}=v&")).collect();
    body.push_str("Format=JSON");
    body
}

/// 100,000 distinct keys (about 900 KiB) took 21 s to decode: the de-duplication compared
/// each key with every earlier one, before any check. Now the decoder stops at the limit.
#[tokio::test]
async fn a_100_000_key_form_post_is_refused_fast() {
    let emulator = Emulator::start().await.unwrap();
    let body = flood(100_000);
    assert!(body.len() < 1024 * 1024, "{} bytes", body.len());
    let started = Instant::now();
    let reply = post(emulator.endpoint(), "Format=JSON", &body).await;
    let took = started.elapsed();
    let json = reply.assert_error(400, "InvalidParameter");
    assert_eq!(
        json["Message"],
        format!("The request carries more than {MAX_PARAMS} parameters.")
    );
    assert!(took < Duration::from_secs(1), "took {took:?}");
    emulator.shutdown().await;
}

#[tokio::test]
async fn exactly_max_params_are_accepted() {
    // DescribeRegions declares none of the `Extra{i}` params: schema mode would refuse them.
    let emulator = Emulator::builder()
        .allow_undeclared_params(true)
        .start()
        .await
        .unwrap();
    let mut params = regions();
    let business = MAX_PARAMS - params.len() - 1; // and the Signature
    for i in 0..business {
        params.push((format!("Extra{i}"), "v".to_owned()));
    }
    let params = signed("POST", params, "testsecret");
    assert_eq!(params.len(), MAX_PARAMS);
    let reply = post(emulator.endpoint(), "", &encode(&params)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    emulator.shutdown().await;
}

#[tokio::test]
async fn signed_calls_are_answered_during_a_flood() {
    let emulator = Emulator::start().await.unwrap();
    let endpoint = emulator.endpoint().to_owned();
    let body = flood(100_000);
    let flooders: Vec<_> = (0..4)
        .map(|_| {
            let (endpoint, body) = (endpoint.clone(), body.clone());
            tokio::spawn(async move {
                for _ in 0..5 {
                    let reply = post(&endpoint, "", &body).await;
                    assert_eq!(reply.status, 400);
                }
            })
        })
        .collect();
    for _ in 0..5 {
        let started = Instant::now();
        let reply = call(&endpoint, regions(), "testsecret").await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
    }
    for flooder in flooders {
        flooder.await.unwrap();
    }
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_before_the_checks() {
    // DescribeRegions does not declare `Big`: schema mode would refuse it.
    let emulator = Emulator::builder()
        .max_body_bytes(1000)
        .allow_undeclared_params(true)
        .start()
        .await
        .unwrap();
    let mut params = regions();
    params.push(("Big".to_owned(), "x".repeat(1000)));
    let params = signed("POST", params, "testsecret");
    let reply = post(emulator.endpoint(), "Format=JSON", &encode(&params)).await;
    let json = reply.assert_error(400, "InvalidParameter");
    assert_eq!(
        json["Message"],
        "The request body is larger than the limit of 1000 bytes."
    );
    // Just under the limit: answered.
    let mut params = regions();
    params.push(("Big".to_owned(), "x".repeat(500)));
    let params = signed("POST", params, "testsecret");
    let reply = post(emulator.endpoint(), "", &encode(&params)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    emulator.shutdown().await;
}

/// 200 unsigned requests with 7.9 MiB nonces left the ledger at 1.65 GB: every nonce was
/// stored, signed or not. Now only a verified request's nonce is remembered, and a nonce
/// longer than MAX_NONCE_LEN is refused.
#[tokio::test]
async fn unsigned_requests_with_huge_nonces_leave_no_trace() {
    let emulator = Emulator::start().await.unwrap();
    let huge = "n".repeat(64 * 1024);
    for i in 0..200 {
        let mut params = regions();
        set(&mut params, "SignatureNonce", &huge);
        if i % 2 == 1 {
            // Badly signed rather than unsigned.
            params = signed("POST", params, "not-the-secret");
        }
        let reply = post(emulator.endpoint(), "", &encode(&params)).await;
        let code = if i % 2 == 0 {
            "MissingSignature"
        } else {
            "InvalidSignatureNonce"
        };
        reply.assert_error(400, code);
    }
    // The same huge nonce 200 times: the old ledger counted 199 reuses.
    assert_eq!(emulator.nonce_reuse_count(), 0);

    // A signed call with the longest nonce allowed goes through; one byte more does not.
    let mut params = regions();
    set(&mut params, "SignatureNonce", &"a".repeat(MAX_NONCE_LEN));
    let reply = call(emulator.endpoint(), params, "testsecret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let mut params = regions();
    set(
        &mut params,
        "SignatureNonce",
        &"a".repeat(MAX_NONCE_LEN + 1),
    );
    let json = call(emulator.endpoint(), params, "testsecret")
        .await
        .assert_error(400, "InvalidSignatureNonce");
    assert_eq!(
        json["Message"],
        format!("Specified signature nonce is longer than {MAX_NONCE_LEN} bytes.")
    );
    emulator.shutdown().await;
}

/// The emulator's message for `SignatureDoesNotMatch`, and the string to sign it echoes.
fn echoed_string_to_sign(json: &serde_json::Value) -> String {
    let message = json["Message"].as_str().expect("a message");
    let (_, server) = message
        .split_once("server string to sign is:")
        .expect("the echo");
    server.to_owned()
}

/// An 8 MiB body of `+` (spaces: `%20`, then `%2520` in the string to sign) with a bogus
/// signature made a 40 MiB echo, about 170 MB of server memory per request. The echo is now
/// cut at STRING_TO_SIGN_ECHO_LIMIT bytes.
#[tokio::test]
async fn a_bogus_signature_on_an_8_mib_body_gets_a_bounded_answer() {
    let emulator = Emulator::builder()
        .max_body_bytes(9 * 1024 * 1024)
        .start()
        .await
        .unwrap();
    let mut params = regions();
    params.push(("Signature".to_owned(), "bogus".to_owned()));
    let mut body = encode(&params);
    body.push_str("&Big=");
    body.push_str(&"+".repeat(8 * 1024 * 1024));
    let reply = post(emulator.endpoint(), "", &body).await;
    let json = reply.assert_error(400, "SignatureDoesNotMatch");
    assert!(reply.body.len() < 4096, "{} bytes", reply.body.len());
    let server = echoed_string_to_sign(&json);
    let (prefix, marker) = server.split_once('…').expect("a cut marker");
    assert_eq!(prefix.len(), STRING_TO_SIGN_ECHO_LIMIT);
    assert!(prefix.starts_with(
        "POST&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Big%3D%2520%2520"
    ));
    let total: usize = marker
        .strip_prefix('[')
        .and_then(|m| m.strip_suffix(" bytes in all]"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{marker}"));
    assert!(total > 40 * 1024 * 1024, "{total}");

    // With the default body limit, the same body is refused by its size, as briefly.
    let emulator = Emulator::start().await.unwrap();
    let reply = post(emulator.endpoint(), "Format=JSON", &body).await;
    reply.assert_error(400, "InvalidParameter");
    assert!(reply.body.len() < 1024, "{} bytes", reply.body.len());
}

/// The client's diagnosis compares its string to sign with the server's; with a cut echo
/// it still finds a difference before the cut.
#[tokio::test]
async fn a_cut_echo_still_locates_an_early_difference() {
    use aliyun_rpc_runtime::error::SignatureMismatch;
    use aliyun_rpc_runtime::signing::string_to_sign;

    let emulator = Emulator::start().await.unwrap();
    let mut params = regions();
    params.push(("Long".to_owned(), "z".repeat(5000)));
    // Signed as a GET, sent as a POST: the strings differ from the first byte.
    let ours = string_to_sign("GET", &params);
    let params = signed("GET", params, "testsecret");
    let json = post(emulator.endpoint(), "", &encode(&params))
        .await
        .assert_error(400, "SignatureDoesNotMatch");
    let server = echoed_string_to_sign(&json);
    assert!(server.ends_with(&format!("…[{} bytes in all]", ours.len() + 1)));
    match SignatureMismatch::diagnose(&ours, &server) {
        SignatureMismatch::Differs { position, .. } => assert_eq!(position, 0),
        other => panic!("{other:?}"),
    }
}

/// `--clock-skew-secs i64::MAX` made nonce pruning panic (`timestamp + window` past the
/// calendar), and a skew of a few decades back made every `Date` header panic. Skews are
/// now clamped to ±MAX_CLOCK_SKEW_SECS, and the `Date` header stays in its range.
#[tokio::test]
async fn absurd_clock_skews_are_clamped_and_the_emulator_keeps_answering() {
    for skew in [i64::MAX, i64::MIN, -60 * 365 * 24 * 3600] {
        let emulator = Emulator::builder()
            .faults(|f| {
                f.clock_skew_secs(skew);
            })
            .start()
            .await
            .unwrap();
        let expected = skew.clamp(-MAX_CLOCK_SKEW_SECS, MAX_CLOCK_SKEW_SECS);
        assert_eq!(emulator.faults().clock_skew(), expected);
        for _ in 0..3 {
            // assert_error also checks the Date header.
            call(emulator.endpoint(), regions(), "testsecret")
                .await
                .assert_error(400, "InvalidTimeStamp.Expired");
        }
        if skew > 0 {
            // A client that corrects its clock from `Date` gets through, again and again.
            for _ in 0..20 {
                let reply = call(emulator.endpoint(), regions(), "testsecret").await;
                let server_now = httpdate::parse_http_date(reply.header("date")).unwrap();
                let mut params = regions();
                set(&mut params, "Timestamp", &timestamp(server_now.into()));
                let reply = call(emulator.endpoint(), params, "testsecret").await;
                assert_eq!(reply.status, 200, "{}", reply.body);
            }
        }
        emulator.shutdown().await;
    }
}
