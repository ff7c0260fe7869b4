//! Credentials end to end: STS security tokens on calls, and temporary credentials from STS
//! `AssumeRole` and from the ECS RAM role (instance metadata) refreshed once for 50
//! concurrent callers.

mod common;

use std::time::Duration;

use aliyun_rpc::credentials::{EcsRamRoleProvider, RamRoleArnProvider};
use aliyun_rpc::{Client, Credentials, Error};
use aliyun_rpc_emulator::Emulator;
use common::{api_error, build, builder, fast_retry, seed_instance_types, seed_request, start};

#[tokio::test]
async fn sts_credentials() -> Result<(), Error> {
    let emulator =
        start(Emulator::builder().sts_token("STS.NUmEXample", "sts-secret", "CAIS+tok/en==")).await;
    let sts = Credentials::new("STS.NUmEXample", "sts-secret").with_security_token("CAIS+tok/en==");
    let client = build(builder(&emulator).credentials(sts));
    assert_eq!(
        client.call(&seed_request()).await?.instance_types,
        seed_instance_types()
    );

    let wrong_token =
        Credentials::new("STS.NUmEXample", "sts-secret").with_security_token("CAIS-other");
    let e = api_error(
        &build(builder(&emulator).credentials(wrong_token)),
        &seed_request(),
    )
    .await;
    assert_eq!(e.code(), "InvalidSecurityToken.MismatchWithAccessKey");

    let no_token = Credentials::new("STS.NUmEXample", "sts-secret");
    let e = api_error(
        &build(builder(&emulator).credentials(no_token)),
        &seed_request(),
    )
    .await;
    assert_eq!(e.code(), "MissingSecurityToken");
    Ok(())
}

#[tokio::test]
async fn sts_assume_role_credentials_refresh_once_for_50_callers() -> Result<(), Error> {
    // Issued credentials live 184 s: fresh for 4 s, then inside the 180 s refresh margin.
    let emulator = start(Emulator::builder().sts_duration_override(Duration::from_secs(184))).await;
    let base = Credentials::new(emulator.access_key_id(), emulator.access_key_secret());
    let provider = RamRoleArnProvider::builder(base, "acs:ram::1234567890123456:role/deployer")
        .role_session_name("tests")
        .sts_endpoint(emulator.endpoint())
        .build()?
        .cached();
    let client = build(
        Client::builder()
            .credentials_provider(provider)
            .region("cn-hangzhou")
            .endpoint(emulator.endpoint())
            .retry(fast_retry()),
    );
    client.call(&seed_request()).await?;
    assert_eq!(emulator.assume_role_count(), 1);
    concurrent_seed_calls(&client, 50).await?;
    assert_eq!(emulator.assume_role_count(), 1, "still fresh: no refresh");

    tokio::time::sleep(Duration::from_millis(4200)).await;
    concurrent_seed_calls(&client, 50).await?;
    assert_eq!(
        emulator.assume_role_count(),
        2,
        "stale: exactly one refresh for 50 callers"
    );
    Ok(())
}

#[tokio::test]
async fn ecs_ram_role_credentials_refresh_once_for_50_callers() -> Result<(), Error> {
    let emulator = start(
        Emulator::builder()
            .ecs_ram_role("EcsRoleForTests")
            .imds_require_token(true)
            .sts_duration_override(Duration::from_secs(184)),
    )
    .await;
    let provider = EcsRamRoleProvider::new()
        .role_name("EcsRoleForTests")
        .endpoint(emulator.metadata_endpoint())
        .cached();
    let client = build(
        Client::builder()
            .credentials_provider(provider)
            .region("cn-hangzhou")
            .endpoint(emulator.endpoint())
            .retry(fast_retry()),
    );
    client.call(&seed_request()).await?;
    assert_eq!(emulator.imds_credential_count(), 1);
    concurrent_seed_calls(&client, 50).await?;
    assert_eq!(emulator.imds_credential_count(), 1);

    tokio::time::sleep(Duration::from_millis(4200)).await;
    concurrent_seed_calls(&client, 50).await?;
    assert_eq!(emulator.imds_credential_count(), 2);
    Ok(())
}

async fn concurrent_seed_calls(client: &Client, n: usize) -> Result<(), Error> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let client = client.clone();
        tasks.spawn(async move { client.call(&seed_request()).await.map(drop) });
    }
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(result) => result?,
            Err(e) => panic!("task: {e}"),
        }
    }
    Ok(())
}
