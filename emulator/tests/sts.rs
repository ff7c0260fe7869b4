//! STS `AssumeRole`: issued credentials work on the RPC side until they expire.

mod common;

use std::time::Duration;

use aliyun_rpc_emulator::Emulator;
use common::*;
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

const STS_VERSION: &str = "2015-04-01";
const ROLE_ARN: &str = "acs:ram::1234567890123456:role/test-role";

fn assume_role(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut params = common("AssumeRole", STS_VERSION, "testid", "JSON");
    params.extend(owned(extra));
    params
}

fn expiration(credentials: &Value) -> OffsetDateTime {
    let text = credentials["Expiration"].as_str().expect("Expiration");
    assert_eq!(text.len(), 20, "YYYY-MM-DDThh:mm:ssZ: {text}");
    OffsetDateTime::parse(text, &Rfc3339).unwrap()
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
async fn assume_role_issues_credentials_that_work() {
    let emulator = Emulator::start().await.unwrap();
    let reply = call(
        emulator.endpoint(),
        assume_role(&[("RoleArn", ROLE_ARN), ("RoleSessionName", "alice@test")]),
        "testsecret",
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let json = reply.json();
    assert_eq!(json["RequestId"].as_str().unwrap().len(), 36);
    let user = &json["AssumedRoleUser"];
    assert_eq!(user["Arn"], format!("{ROLE_ARN}/alice@test"));
    let role_id = user["AssumedRoleId"].as_str().unwrap();
    assert!(
        role_id.starts_with('3') && role_id.ends_with(":alice@test"),
        "{role_id}"
    );
    let credentials = &json["Credentials"];
    let id = credentials["AccessKeyId"].as_str().unwrap();
    assert!(id.starts_with("STS.") && id.len() > 20, "{id}");
    let token = credentials["SecurityToken"].as_str().unwrap();
    assert!(token.len() > 500 && token.contains('+') && token.contains('/') && token.contains('='));
    let lifetime = expiration(credentials) - OffsetDateTime::now_utc();
    assert!(
        (3590..=3600).contains(&lifetime.whole_seconds()),
        "default 3600 s: {lifetime}"
    );
    assert_eq!(emulator.assume_role_count(), 1);

    let reply = call_with(emulator.endpoint(), credentials).await;
    assert_eq!(reply.status, 200, "{}", reply.body);

    // A wrong token for that key is refused as for any STS key.
    let mut wrong = credentials.clone();
    wrong["SecurityToken"] = Value::String("another".into());
    call_with(emulator.endpoint(), &wrong)
        .await
        .assert_error(400, "InvalidSecurityToken.MismatchWithAccessKey");

    // XML too, and DurationSeconds is honoured.
    let mut params = assume_role(&[
        ("RoleArn", ROLE_ARN),
        ("RoleSessionName", "bob"),
        ("DurationSeconds", "900"),
        ("Policy", r#"{"Version":"1","Statement":[]}"#),
    ]);
    set(&mut params, "Format", "XML");
    let reply = call(emulator.endpoint(), params, "testsecret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        reply.body.contains("<AssumeRoleResponse><RequestId>"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("<AccessKeyId>STS."), "{}", reply.body);
    assert_eq!(emulator.assume_role_count(), 2);
    emulator.shutdown().await;
}

#[tokio::test]
async fn override_shortens_lifetime_and_credentials_expire() {
    let emulator = Emulator::builder()
        .sts_duration_override(Duration::from_secs(200))
        .start()
        .await
        .unwrap();
    let reply = call(
        emulator.endpoint(),
        assume_role(&[("RoleArn", ROLE_ARN), ("RoleSessionName", "short")]),
        "testsecret",
    )
    .await;
    let json = reply.json();
    let credentials = &json["Credentials"];
    let lifetime = expiration(credentials) - OffsetDateTime::now_utc();
    assert!(
        (190..=200).contains(&lifetime.whole_seconds()),
        "inside a 180 s refresh margin soon: {lifetime}"
    );
    assert_eq!(
        call_with(emulator.endpoint(), credentials).await.status,
        200
    );

    // Jump the emulator's clock past the expiry (the timestamp window still passes).
    emulator.faults().clock_skew_secs(300);
    call_with(emulator.endpoint(), credentials)
        .await
        .assert_error(400, "InvalidSecurityToken.Expired");
    emulator.shutdown().await;
}

#[tokio::test]
async fn credentials_expire_in_real_time() {
    let emulator = Emulator::builder()
        .sts_duration_override(Duration::from_secs(2))
        .start()
        .await
        .unwrap();
    let reply = call(
        emulator.endpoint(),
        assume_role(&[("RoleArn", ROLE_ARN), ("RoleSessionName", "brief")]),
        "testsecret",
    )
    .await;
    let json = reply.json();
    let credentials = &json["Credentials"];
    assert_eq!(
        call_with(emulator.endpoint(), credentials).await.status,
        200
    );
    // Expiration has whole seconds: at most 2 s away.
    let wait =
        expiration(credentials) - OffsetDateTime::now_utc() + time::Duration::milliseconds(50);
    assert!(wait <= time::Duration::milliseconds(2050), "{wait}");
    if wait.is_positive() {
        tokio::time::sleep(wait.unsigned_abs()).await;
    }
    call_with(emulator.endpoint(), credentials)
        .await
        .assert_error(400, "InvalidSecurityToken.Expired");
    emulator.shutdown().await;
}

#[tokio::test]
async fn invalid_parameters_are_refused() {
    let emulator = Emulator::start().await.unwrap();
    let cases: [(&[(&str, &str)], &str); 10] = [
        (&[("RoleSessionName", "s1")], "MissingRoleArn"),
        (&[("RoleArn", ROLE_ARN)], "MissingRoleSessionName"),
        (
            &[
                ("RoleArn", "acs:ram::abc:role/x"),
                ("RoleSessionName", "s1"),
            ],
            "InvalidParameter.RoleArn",
        ),
        (
            &[
                ("RoleArn", "acs:ram::123:user/x"),
                ("RoleSessionName", "s1"),
            ],
            "InvalidParameter.RoleArn",
        ),
        (
            &[
                ("RoleArn", "arn:aws:iam::123:role/x"),
                ("RoleSessionName", "s1"),
            ],
            "InvalidParameter.RoleArn",
        ),
        (
            &[("RoleArn", ROLE_ARN), ("RoleSessionName", "x")],
            "InvalidParameter.RoleSessionName",
        ),
        (
            &[
                ("RoleArn", ROLE_ARN),
                ("RoleSessionName", "s1"),
                ("DurationSeconds", "899"),
            ],
            "InvalidParameter.DurationSeconds",
        ),
        (
            &[
                ("RoleArn", ROLE_ARN),
                ("RoleSessionName", "s1"),
                ("DurationSeconds", "43201"),
            ],
            "InvalidParameter.DurationSeconds",
        ),
        (
            &[
                ("RoleArn", ROLE_ARN),
                ("RoleSessionName", "s1"),
                ("DurationSeconds", "1h"),
            ],
            "InvalidParameter.DurationSeconds",
        ),
        (
            &[
                ("RoleArn", ROLE_ARN),
                ("RoleSessionName", "s1"),
                ("Policy", "{not json"),
            ],
            "InvalidParameter.PolicyGrammar",
        ),
    ];
    for (extra, code) in cases {
        let json = call(emulator.endpoint(), assume_role(extra), "testsecret")
            .await
            .assert_error(400, code);
        assert!(
            json["Recommend"].as_str().unwrap().contains("&product=Sts"),
            "{json}"
        );
    }
    // The bounds themselves are fine.
    for duration in ["900", "43200"] {
        let reply = call(
            emulator.endpoint(),
            assume_role(&[
                ("RoleArn", ROLE_ARN),
                ("RoleSessionName", "s1"),
                ("DurationSeconds", duration),
            ]),
            "testsecret",
        )
        .await;
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    assert_eq!(emulator.assume_role_count(), 2);
    emulator.shutdown().await;
}
