//! Aliyun's checks, each one producing its error over HTTP, in Aliyun's order.

mod common;

use std::time::{Duration, SystemTime};

use aliyun_rpc_emulator::Emulator;
use common::*;
use time::OffsetDateTime;

const ECS: &str = "2014-05-26";

fn regions_call() -> Vec<(String, String)> {
    common("DescribeRegions", ECS, "testid", "JSON")
}

#[tokio::test]
async fn each_missing_common_param_is_named() {
    let emulator = Emulator::start().await.unwrap();
    for name in [
        "Action",
        "Version",
        "AccessKeyId",
        "Signature",
        "SignatureMethod",
        "SignatureVersion",
        "SignatureNonce",
        "Timestamp",
    ] {
        let mut params = signed("GET", regions_call(), "testsecret");
        remove(&mut params, name);
        let reply = get(emulator.endpoint(), &encode(&params)).await;
        let json = reply.assert_error(400, &format!("Missing{name}"));
        assert_eq!(
            json["Message"],
            format!("{name} is mandatory for this action.")
        );
    }
    emulator.shutdown().await;
}

#[tokio::test]
async fn unsupported_signature_method_and_version() {
    let emulator = Emulator::start().await.unwrap();
    let mut params = regions_call();
    set(&mut params, "SignatureMethod", "HMAC-SHA256");
    call(emulator.endpoint(), params, "testsecret")
        .await
        .assert_error(400, "InvalidSignatureMethod");
    let mut params = regions_call();
    set(&mut params, "SignatureVersion", "2.0");
    call(emulator.endpoint(), params, "testsecret")
        .await
        .assert_error(400, "InvalidSignatureVersion");
    emulator.shutdown().await;
}

#[tokio::test]
async fn unknown_access_key() {
    let emulator = Emulator::start().await.unwrap();
    let mut params = regions_call();
    set(&mut params, "AccessKeyId", "LTAI-nobody");
    let json = call(emulator.endpoint(), params, "testsecret")
        .await
        .assert_error(404, "InvalidAccessKeyId.NotFound");
    assert_eq!(json["Message"], "Specified access key is not found.");
    emulator.shutdown().await;
}

#[tokio::test]
async fn wrong_secret_fails_the_signature() {
    let emulator = Emulator::start().await.unwrap();
    call(emulator.endpoint(), regions_call(), "not-the-secret")
        .await
        .assert_error(400, "SignatureDoesNotMatch");
    emulator.shutdown().await;
}

