//! The credentials URI: `GET` gives fresh temporary credentials that the RPC side accepts;
//! faults reach it; `/` cannot be its path.

mod common;

use std::time::Duration;

use aliyun_rpc_emulator::{Emulator, StartError};
use common::*;
use serde_json::Value;

async fn fetch(url: &str) -> (u16, Value) {
    let response = client().get(url).send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn serves_fresh_credentials_that_work() {
    let emulator = Emulator::builder()
        .credentials_uri("credentials")
        .sts_duration_override(Duration::from_secs(300))
        .start()
        .await
        .unwrap();
    let url = emulator.credentials_uri().unwrap();
    assert_eq!(url, format!("{}/credentials", emulator.endpoint()));
    let (status, doc) = fetch(&url).await;
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["Code"], "Success");
    let id = doc["AccessKeyId"].as_str().unwrap();
    assert!(id.starts_with("STS."), "{id}");
    let expiration = time::OffsetDateTime::parse(
        doc["Expiration"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let lifetime = expiration - time::OffsetDateTime::now_utc();
    assert!(
        (290..=300).contains(&lifetime.whole_seconds()),
        "{lifetime}"
    );

    let mut params = common("DescribeRegions", "2014-05-26", id, "JSON");
    set(
        &mut params,
        "SecurityToken",
        doc["SecurityToken"].as_str().unwrap(),
    );
    let reply = call(
        emulator.endpoint(),
        params,
        doc["AccessKeySecret"].as_str().unwrap(),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);

    let (_, again) = fetch(&url).await;
    assert_ne!(
        again["AccessKeyId"], doc["AccessKeyId"],
        "a new set each time"
    );
    assert_eq!(emulator.credentials_uri_count(), 2);
    // Other paths are not it.
    assert_eq!(fetch(&format!("{url}/x")).await.0, 404);
    emulator.shutdown().await;
}

#[tokio::test]
async fn faults_reach_it() {
    let emulator = Emulator::builder()
        .credentials_uri("/credentials")
        .faults(|f| {
            f.fail_next(1, "InternalError", 500);
        })
        .start()
        .await
        .unwrap();
    let url = emulator.credentials_uri().unwrap();
    let (status, doc) = fetch(&url).await;
    assert_eq!((status, doc["Code"].as_str()), (500, Some("InternalError")));
    emulator.faults().drop_next(1);
    let broken = match client().get(&url).send().await {
        Ok(response) => response.text().await.is_err(),
        Err(_) => true,
    };
    assert!(broken, "the connection breaks mid-answer");
    assert_eq!(fetch(&url).await.0, 200);
    assert_eq!(emulator.credentials_uri_count(), 1);
    assert_eq!(emulator.faults_injected(), 2);
    emulator.shutdown().await;
}

#[tokio::test]
async fn the_root_path_is_refused() {
    match Emulator::builder().credentials_uri("/").start().await {
        Err(StartError::Config { message }) => assert!(message.contains("`/`"), "{message}"),
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("started"),
    }
}
