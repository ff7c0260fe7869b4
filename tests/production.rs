//! The production client against a misbehaving emulator: rate-limit headers, timeouts,
//! dropped connections, clock skew, expiring credentials (STS AssumeRole and the ECS RAM
//! role from instance metadata), and 200 concurrent calls through injected faults.

mod common;
#[path = "../examples/common/ecs.rs"]
mod ecs;

use std::sync::Arc;
use std::time::{Duration, Instant};

use aliyun_rpc::credentials::{EcsRamRoleProvider, RamRoleArnProvider};
use aliyun_rpc::error::TransportKind;
use aliyun_rpc::{Client, ClientBuilder, Credentials, Error, RetryPolicy};
use aliyun_rpc_emulator::Emulator;
use common::{build, start, CreateSecurityGroup};
use ecs::DescribeImageSupportInstanceTypes;

fn builder(emulator: &Emulator) -> ClientBuilder {
    common::builder(emulator).retry(fast())
}

fn fast() -> RetryPolicy {
    RetryPolicy::default()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(10))
}

fn seed() -> DescribeImageSupportInstanceTypes {
    DescribeImageSupportInstanceTypes::new("cn-hangzhou").image_id("m-imageid1")
}

#[tokio::test]
async fn rate_limit_headers_set_the_minimum_wait() -> Result<(), Error> {
    let emulator = start(Emulator::builder()).await;
    emulator
        .faults()
        .throttle_next(1, Duration::from_millis(300));
    let started = Instant::now();
    let response = build(builder(&emulator)).call(&seed()).await?;
    assert_eq!(response.instance_types.len(), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(emulator.request_count(), 2);
    Ok(())
}

#[tokio::test]
async fn attempt_timeouts_are_retried_then_reported() {
    let emulator = start(Emulator::builder()).await;
    emulator.faults().latency(Duration::from_millis(400));
    let client = build(
        builder(&emulator)
            .attempt_timeout(Duration::from_millis(100))
            .retry(fast().max_attempts(2)),
    );
    match client.call(&seed()).await {
        Err(Error::Transport { kind, attempts, .. }) => {
            assert_eq!(kind, TransportKind::Timeout);
            assert_eq!(attempts, 2);
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn a_dropped_connection_is_retried_and_creates_once() -> Result<(), Error> {
    let emulator = start(Emulator::builder()).await;
    emulator.faults().drop_next(2);
    let client = build(builder(&emulator));
    let created = client
        .call(&CreateSecurityGroup::new("cn-hangzhou").security_group_name("web"))
        .await?;
    assert!(
        created.security_group_id.starts_with("sg-"),
        "{}",
        created.security_group_id
    );
    assert_eq!(emulator.request_count(), 3);
    assert_eq!(emulator.security_groups_created(), 1);
    Ok(())
}

#[tokio::test]
async fn a_retried_create_with_its_token_creates_one_group() -> Result<(), Error> {
    let emulator = start(Emulator::builder()).await;
    let client = build(builder(&emulator));
    let request = CreateSecurityGroup::new("cn-hangzhou").client_token("deploy-42");
    let first = client.call(&request).await?;
    let again = client.call(&request).await?;
    assert_eq!(first.security_group_id, again.security_group_id);
    assert_eq!(emulator.security_groups_created(), 1);
    Ok(())
}

#[tokio::test]
async fn clock_skew_is_learnt_and_kept() -> Result<(), Error> {
    let emulator = start(Emulator::builder()).await;
    emulator.faults().clock_skew_secs(3600);
    let client = build(builder(&emulator).retry(RetryPolicy::none()));
    assert_eq!(client.call(&seed()).await?.instance_types.len(), 2);
    let offset = client.clock_offset().whole_seconds();
    assert!((3598..=3602).contains(&offset), "learnt offset {offset}");
    assert_eq!(emulator.request_count(), 2, "one rejected, one corrected");
    client.call(&seed()).await?;
    assert_eq!(
        emulator.request_count(),
        3,
        "later calls use the offset straight away"
    );

    // The other way round, and a fresh client sharing nothing.
    emulator.faults().clock_skew_secs(-1800);
    let other = build(builder(&emulator).retry(RetryPolicy::none()));
    other.call(&seed()).await?;
    assert!((-1802..=-1798).contains(&other.clock_offset().whole_seconds()));
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
            .retry(fast()),
    );
    client.call(&seed()).await?;
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
            .retry(fast()),
    );
    client.call(&seed()).await?;
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
        tasks.spawn(async move { client.call(&seed()).await.map(drop) });
    }
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(result) => result?,
            Err(e) => panic!("task: {e}"),
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_creates_through_faults() -> Result<(), Error> {
    let emulator = Arc::new(start(Emulator::builder()).await);
    emulator
        .faults()
        .seed(7)
        .fail_percent(10.0, "Throttling.User", 400)
        .fail_percent(10.0, "ServiceUnavailable", 503)
        .drop_percent(10.0);
    let client = build(builder(&emulator).retry(fast().max_attempts(12)));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..200 {
        let client = client.clone();
        tasks.spawn(async move {
            let request =
                CreateSecurityGroup::new("cn-hangzhou").security_group_name(format!("sg-{i}"));
            client.call(&request).await.map(|r| r.security_group_id)
        });
    }
    let mut ids = std::collections::HashSet::new();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(result) => {
                ids.insert(result?);
            }
            Err(e) => panic!("task: {e}"),
        }
    }
    assert_eq!(ids.len(), 200, "every call succeeded with its own group");
    assert_eq!(
        emulator.security_groups_created(),
        200,
        "no create executed twice"
    );
    assert_eq!(emulator.nonce_reuse_count(), 0, "no nonce ever reused");
    let injected = emulator.faults_injected();
    assert!(injected > 40, "faults were injected: {injected}");
    assert_eq!(emulator.request_count(), 200 + injected);
    Ok(())
}