#[tokio::test]
async fn timestamp_format_and_expiry() {
    let emulator = Emulator::start().await.unwrap();
    for bad in [
        "2016-02-23 12:46:24",
        "1456231584",
        "2016-02-23T12:46:24+08:00",
    ] {
        let mut params = regions_call();
        set(&mut params, "Timestamp", bad);
        let json = call(emulator.endpoint(), params, "testsecret")
            .await
            .assert_error(400, "InvalidTimeStamp.Format");
        assert_eq!(
            json["Message"],
            "Specified time stamp or date value is not well formatted."
        );
    }
    for skew in [-16i64, 16] {
        let mut params = regions_call();
        let at = OffsetDateTime::now_utc() + time::Duration::minutes(skew);
        set(&mut params, "Timestamp", &timestamp(at));
        let json = call(emulator.endpoint(), params, "testsecret")
            .await
            .assert_error(400, "InvalidTimeStamp.Expired");
        assert_eq!(
            json["Message"],
            "Specified time stamp or date value is expired."
        );
    }
    // Within the window, and with milliseconds.
    let mut params = regions_call();
    let at = OffsetDateTime::now_utc() - time::Duration::minutes(14);
    set(
        &mut params,
        "Timestamp",
        &format!("{}.123Z", &timestamp(at)[..19]),
    );
    let reply = call(emulator.endpoint(), params, "testsecret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    emulator.shutdown().await;
}

#[tokio::test]
async fn custom_timestamp_window() {
    let emulator = Emulator::builder()
        .timestamp_window(Duration::from_secs(60))
        .start()
        .await
        .unwrap();
    let mut params = regions_call();
    let at = OffsetDateTime::now_utc() - time::Duration::minutes(2);
    set(&mut params, "Timestamp", &timestamp(at));
    call(emulator.endpoint(), params, "testsecret")
        .await
        .assert_error(400, "InvalidTimeStamp.Expired");
    emulator.shutdown().await;
}

#[tokio::test]
async fn tampered_params_are_refused_with_the_server_string_to_sign() {
    let emulator = Emulator::start().await.unwrap();
    let mut params = signed("GET", regions_call(), "testsecret");
    set(&mut params, "AcceptLanguage", "en-US");
    let reply = get(emulator.endpoint(), &encode(&params)).await;
    let json = reply.assert_error(400, "SignatureDoesNotMatch");

    remove(&mut params, "Signature");
    let expected = aliyun_rpc_runtime::signing::string_to_sign("GET", &params);
    assert!(expected.contains("AcceptLanguage%3Den-US"));
    assert_eq!(
        json["Message"],
        format!(
            "Specified signature is not matched with our calculation. \
             server string to sign is:{expected}"
        )
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn replayed_nonce_is_refused_but_a_refused_call_does_not_burn_it() {
    let emulator = Emulator::start().await.unwrap();
    let params = regions_call();

    // A call whose signature fails does not record its nonce…
    call(emulator.endpoint(), params.clone(), "wrong")
        .await
        .assert_error(400, "SignatureDoesNotMatch");
    // …so the real one goes through…
    let reply = call(emulator.endpoint(), params.clone(), "testsecret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    // …and its replay does not.
    let json = call(emulator.endpoint(), params, "testsecret")
        .await
        .assert_error(400, "SignatureNonceUsed");
    assert_eq!(
        json["Message"],
        "Specified signature nonce was used already."
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn unknown_action_and_unknown_version() {
    let emulator = Emulator::start().await.unwrap();
    let params = common("DescribeNothing", ECS, "testid", "JSON");
    let json = call(emulator.endpoint(), params, "testsecret")
        .await
        .assert_error(404, "InvalidAction.NotFound");
    assert_eq!(
        json["Recommend"],
        format!(
            "https://api.aliyun.com/troubleshoot?q=InvalidAction.NotFound&product=Ecs&requestId={}",
            json["RequestId"].as_str().unwrap()
        )
    );

    let params = common("DescribeRegions", "2099-01-01", "testid", "JSON");
    let json = call(emulator.endpoint(), params, "testsecret")
        .await
        .assert_error(400, "InvalidVersion");
    assert_eq!(json["Message"], "Specified parameter Version is not valid.");
    emulator.shutdown().await;
}

#[tokio::test]
async fn wrong_path_and_method() {
    let emulator = Emulator::start().await.unwrap();
    let query = encode(&signed("GET", regions_call(), "testsecret"));
    let response = client()
        .get(format!("{}/v1/regions?{query}", emulator.endpoint()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let response = client()
        .put(format!("{}/?{query}", emulator.endpoint()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(body["Code"], "InvalidAction.NotFound");
    emulator.shutdown().await;
}

#[tokio::test]
async fn errors_in_xml_and_host_id() {
    let emulator = Emulator::start().await.unwrap();
    let mut params = common("DescribeRegions", ECS, "nobody", "XML");
    params = signed("GET", params, "testsecret");
    let reply = get(emulator.endpoint(), &encode(&params)).await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.header("content-type"), "text/xml;charset=utf-8");
    httpdate::parse_http_date(reply.header("date")).unwrap();
    let host = emulator.endpoint().trim_start_matches("http://").to_owned();
    let body = &reply.body;
    assert!(
        body.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><RequestId>"),
        "{body}"
    );
    assert!(body.contains(&format!(
        "</RequestId><HostId>{host}</HostId><Code>InvalidAccessKeyId.NotFound</Code>\
         <Message>Specified access key is not found.</Message>\
         <Recommend>https://api.aliyun.com/troubleshoot?q=InvalidAccessKeyId.NotFound&amp;product=Ecs&amp;requestId="
    )), "{body}");
    assert!(body.ends_with("</Recommend></Error>"));
    emulator.shutdown().await;
}

#[tokio::test]
async fn order_of_checks() {
    let emulator = Emulator::start().await.unwrap();
    // Missing params come before everything else.
    let mut params = regions_call();
    set(&mut params, "SignatureMethod", "MD5");
    remove(&mut params, "Timestamp");
    call(emulator.endpoint(), params, "testsecret")
        .await
        .assert_error(400, "MissingTimestamp");
    // Signature method before the access key.
    let mut params = regions_call();
    set(&mut params, "SignatureMethod", "MD5");
    set(&mut params, "AccessKeyId", "nobody");
    call(emulator.endpoint(), params, "testsecret")
        .await
        .assert_error(400, "InvalidSignatureMethod");
    // Access key before the timestamp.
    let mut params = regions_call();
    set(&mut params, "AccessKeyId", "nobody");
    set(&mut params, "Timestamp", "soon");
    call(emulator.endpoint(), params, "testsecret")
        .await
        .assert_error(404, "InvalidAccessKeyId.NotFound");
    // Timestamp before the signature.
    let mut params = regions_call();
    set(&mut params, "Timestamp", "soon");
    call(emulator.endpoint(), params, "wrong")
        .await
        .assert_error(400, "InvalidTimeStamp.Format");
    // Signature before the action.
    let params = common("DescribeNothing", ECS, "testid", "JSON");
    call(emulator.endpoint(), params, "wrong")
        .await
        .assert_error(400, "SignatureDoesNotMatch");
    // Action before business checks.
    let params = common(
        "DescribeImageSupportInstanceTypes",
        "2099-01-01",
        "testid",
        "JSON",
    );
    call(emulator.endpoint(), params, "testsecret")
        .await
        .assert_error(400, "InvalidVersion");
    emulator.shutdown().await;
}

#[tokio::test]
async fn sts_token_path() {
    let emulator = Emulator::builder()
        .sts_token("STS.good", "sts-secret", "token-1")
        .sts_token_expiring_at(
            "STS.old",
            "old-secret",
            "token-0",
            SystemTime::now() - Duration::from_secs(60),
        )
        .start()
        .await
        .unwrap();
    assert_eq!(emulator.access_key_id(), "STS.good");
    assert_eq!(emulator.security_token(), Some("token-1"));
    let base = || common("DescribeRegions", ECS, "STS.good", "JSON");

    let json = call(emulator.endpoint(), base(), "sts-secret")
        .await
        .assert_error(400, "MissingSecurityToken");
    assert_eq!(
        json["Message"],
        "SecurityToken is mandatory for this action."
    );

    let mut params = base();
    set(&mut params, "SecurityToken", "token-2");
    call(emulator.endpoint(), params, "sts-secret")
        .await
        .assert_error(400, "InvalidSecurityToken.MismatchWithAccessKey");

    let mut params = base();
    set(&mut params, "SecurityToken", "token-1");
    let reply = call(emulator.endpoint(), params, "sts-secret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);

    let mut params = common("DescribeRegions", ECS, "STS.old", "JSON");
    set(&mut params, "SecurityToken", "token-0");
    call(emulator.endpoint(), params, "old-secret")
        .await
        .assert_error(400, "InvalidSecurityToken.Expired");

    // A permanent key must not come with a token.
    let emulator_permanent = Emulator::start().await.unwrap();
    let mut params = regions_call();
    set(&mut params, "SecurityToken", "token-1");
    call(emulator_permanent.endpoint(), params, "testsecret")
        .await
        .assert_error(400, "InvalidSecurityToken.Malformed");
    emulator_permanent.shutdown().await;

    // The default key is not accepted once keys are configured.
    call(emulator.endpoint(), regions_call(), "testsecret")
        .await
        .assert_error(404, "InvalidAccessKeyId.NotFound");
    emulator.shutdown().await;
}

#[tokio::test]
async fn several_access_keys() {
    let emulator = Emulator::builder()
        .access_key("id-1", "secret-1")
        .access_key("id-2", "secret-2")
        .start()
        .await
        .unwrap();
    for (id, secret) in [("id-1", "secret-1"), ("id-2", "secret-2")] {
        let params = common("DescribeRegions", ECS, id, "JSON");
        let reply = call(emulator.endpoint(), params, secret).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    let params = common("DescribeRegions", ECS, "id-1", "JSON");
    call(emulator.endpoint(), params, "secret-2")
        .await
        .assert_error(400, "SignatureDoesNotMatch");
    emulator.shutdown().await;
}
