//! `#[rpc(client_token)]`: an unset token is filled in by the client, once per call.

use aliyun_rpc::{Client, Credentials, Request};

mod common;
use common::CreateSecurityGroup;

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
