//! The client against the emulator over real loopback HTTP: the seed call in both formats
//! and both methods, every gateway check decoded into `Error`, the STS path, and values that
//! need encoding.

mod common;
#[path = "../examples/common/ecs.rs"]
mod ecs;

use aliyun_rpc::error::SignatureMismatch;
use aliyun_rpc::{Client, Credentials, Error, Format, Method, Params, Request, RetryPolicy};
use aliyun_rpc_emulator::{ApiError as EmulatorError, Emulator};
use common::{build, builder, emulator, start};
use ecs::{ActionType, DescribeImageSupportInstanceTypes, Filter, InstanceType};
use serde::Deserialize;
use serde_json::json;

fn seed_request() -> DescribeImageSupportInstanceTypes {
    DescribeImageSupportInstanceTypes::new("cn-hangzhou").image_id("m-imageid1")
}

/// The seed page's example answer.
fn seed_instance_types() -> Vec<InstanceType> {
    let t = |id: &str, memory: f64| InstanceType {
        instance_type_id: id.into(),
        cpu_core_count: 1,
        memory_size: memory,
        instance_type_family: "ecs.t1".into(),
    };
    vec![t("ecs.t1.xsmall", 0.5), t("ecs.t1.small", 1.0)]
}

async fn api_error<R: Request>(client: &Client, request: &R) -> aliyun_rpc::ApiError {
    match client.call(request).await {
        Ok(_) => panic!("{} succeeded", R::ACTION),
        Err(Error::Api(api)) => *api,
        Err(other) => panic!("expected an API error, got {other}"),
    }
}

#[tokio::test]
async fn seed_call_in_every_format_and_method() -> Result<(), Error> {
    let emulator = emulator().await;
    for format in [Format::Json, Format::Xml] {
        for method in [Method::Post, Method::Get] {
            let client = build(builder(&emulator).format(format).method(method));
            let response = client.call(&seed_request()).await?;
            assert_eq!(response.region_id, "cn-hangzhou", "{format:?} {method:?}");
            assert_eq!(
                response.image_id,
                "ubuntu_16_0402_64_20G_alibase_20180409.vhd"
            );
            assert_eq!(
                response.instance_types,
                seed_instance_types(),
                "{format:?} {method:?}"
            );
            assert_eq!(response.request_id.len(), 36);
        }
    }
    assert_eq!(emulator.request_count(), 4);
    Ok(())
}

#[tokio::test]
async fn filters_and_action_type_reach_the_server() -> Result<(), Error> {
    let emulator = emulator().await;
    let client = build(builder(&emulator));
    let request = DescribeImageSupportInstanceTypes::new("cn-hangzhou")
        .image_id("ubuntu_16_0402_64_20G_alibase_20180409.vhd")
        .action_type(ActionType::Upgrade)
        .filter(Filter {
            key: "InstanceTypeFamily".into(),
            value: "ecs.g6".into(),
        })
        .filter(Filter {
            key: "CpuCoreCount".into(),
            value: "4".into(),
        });
    let response = client.call(&request).await?;
    let ids: Vec<&str> = response
        .instance_types
        .iter()
        .map(|t| t.instance_type_id.as_str())
        .collect();
    assert_eq!(ids, ["ecs.g6.xlarge"]);
    Ok(())
}

#[tokio::test]
async fn seed_error_codes() {
    let emulator = emulator().await;
    let client = build(builder(&emulator));

    let bad_filter = seed_request().filter(Filter {
        key: "Colour".into(),
        value: "blue".into(),
    });
    let e = api_error(&client, &bad_filter).await;
    assert_eq!(
        (e.http_status(), e.code(), e.message()),
        (400, "InvalidParamter", "Invalid Parameter")
    );

    let no_such_type = seed_request().filter(Filter {
        key: "InstanceTypeId".into(),
        value: "ecs.x9.huge".into(),
    });
    let e = api_error(&client, &no_such_type).await;
    assert_eq!(
        (e.http_status(), e.code()),
        (400, "InvalidInstanceType.ValueNotSupported")
    );
    assert_eq!(
        e.message(),
        "The specified InstanceType does not exist or beyond the permitted range."
    );

    let e = api_error(&client, &WithUsage::new("cn-hangzhou", "snapshot")).await;
    assert_eq!((e.http_status(), e.code()), (404, "InvalidUsage"));
    assert_eq!(e.message(), "The specifed Usage is not valid");

    // Every error answer carries a request id, the host, and a diagnosis link.
    assert_eq!(e.request_id().map(str::len), Some(36));
    assert!(
        e.host_id().is_some_and(|h| h.starts_with("127.0.0.1:")),
        "{:?}",
        e.host_id()
    );
    assert!(
        e.recommend().is_some_and(|r| r.contains("InvalidUsage")),
        "{:?}",
        e.recommend()
    );
}

