//! STS `AssumeRoleWithOIDC`: an anonymous call whose token must be one registered on the
//! builder; the credentials it issues work on the RPC side; Aliyun's codes for everything
//! else; faults reach it.

mod common;

use std::time::Duration;

use aliyun_rpc_emulator::Emulator;
use common::*;
use serde_json::Value;

const ROLE_ARN: &str = "acs:ram::1234567890123456:role/rrsa-role";
const PROVIDER_ARN: &str = "acs:ram::1234567890123456:oidc-provider/ack-rrsa-c1";
const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb2QtMSJ9.c2lnbmF0dXJl";

/// The params of an anonymous `AssumeRoleWithOIDC`, as the official SDKs send them (no
/// `AccessKeyId`, no `Signature*`), with `extra` replacing or adding.
fn oidc(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut params = owned(&[
        ("Action", "AssumeRoleWithOIDC"),
        ("Version", "2015-04-01"),
        ("Format", "JSON"),
        ("Timestamp", &timestamp(time::OffsetDateTime::now_utc())),
        ("RoleArn", ROLE_ARN),
        ("OIDCProviderArn", PROVIDER_ARN),
        ("OIDCToken", TOKEN),
        ("RoleSessionName", "pod-1"),
    ]);
    for (k, v) in extra {
        if v.is_empty() {
            remove(&mut params, k);
        } else {
            set(&mut params, k, v);
        }
    }
    params
}

/// Params to change, the status and the code expected.
type Case<'a> = (&'a [(&'a str, &'a str)], u16, &'a str);

async fn emulator() -> Emulator {
    Emulator::builder()
        .oidc_token(TOKEN)
        .oidc_token("second-token")
        .start()
        .await
        .unwrap()
}

/// DescribeRegions signed with issued credentials.
async fn call_with(endpoint: &str, credentials: &Value) -> Reply {
    let id = credentials["AccessKeyId"].as_str().unwrap();
    let mut params = common("DescribeRegions", "2014-05-26", id, "JSON");
    set(
        &mut params,
        "SecurityToken",
        credentials["SecurityToken"].as_str().unwrap(),
    );
    call(
        endpoint,
        params,
        credentials["AccessKeySecret"].as_str().unwrap(),
    )
    .await
}

