//! ECS `CreateSecurityGroup` and its `ClientToken` idempotency.

mod common;

use aliyun_rpc_emulator::Emulator;
use common::*;

/// Business params added to a call.
type Extra<'a> = &'a [(&'a str, &'a str)];

fn create(key: &str, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut params = common("CreateSecurityGroup", "2014-05-26", key, "JSON");
    params.extend(owned(extra));
    params
}

async fn group_id(reply: Reply) -> String {
    assert_eq!(reply.status, 200, "{}", reply.body);
    let id = reply.json()["SecurityGroupId"].as_str().unwrap().to_owned();
    assert!(id.starts_with("sg-"), "{id}");
    id
}

#[tokio::test]
async fn same_client_token_returns_the_same_group() {
    let emulator = Emulator::builder()
        .access_key("key-a", "secret-a")
        .access_key("key-b", "secret-b")
        .start()
        .await
        .unwrap();
    let ep = emulator.endpoint();
    let params = [
        ("RegionId", "cn-hangzhou"),
        ("VpcId", "vpc-1"),
        ("SecurityGroupName", "web"),
        ("ClientToken", "token-1"),
    ];
    let first = group_id(call(ep, create("key-a", &params), "secret-a").await).await;
    let again = group_id(call(ep, create("key-a", &params), "secret-a").await).await;
    assert_eq!(first, again);
    assert_eq!(emulator.security_groups_created(), 1);

    // Same token, different params: refused, nothing created.
    let changed = [
        ("RegionId", "cn-hangzhou"),
        ("VpcId", "vpc-1"),
        ("SecurityGroupName", "db"),
        ("ClientToken", "token-1"),
    ];
    let json = call(ep, create("key-a", &changed), "secret-a")
        .await
        .assert_error(400, "IdempotentParameterMismatch");
    assert!(json["Recommend"].as_str().unwrap().contains("&product=Ecs"));
    assert_eq!(emulator.security_groups_created(), 1);

    // The token is per access key.
    let other = group_id(call(ep, create("key-b", &params), "secret-b").await).await;
    assert_ne!(other, first);
    assert_eq!(emulator.security_groups_created(), 2);
    emulator.shutdown().await;
}

#[tokio::test]
async fn without_a_token_each_call_creates_a_group() {
    let emulator = Emulator::start().await.unwrap();
    let ep = emulator.endpoint();
    let params = [
        ("RegionId", "cn-shanghai"),
        ("SecurityGroupType", "enterprise"),
    ];
    let a = group_id(call(ep, create("testid", &params), "testsecret").await).await;
    let b = group_id(call(ep, create("testid", &params), "testsecret").await).await;
    assert_ne!(a, b);
    assert_eq!(emulator.security_groups_created(), 2);
    emulator.shutdown().await;
}

#[tokio::test]
async fn parameter_errors() {
    let emulator = Emulator::start().await.unwrap();
    let ep = emulator.endpoint();
    let long = "t".repeat(65);
    let cases: [(Extra, u16, &str); 5] = [
        (&[], 400, "MissingRegionId"),
        (&[("RegionId", "mars-1")], 404, "InvalidRegionId.NotFound"),
        (
            &[("RegionId", "cn-hangzhou"), ("SecurityGroupType", "vip")],
            400,
            "InvalidSecurityGroupType.ValueNotSupported",
        ),
        (
            &[("RegionId", "cn-hangzhou"), ("ClientToken", &long)],
            400,
            "InvalidClientToken.ValueNotSupported",
        ),
        (
            &[("RegionId", "cn-hangzhou"), ("ClientToken", "jeton-é")],
            400,
            "InvalidClientToken.ValueNotSupported",
        ),
    ];
    for (extra, status, code) in cases {
        call(ep, create("testid", extra), "testsecret")
            .await
            .assert_error(status, code);
    }
    // 64 ASCII characters are fine.
    let ok = "t".repeat(64);
    group_id(
        call(
            ep,
            create(
                "testid",
                &[("RegionId", "cn-hangzhou"), ("ClientToken", &ok)],
            ),
            "testsecret",
        )
        .await,
    )
    .await;
    assert_eq!(emulator.security_groups_created(), 1);
    emulator.shutdown().await;
}
