//! `#[rpc(client_token)]` and `ClientToken`: an unset token is filled in by the client, once
//! per call and the same for every retry, so that a create runs at most once; `prepare_with`
//! signs the same params as `call` sends.

use std::sync::{Arc, Mutex};

use aliyun_rpc::{Client, Credentials, Error, Request};
use aliyun_rpc_emulator::{Emulator, EmulatorRequest};
use serde_json::json;

mod common;
use common::scripted::{client, lock, scripted, Scripted};
use common::{build, fast_retry, retrying_builder, start, CreateSecurityGroup};

fn param<'a>(body: &'a str, key: &str) -> Option<&'a str> {
    body.split('&')
        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
}

#[test]
fn the_derive_reports_an_unset_token() {
    let unset = CreateSecurityGroup::new("cn-hangzhou");
    assert_eq!(unset.missing_client_token(), Some("ClientToken"));
    assert_eq!(
        unset.to_params(),
        [("RegionId".to_owned(), "cn-hangzhou".to_owned())]
    );
    let set = unset.client_token("my-token-1");
    assert_eq!(set.missing_client_token(), None);
    assert_eq!(
        set.to_params()[1],
        ("ClientToken".to_owned(), "my-token-1".to_owned())
    );
}

#[tokio::test]
async fn prepare_fills_in_a_fresh_uuid_or_keeps_the_callers() -> Result<(), aliyun_rpc::Error> {
    let client = Client::builder()
        .credentials(Credentials::new("id", "secret"))
        .region("cn-hangzhou")
        .build()?;
    let a = client
        .prepare(&CreateSecurityGroup::new("cn-hangzhou"))
        .await?;
    let b = client
        .prepare(&CreateSecurityGroup::new("cn-hangzhou"))
        .await?;
    let token_a = param(a.body().unwrap_or_default(), "ClientToken").unwrap_or_default();
    let token_b = param(b.body().unwrap_or_default(), "ClientToken").unwrap_or_default();
    assert_eq!(token_a.len(), 36, "{token_a}");
    assert_eq!(token_a.matches('-').count(), 4, "{token_a}");
    assert_ne!(token_a, token_b, "two calls, two tokens");

    let own = client
        .prepare(&CreateSecurityGroup::new("cn-hangzhou").client_token("mine"))
        .await?;
    assert_eq!(
        param(own.body().unwrap_or_default(), "ClientToken"),
        Some("mine")
    );
    Ok(())
}

/// `prepare_with` signs the params `call` sends, the client token among them: the same names,
/// where `call` fills the unset token with a fresh UUID and `prepare_with` with its nonce.
#[tokio::test]
async fn prepare_with_signs_the_param_names_that_call_sends() -> Result<(), aliyun_rpc::Error> {
    // The params of every call the emulator saw, one after the other.
    let seen: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let record = Arc::clone(&seen);
    let recorder = move |req: &EmulatorRequest| {
        if let Ok(mut seen) = record.lock() {
            seen.extend_from_slice(req.params());
        }
        Ok(json!({ "SecurityGroupId": "sg-recorded" }))
    };
    let emulator =
        common::start(Emulator::builder().handler("2014-05-26", "CreateSecurityGroup", recorder))
            .await;
    let client = common::build(common::builder(&emulator));
    let request = CreateSecurityGroup::new("cn-hangzhou").security_group_name("web");
    assert_eq!(request.missing_client_token(), Some("ClientToken"));

    let answer = client.call(&request).await?;
    assert_eq!(answer.security_group_id, "sg-recorded");
    let sent = seen.lock().map(|s| s.clone()).unwrap_or_default();
    // What the emulator saw, `Signature` excepted (it drops that one).
    let mut sent_names: Vec<&str> = sent.iter().map(|(k, _)| k.as_str()).collect();
    sent_names.sort_unstable();

    let nonce = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf";
    let creds = Credentials::new(emulator.access_key_id(), emulator.access_key_secret());
    let prepared = client.prepare_with(&request, &creds, time::OffsetDateTime::now_utc(), nonce)?;
    let body = prepared.body().unwrap_or_default();
    let mut signed_names: Vec<&str> = body
        .split('&')
        .filter_map(|pair| pair.split_once('=').map(|(k, _)| k))
        .filter(|k| *k != "Signature")
        .collect();
    signed_names.sort_unstable();

    assert_eq!(signed_names, sent_names);
    assert!(sent_names.contains(&"ClientToken"), "{sent_names:?}");
    assert_eq!(param(body, "ClientToken"), Some(nonce));
    assert!(
        prepared.string_to_sign().contains("ClientToken%3D"),
        "{}",
        prepared.string_to_sign()
    );
    Ok(())
}