#[tokio::test]
async fn anonymous_call_with_a_registered_token_issues_credentials_that_work() {
    let emulator = emulator().await;
    // As credentials-go sends it: the common params in the query, the rest in a form body.
    let params = oidc(&[]);
    let (query, body): (Vec<_>, Vec<_>) = params
        .into_iter()
        .partition(|(k, _)| ["Action", "Version", "Format", "Timestamp"].contains(&k.as_str()));
    let reply = post(emulator.endpoint(), &encode(&query), &encode(&body)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let json = reply.json();
    assert_eq!(json["RequestId"].as_str().unwrap().len(), 36);
    assert_eq!(json["AssumedRoleUser"]["Arn"], format!("{ROLE_ARN}/pod-1"));
    let credentials = &json["Credentials"];
    assert!(credentials["AccessKeyId"]
        .as_str()
        .unwrap()
        .starts_with("STS."));
    assert_eq!(emulator.oidc_assume_role_count(), 1);
    assert_eq!(
        emulator.assume_role_count(),
        0,
        "counted apart from AssumeRole"
    );
    assert_eq!(
        call_with(emulator.endpoint(), credentials).await.status,
        200
    );

    // All in the query (Python's way), XML, the second registered token.
    let params = oidc(&[("Format", "XML"), ("OIDCToken", "second-token")]);
    let reply = get(emulator.endpoint(), &encode(&params)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        reply
            .body
            .contains("<AssumeRoleWithOIDCResponse><RequestId>"),
        "{}",
        reply.body
    );
    assert_eq!(emulator.oidc_assume_role_count(), 2);
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_signed_call_is_served_like_an_anonymous_one() {
    let emulator = emulator().await;
    // Signed with the emulator's key…
    let mut params = oidc(&[]);
    for (k, v) in common("AssumeRoleWithOIDC", "2015-04-01", "testid", "JSON") {
        set(&mut params, &k, &v);
    }
    let reply = call(emulator.endpoint(), params.clone(), "testsecret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    // …or with a key it does not know: neither is checked (the emulator's best reading).
    set(&mut params, "AccessKeyId", "unknown");
    let reply = call(emulator.endpoint(), params, "other").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(emulator.oidc_assume_role_count(), 2);
    assert_eq!(emulator.nonce_reuse_count(), 0);
    emulator.shutdown().await;
}

#[tokio::test]
async fn the_anonymous_path_is_that_one_action_only() {
    let emulator = emulator().await;
    // AssumeRole unsigned: the signature checks apply.
    let mut params = oidc(&[("Action", "AssumeRole")]);
    remove(&mut params, "OIDCToken");
    get(emulator.endpoint(), &encode(&params))
        .await
        .assert_error(400, "MissingAccessKeyId");
    // AssumeRoleWithOIDC of another version is not anonymous either.
    let params = oidc(&[("Version", "2014-05-26")]);
    get(emulator.endpoint(), &encode(&params))
        .await
        .assert_error(400, "MissingAccessKeyId");
    emulator.shutdown().await;
}

#[tokio::test]
async fn tokens_and_parameters_are_checked_with_aliyuns_codes() {
    let emulator = emulator().await;
    let long = "a".repeat(20_001);
    let cases: [Case<'_>; 12] = [
        (&[("RoleArn", "")], 400, "MissingRoleArn"),
        (
            &[("RoleArn", "acs:ram::12:user/x")],
            400,
            "InvalidParameter.RoleArn",
        ),
        (&[("OIDCProviderArn", "")], 400, "MissingOIDCProviderArn"),
        (
            &[("OIDCProviderArn", "acs:ram::12:role/x")],
            400,
            "InvalidParameter.OIDCProviderArn",
        ),
        (
            &[("OIDCToken", "")],
            401,
            "AuthenticationFail.OIDCToken.Invalid",
        ),
        (&[("OIDCToken", "abc")], 400, "InvalidParameter.OIDCToken"),
        (&[("OIDCToken", &long)], 400, "InvalidParameter.OIDCToken"),
        (
            &[("OIDCToken", "not-a-jwt")],
            401,
            "AuthenticationFail.OIDCToken.Invalid",
        ),
        (
            &[("OIDCToken", "eyJh.eyJz.forged")],
            401,
            "AuthenticationFail.OIDCToken.InvalidSignature",
        ),
        (&[("RoleSessionName", "")], 400, "MissingRoleSessionName"),
        (
            &[("DurationSeconds", "899")],
            400,
            "InvalidParameter.DurationSeconds",
        ),
        (
            &[("Policy", "{not json")],
            400,
            "InvalidParameter.PolicyGrammar",
        ),
    ];
    for (extra, status, code) in cases {
        let reply = get(emulator.endpoint(), &encode(&oidc(extra))).await;
        assert_eq!(reply.status, status, "{extra:?}: {}", reply.body);
        assert_eq!(reply.json()["Code"], code, "{extra:?}");
    }
    let reply = get(emulator.endpoint(), &encode(&oidc(&[("OIDCToken", "")]))).await;
    assert_eq!(reply.json()["Message"], "The OIDCToken can not empty.");
    assert_eq!(emulator.oidc_assume_role_count(), 0);
    emulator.shutdown().await;
}

#[tokio::test]
async fn faults_reach_it_and_the_override_sets_the_lifetime() {
    let emulator = Emulator::builder()
        .oidc_token(TOKEN)
        .sts_duration_override(Duration::from_secs(200))
        .faults(|f| {
            f.fail_next(1, "ServiceUnavailable", 503)
                .throttle_next(1, Duration::from_millis(5));
        })
        .start()
        .await
        .unwrap();
    let query = encode(&oidc(&[]));
    get(emulator.endpoint(), &query)
        .await
        .assert_error(400, "Throttling.User");
    get(emulator.endpoint(), &query)
        .await
        .assert_error(503, "ServiceUnavailable");
    assert_eq!(emulator.oidc_assume_role_count(), 0);
    let reply = get(emulator.endpoint(), &query).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let expiration = reply.json()["Credentials"]["Expiration"]
        .as_str()
        .map(str::to_owned)
        .unwrap();
    let expiration =
        time::OffsetDateTime::parse(&expiration, &time::format_description::well_known::Rfc3339)
            .unwrap();
    let lifetime = expiration - time::OffsetDateTime::now_utc();
    assert!(
        (190..=200).contains(&lifetime.whole_seconds()),
        "{lifetime}"
    );
    assert_eq!(emulator.faults_injected(), 2);
    emulator.shutdown().await;
}

#[tokio::test]
async fn no_token_registered_refuses_every_token() {
    let emulator = Emulator::start().await.unwrap();
    get(emulator.endpoint(), &encode(&oidc(&[])))
        .await
        .assert_error(401, "AuthenticationFail.OIDCToken.InvalidSignature");
    emulator.shutdown().await;
}
