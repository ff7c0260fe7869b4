//! The instance metadata service for an ECS RAM role: tokens, the role, credentials that
//! the RPC side accepts.

mod common;

use std::time::Duration;

use aliyun_rpc_emulator::Emulator;
use common::*;
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

const CREDENTIALS: &str = "/latest/meta-data/ram/security-credentials/";
const TOKEN_HEADER: &str = "X-aliyun-ecs-metadata-token";
const TTL_HEADER: &str = "X-aliyun-ecs-metadata-token-ttl-seconds";

async fn text(request: reqwest::RequestBuilder) -> (u16, String, String) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, response.text().await.unwrap())
}

async fn new_token(base: &str, ttl: Option<&str>) -> (u16, String) {
    let mut request = client().put(format!("{base}/latest/api/token"));
    if let Some(ttl) = ttl {
        request = request.header(TTL_HEADER, ttl);
    }
    let (status, _, body) = text(request).await;
    (status, body)
}

#[tokio::test]
async fn hardened_mode_token_flow_and_credentials_work() {
    let emulator = Emulator::builder()
        .ecs_ram_role("MyRole")
        .imds_require_token(true)
        .sts_duration_override(Duration::from_secs(200))
        .start()
        .await
        .unwrap();
    let base = emulator.metadata_endpoint();
    assert_eq!(base, emulator.endpoint());

    // No token: 401.
    let (status, _, _) = text(client().get(format!("{base}{CREDENTIALS}"))).await;
    assert_eq!(status, 401);
    // Token requests need a TTL in 1..=21600.
    for ttl in [None, Some("0"), Some("21601"), Some("soon")] {
        assert_eq!(new_token(base, ttl).await.0, 400, "{ttl:?}");
    }
    let (status, token) = new_token(base, Some("21600")).await;
    assert_eq!(status, 200);
    assert!(token.len() >= 32, "{token}");
    // A wrong token: 401.
    let (status, _, _) = text(
        client()
            .get(format!("{base}{CREDENTIALS}"))
            .header(TOKEN_HEADER, "not-a-token"),
    )
    .await;
    assert_eq!(status, 401);

    let (status, content_type, role) = text(
        client()
            .get(format!("{base}{CREDENTIALS}"))
            .header(TOKEN_HEADER, &token),
    )
    .await;
    assert_eq!((status, role.as_str()), (200, "MyRole"));
    assert!(content_type.starts_with("text/plain"), "{content_type}");

    let (status, _, body) = text(
        client()
            .get(format!("{base}{CREDENTIALS}MyRole"))
            .header(TOKEN_HEADER, &token),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let document: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(document["Code"], "Success");
    assert!(document["AccessKeyId"]
        .as_str()
        .unwrap()
        .starts_with("STS."));
    let expiration =
        OffsetDateTime::parse(document["Expiration"].as_str().unwrap(), &Rfc3339).unwrap();
    let last_updated =
        OffsetDateTime::parse(document["LastUpdated"].as_str().unwrap(), &Rfc3339).unwrap();
    let lifetime = expiration - last_updated;
    assert!(
        (199..=200).contains(&lifetime.whole_seconds()),
        "override honoured: {lifetime}"
    );
    assert_eq!(emulator.imds_credential_count(), 1);

    // The credentials work on the RPC side.
    let id = document["AccessKeyId"].as_str().unwrap();
    let mut params = common("DescribeRegions", "2014-05-26", id, "JSON");
    set(
        &mut params,
        "SecurityToken",
        document["SecurityToken"].as_str().unwrap(),
    );
    let reply = call(
        emulator.endpoint(),
        params,
        document["AccessKeySecret"].as_str().unwrap(),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);

    // Another role: 404; not counted.
    let (status, _, _) = text(
        client()
            .get(format!("{base}{CREDENTIALS}OtherRole"))
            .header(TOKEN_HEADER, &token),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(emulator.imds_credential_count(), 1);
    emulator.shutdown().await;
}

#[tokio::test]
async fn default_mode_needs_no_token_and_is_never_faulted() {
    let emulator = Emulator::builder()
        .ecs_ram_role("")
        .faults(|f| {
            f.fail_next(5, "ServiceUnavailable", 503).drop_next(5);
        })
        .start()
        .await
        .unwrap();
    let base = emulator.metadata_endpoint();
    let (status, _, role) = text(client().get(format!("{base}{CREDENTIALS}"))).await;
    assert_eq!((status, role.as_str()), (200, "EcsRamRoleTest"));
    // Without the trailing slash too.
    let (status, _, role) =
        text(client().get(format!("{base}/latest/meta-data/ram/security-credentials"))).await;
    assert_eq!((status, role.as_str()), (200, "EcsRamRoleTest"));
    for expected in 1..=2 {
        let (status, _, body) =
            text(client().get(format!("{base}{CREDENTIALS}EcsRamRoleTest"))).await;
        assert_eq!(status, 200, "{body}");
        let document: Value = serde_json::from_str(&body).unwrap();
        let expiration =
            OffsetDateTime::parse(document["Expiration"].as_str().unwrap(), &Rfc3339).unwrap();
        let lifetime = expiration - OffsetDateTime::now_utc();
        assert!(lifetime > time::Duration::hours(5), "{lifetime}");
        assert_eq!(emulator.imds_credential_count(), expected);
    }
    assert_eq!(emulator.faults_injected(), 0);
    emulator.shutdown().await;
}

#[tokio::test]
async fn metadata_paths_are_rpc_not_found_when_not_enabled() {
    let emulator = Emulator::start().await.unwrap();
    let response = client()
        .get(format!("{}{CREDENTIALS}?Format=JSON", emulator.endpoint()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("InvalidAction.NotFound"));
    assert_eq!(emulator.imds_credential_count(), 0);
    emulator.shutdown().await;
}