#[tokio::test]
async fn the_client_token_is_the_same_for_every_retry() -> Result<(), Error> {
    let (emulator, seen) = scripted(2, "ServiceUnavailable", 503).await;
    let client = client(&emulator, fast_retry());
    client.call(&Scripted::new()).await?;
    client.call(&Scripted::new()).await?;
    let tokens = lock(&seen.tokens);
    assert_eq!(tokens.len(), 4);
    assert_eq!(tokens[0].len(), 36, "{tokens:?}");
    assert!(
        tokens[0] == tokens[1] && tokens[1] == tokens[2],
        "one call, one token: {tokens:?}"
    );
    assert_ne!(tokens[2], tokens[3], "a new call, a new token");
    Ok(())
}

#[tokio::test]
async fn a_retried_create_with_its_token_creates_one_group() -> Result<(), Error> {
    let emulator = start(Emulator::builder()).await;
    let client = build(retrying_builder(&emulator));
    let request = CreateSecurityGroup::new("cn-hangzhou").client_token("deploy-42");
    let first = client.call(&request).await?;
    let again = client.call(&request).await?;
    assert_eq!(first.security_group_id, again.security_group_id);
    assert_eq!(emulator.security_groups_created(), 1);
    Ok(())
}

#[tokio::test]
async fn a_dropped_connection_is_retried_and_creates_once() -> Result<(), Error> {
    let emulator = start(Emulator::builder()).await;
    emulator.faults().drop_next(2);
    let client = build(retrying_builder(&emulator));
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

/// A field sending `ClientToken` is the client token without `#[rpc(client_token)]`.
#[derive(Debug, Clone, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "CreateSecurityGroup", response = common::CreateSecurityGroupResponse)]
pub struct ByName {
    pub region_id: String,
    pub client_token: Option<String>,
}

/// The same, under a field name of the user's choosing.
#[derive(Debug, Clone, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "CreateSecurityGroup", response = common::CreateSecurityGroupResponse)]
pub struct Renamed {
    pub region_id: String,
    #[rpc(name = "ClientToken")]
    pub idempotency_key: Option<String>,
}

#[tokio::test]
async fn a_client_token_param_needs_no_attribute() -> Result<(), aliyun_rpc::Error> {
    assert_eq!(
        ByName::new("cn-hangzhou").missing_client_token(),
        Some("ClientToken")
    );
    assert_eq!(
        Renamed::new("cn-hangzhou").missing_client_token(),
        Some("ClientToken")
    );
    assert_eq!(
        ByName::new("cn-hangzhou")
            .client_token("mine")
            .missing_client_token(),
        None
    );
    let creds = Credentials::new("id", "secret");
    let client = Client::builder()
        .credentials(creds.clone())
        .region("cn-hangzhou")
        .build()?;
    let prepared = client.prepare(&Renamed::new("cn-hangzhou")).await?;
    let token = param(prepared.body().unwrap_or_default(), "ClientToken").unwrap_or_default();
    assert_eq!(token.len(), 36, "a fresh UUID: {token}");
    Ok(())
}