/// The seed action with the `Usage` param the seed's `InvalidUsage` error speaks of.
#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeImageSupportInstanceTypes", response = serde_json::Value)]
struct WithUsage {
    region_id: String,
    usage: String,
}

#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeNothing", response = serde_json::Value)]
struct UnknownAction {}

#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2099-01-01", action = "DescribeRegions", response = serde_json::Value)]
struct FutureVersion {}

#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeRegions", response = DescribeRegionsResponse)]
struct DescribeRegions {}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeRegionsResponse {
    #[serde(deserialize_with = "aliyun_rpc::response::list")]
    regions: Vec<Region>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Region {
    region_id: String,
    local_name: String,
}

#[tokio::test]
async fn describe_regions_in_both_formats() -> Result<(), Error> {
    let emulator = emulator().await;
    for format in [Format::Json, Format::Xml] {
        let client = build(builder(&emulator).format(format));
        let regions = client.call(&DescribeRegions::new()).await?.regions;
        let hangzhou = regions.iter().find(|r| r.region_id == "cn-hangzhou");
        assert_eq!(
            hangzhou.map(|r| r.local_name.as_str()),
            Some("华东1（杭州）"),
            "{format:?}"
        );
        assert!(regions.len() > 10);
    }
    Ok(())
}

#[tokio::test]
async fn unknown_action_and_version() {
    let emulator = emulator().await;
    let client = build(builder(&emulator));
    let e = api_error(&client, &UnknownAction::new()).await;
    assert_eq!((e.http_status(), e.code()), (404, "InvalidAction.NotFound"));
    let e = api_error(&client, &FutureVersion::new()).await;
    assert_eq!((e.http_status(), e.code()), (400, "InvalidVersion"));
}

#[tokio::test]
async fn unknown_access_key() {
    let emulator = emulator().await;
    let client = build(builder(&emulator).credentials(Credentials::new("LTAI-nobody", "x")));
    let e = api_error(&client, &seed_request()).await;
    assert_eq!(
        (e.http_status(), e.code()),
        (404, "InvalidAccessKeyId.NotFound")
    );
    assert_eq!(e.message(), "Specified access key is not found.");
}

#[tokio::test]
async fn wrong_secret_is_diagnosed_as_such() {
    let emulator = emulator().await;
    let client = build(
        builder(&emulator)
            .credentials(Credentials::new(emulator.access_key_id(), "not-the-secret")),
    );
    let e = api_error(&client, &seed_request()).await;
    assert_eq!((e.http_status(), e.code()), (400, "SignatureDoesNotMatch"));
    assert!(e.message().starts_with(
        "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3Dtestid%26"
    ));
    assert_eq!(
        e.signature_mismatch(),
        Some(&SignatureMismatch::SameStringToSign)
    );
    let shown = Error::from(e).to_string();
    assert!(shown.contains("the access key secret is wrong"), "{shown}");
    assert!(!shown.contains("not-the-secret"));
}

/// Sends a prepared request as it is, or with its body changed, with a plain HTTP client.
async fn send_raw(
    prepared: &aliyun_rpc::client::PreparedRequest,
    body: Option<String>,
) -> (u16, Vec<u8>) {
    let http = reqwest::Client::new();
    let request = match prepared.method() {
        Method::Get => http.get(prepared.url()),
        Method::Post => http
            .post(prepared.url())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(
                body.or_else(|| prepared.body().map(str::to_owned))
                    .unwrap_or_default(),
            ),
    };
    match request.send().await {
        Ok(r) => {
            let status = r.status().as_u16();
            (
                status,
                r.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
            )
        }
        Err(e) => panic!("send: {e}"),
    }
}

#[tokio::test]
async fn tampered_replayed_and_expired_requests_are_rejected() -> Result<(), Error> {
    let emulator = emulator().await;
    let client = build(builder(&emulator));
    let creds = Credentials::new(emulator.access_key_id(), emulator.access_key_secret());
    let decode =
        |status: u16, body: &[u8]| aliyun_rpc::response::decode_error(Format::Json, status, body);

    // Tampered: RegionId changed after signing.
    let prepared = client.prepare(&seed_request()).await?;
    let tampered = prepared
        .body()
        .unwrap_or_default()
        .replace("RegionId=cn-hangzhou", "RegionId=cn-beijing");
    let (status, body) = send_raw(&prepared, Some(tampered)).await;
    let e = decode(status, &body);
    assert_eq!((e.http_status(), e.code()), (400, "SignatureDoesNotMatch"));
    let server = e
        .message()
        .split_once("server string to sign is:")
        .map(|(_, s)| s.to_owned())
        .unwrap_or_default();
    match SignatureMismatch::diagnose(prepared.string_to_sign(), &server) {
        SignatureMismatch::Differs { ours, server, .. } => {
            assert!(
                ours.contains("cn-hangzhou") && server.contains("cn-beijing"),
                "{ours} / {server}"
            );
        }
        other => panic!("{other:?}"),
    }

    // Replayed: the same signed request twice.
    let prepared = client.prepare(&seed_request()).await?;
    assert_eq!(send_raw(&prepared, None).await.0, 200);
    let (status, body) = send_raw(&prepared, None).await;
    let e = decode(status, &body);
    assert_eq!((e.http_status(), e.code()), (400, "SignatureNonceUsed"));

    // Expired: signed 20 minutes ago, outside the ±15 min window.
    let old = time::OffsetDateTime::now_utc() - time::Duration::minutes(20);
    let prepared = client.prepare_with(&seed_request(), &creds, old, "3ee8c1b8-old")?;
    let (status, body) = send_raw(&prepared, None).await;
    let e = decode(status, &body);
    assert_eq!(
        (e.http_status(), e.code()),
        (400, "InvalidTimeStamp.Expired")
    );
    Ok(())
}

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
async fn a_validation_error_sends_nothing() {
    let emulator = emulator().await;
    let client = build(builder(&emulator));
    let filters = (0..51).map(|i| Filter {
        key: format!("K{i}"),
        value: "v".into(),
    });
    let request = seed_request().filters(filters);
    match client.call(&request).await {
        Err(Error::InvalidRequest { param, reason, .. }) => {
            assert_eq!(param, "Filter");
            assert_eq!(reason, "at most 50 items allowed, got 51");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(emulator.request_count(), 0);
}

/// Echoes its business params back, so values can be compared after the round trip.
#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "Echo", response = EchoResponse)]
struct Echo {
    description: String,
    #[rpc(name = "Tag")]
    tags: Vec<Tag>,
}

#[derive(Debug, Clone, Params)]
struct Tag {
    key: String,
    value: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct EchoResponse {
    params: std::collections::BTreeMap<String, String>,
}

#[tokio::test]
async fn values_that_need_encoding_round_trip() -> Result<(), Error> {
    let emulator = start(Emulator::builder().handler("2014-05-26", "Echo", |req| {
        let params: serde_json::Map<String, serde_json::Value> = req
            .business_params()
            .map(|(k, v)| (k.to_owned(), json!(v)))
            .collect();
        if params.is_empty() {
            return Err(EmulatorError::bad_request(
                "MissingParams",
                "nothing to echo",
            ));
        }
        Ok(json!({ "Params": params }))
    }))
    .await;
    let values = [
        "a b  c",
        "*~+/=&%",
        "100% sure? #1 'quoted' \"double\"",
        "杭州 实例",
        "🚀 emoji ✓",
        "tab\tand\nnewline",
        "%20 is not a space",
    ];
    for format in [Format::Json, Format::Xml] {
        for method in [Method::Post, Method::Get] {
            let client = build(builder(&emulator).format(format).method(method));
            for value in values {
                let request = Echo::new(value).tag(Tag {
                    key: value.into(),
                    value: value.into(),
                });
                let echoed = client.call(&request).await?.params;
                let expected: std::collections::BTreeMap<String, String> = [
                    ("Description".to_owned(), value.to_owned()),
                    ("Tag.1.Key".to_owned(), value.to_owned()),
                    ("Tag.1.Value".to_owned(), value.to_owned()),
                ]
                .into_iter()
                .collect();
                assert_eq!(echoed, expected, "{format:?} {method:?} {value:?}");
            }
        }
    }
    Ok(())
}

/// Replaces the value of `key` in a form body (or drops the pair when `value` is `None`).
fn edit_param(body: &str, key: &str, value: Option<&str>) -> String {
    body.split('&')
        .filter_map(|pair| match pair.split_once('=') {
            Some((k, _)) if k == key => value.map(|v| format!("{k}={v}")),
            _ => Some(pair.to_owned()),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[tokio::test]
async fn gateway_checks_on_malformed_requests() -> Result<(), Error> {
    let emulator = emulator().await;
    let client = build(builder(&emulator));
    let cases: [(&str, Option<&str>, u16, &str); 6] = [
        ("Timestamp", None, 400, "MissingTimestamp"),
        ("SignatureNonce", None, 400, "MissingSignatureNonce"),
        ("Signature", None, 400, "MissingSignature"),
        (
            "SignatureMethod",
            Some("HMAC-SHA256"),
            400,
            "InvalidSignatureMethod",
        ),
        (
            "SignatureVersion",
            Some("2.0"),
            400,
            "InvalidSignatureVersion",
        ),
        (
            "Timestamp",
            Some("2016-02-23%2012%3A46%3A24"),
            400,
            "InvalidTimeStamp.Format",
        ),
    ];
    for (key, value, status, code) in cases {
        let prepared = client.prepare(&seed_request()).await?;
        let body = edit_param(prepared.body().unwrap_or_default(), key, value);
        let (got_status, answer) = send_raw(&prepared, Some(body)).await;
        let e = aliyun_rpc::response::decode_error(Format::Json, got_status, &answer);
        assert_eq!(
            (e.http_status(), e.code()),
            (status, code),
            "{key}={value:?}"
        );
        assert!(!e.message().is_empty() && e.request_id().is_some(), "{e:?}");
    }
    Ok(())
}

#[test]
fn client_is_cheap_to_share() {
    fn assert_shareable<T: Clone + Send + Sync + 'static>() {}
    fn assert_sendable<T: Send + Sync + 'static>() {}
    assert_shareable::<Client>();
    assert_sendable::<Error>();
}

#[tokio::test]
async fn connection_refused_is_a_connect_error() {
    // Bind a port, then free it, so nothing listens there.
    let port = match std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()) {
        Ok(addr) => addr.port(),
        Err(e) => panic!("{e}"),
    };
    let client = build(
        Client::builder()
            .credentials(Credentials::new("testid", "testsecret"))
            .endpoint(format!("http://127.0.0.1:{port}"))
            .retry(RetryPolicy::none()),
    );
    match client.call(&seed_request()).await {
        Err(Error::Transport {
            kind,
            url,
            attempts,
            ..
        }) => {
            assert_eq!(kind, aliyun_rpc::error::TransportKind::Connect);
            assert_eq!(url, format!("http://127.0.0.1:{port}/"));
            assert_eq!(attempts, 1);
        }
        other => panic!("expected a connect error, got {other:?}"),
    }
}

#[tokio::test]
async fn debug_and_display_never_show_secrets() -> Result<(), Error> {
    let emulator = emulator().await;
    let creds = Credentials::new(emulator.access_key_id(), emulator.access_key_secret())
        .with_security_token("tok-SECRET");
    let client = build(builder(&emulator).credentials(creds));
    let shown = format!("{client:?}");
    assert!(
        !shown.contains(emulator.access_key_secret()) && !shown.contains("tok-SECRET"),
        "{shown}"
    );
    let prepared = client.prepare(&seed_request()).await?;
    for shown in [format!("{prepared:?}"), prepared.to_string()] {
        assert!(
            !shown.contains(emulator.access_key_secret()) && !shown.contains("tok-SECRET"),
            "{shown}"
        );
    }
    // The emulator's error about the token must not surface it either.
    let e = api_error(&client, &seed_request()).await;
    let shown = format!("{} {:?}", Error::from(e.clone()), e);
    assert!(!shown.contains("tok-SECRET"), "{shown}");
    Ok(())
}

#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "Headers", response = serde_json::Value)]
struct Headers {}

#[tokio::test]
async fn headers_name_the_action_version_and_crate() -> Result<(), Error> {
    let emulator = start(Emulator::builder().handler("2014-05-26", "Headers", |req| {
        let h = |name: &str| json!(req.header(name).unwrap_or_default());
        Ok(json!({
            "UserAgent": h("user-agent"),
            "Action": h("x-acs-action"),
            "Version": h("x-acs-version"),
            "ContentType": h("content-type"),
        }))
    }))
    .await;
    let seen = build(builder(&emulator)).call(&Headers::new()).await?;
    assert_eq!(
        seen["UserAgent"],
        format!("aliyun-rpc/{} (rust)", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(seen["Action"], "Headers");
    assert_eq!(seen["Version"], "2014-05-26");
    assert_eq!(seen["ContentType"], "application/x-www-form-urlencoded");
    Ok(())
}
