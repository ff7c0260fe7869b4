//! The client under load through injected faults: 200 concurrent creates through throttling,
//! 5xx and dropped connections all succeed, none runs twice, no nonce is reused.

mod common;

use std::sync::Arc;

use aliyun_rpc::Error;
use aliyun_rpc_emulator::Emulator;
use common::{build, fast_retry, retrying_builder, start, CreateSecurityGroup};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_creates_through_faults() -> Result<(), Error> {
    let emulator = Arc::new(start(Emulator::builder()).await);
    emulator
        .faults()
        .seed(7)
        .fail_percent(10.0, "Throttling.User", 400)
        .fail_percent(10.0, "ServiceUnavailable", 503)
        .drop_percent(10.0);
    let client = build(retrying_builder(&emulator).retry(fast_retry().max_attempts(12)));
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
