//! Signature V3 (`ACS3-HMAC-SHA256`) over loopback: calls built by hand with the runtime's
//! pure V3 stages (an independent signer: not the emulator's code path), verified on the
//! same endpoint as v1; each refusal with its code, in Aliyun's order; JSON or XML as asked;
//! the nonce store shared with v1; faults, counters and limits as for v1.

mod common;

use std::time::{Duration, SystemTime};

use aliyun_rpc_emulator::{ApiError, Emulator, SignatureVersion};
use aliyun_rpc_runtime::signing::v3::{hashed_payload, StringToSign};
use common::v3::V3;
use common::*;
use serde_json::{json, Value};
use time::OffsetDateTime;

const ECS: &str = "2014-05-26";
const TEST: &str = "2024-01-01";

/// Answers what the handler saw.
fn echo(req: &aliyun_rpc_emulator::EmulatorRequest) -> Result<Value, ApiError> {
    let params: Vec<Value> = req.params().iter().map(|(k, v)| json!([k, v])).collect();
    Ok(json!({
        "Action": req.action(),
        "Version": req.version(),
        "AccessKeyId": req.access_key_id(),
        "Method": req.method(),
        "Signature": req.signature_version().to_string(),
        "V3": req.signature_version() == SignatureVersion::V3,
        "Params": params,
    }))
}

async fn echo_emulator() -> Emulator {
    Emulator::builder()
        .handler(TEST, "Echo", echo)
        .start()
        .await
        .unwrap()
}

fn message(json: &Value) -> &str {
    json["Message"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_signed_get_reaches_the_handler_with_its_params() {
    let emulator = echo_emulator().await;
    let reply = V3::new(&emulator, "Echo", TEST)
        .query("Name", "a b*c~d+e/f=g&h%i 杭州 🚀")
        .query("Filter.1.Key", "x")
        .query("Empty", "")
        .send(emulator.endpoint())
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.header("content-type").starts_with("application/json"));
    let json = reply.json();
    assert_eq!(json["Action"], "Echo");
    assert_eq!(json["Version"], TEST);
    assert_eq!(json["AccessKeyId"], "testid");
    assert_eq!(json["Method"], "GET");
    assert_eq!(json["Signature"], "ACS3-HMAC-SHA256");
    assert_eq!(json["V3"], true);
    assert_eq!(
        json["Params"],
        json!([
            ["Name", "a b*c~d+e/f=g&h%i 杭州 🚀"],
            ["Filter.1.Key", "x"],
            ["Empty", ""]
        ])
    );
    assert_eq!(emulator.request_count(), 1);
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_signed_post_with_query_or_form_body_reaches_the_handler() {
    let emulator = echo_emulator().await;
    // Query only, empty body: what the official SDKs send for ECS.
    let reply = V3::new(&emulator, "Echo", TEST)
        .method("POST")
        .query("RegionId", "cn-hangzhou")
        .send(emulator.endpoint())
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["Params"], json!([["RegionId", "cn-hangzhou"]]));
    assert_eq!(reply.json()["Method"], "POST");

    // Query and a form body: the body is hashed as sent, then decoded into params.
    let reply = V3::new(&emulator, "Echo", TEST)
        .method("POST")
        .query("RegionId", "cn-hangzhou")
        .form("Description=a+b%2A%7E%2F%3D%26%25+%E6%9D%AD+%F0%9F%9A%80&Tag.1.Key=k")
        .send(emulator.endpoint())
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.json()["Params"],
        json!([
            ["RegionId", "cn-hangzhou"],
            ["Description", "a b*~/=&% 杭 🚀"],
            ["Tag.1.Key", "k"]
        ])
    );
    emulator.shutdown().await;
}

/// The seed request (`Filter.N` in the query) against the built-in action.
#[tokio::test]
async fn the_seed_request_answers_the_seed_values() {
    let emulator = Emulator::start().await.unwrap();
    let reply = V3::new(&emulator, "DescribeImageSupportInstanceTypes", ECS)
        .method("POST")
        .query("RegionId", "cn-hangzhou")
        .query("ImageId", "m-imageid1")
        .query("Filter.1.Key", "InstanceTypeFamily")
        .query("Filter.1.Value", "ecs.t1")
        .send(emulator.endpoint())
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let json = reply.json();
    assert_eq!(
        json["ImageId"],
        "ubuntu_16_0402_64_20G_alibase_20180409.vhd"
    );
    assert_eq!(
        json["InstanceTypes"]["InstanceType"],
        json!([
            {"InstanceTypeId": "ecs.t1.xsmall", "CpuCoreCount": 1, "MemorySize": 0.5, "InstanceTypeFamily": "ecs.t1"},
            {"InstanceTypeId": "ecs.t1.small", "CpuCoreCount": 1, "MemorySize": 1, "InstanceTypeFamily": "ecs.t1"}
        ])
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_malformed_authorization_or_another_algorithm_is_refused() {
    let emulator = Emulator::start().await.unwrap();
    let call = V3::new(&emulator, "DescribeRegions", ECS);
    let good = call.authorization();
    for bad in [
        "ACS3-HMAC-SHA256".to_owned(),
        good.replace(",Signature=", ",Sig="),
        good.replace("Credential=testid,", ""),
        format!("{good},Signature={}", "0".repeat(64)),
        good.replace("SignedHeaders=", "SignedHeaders=;"),
        format!("{good}{}", "a".repeat(5000)),
    ] {
        let reply = call.send_with(emulator.endpoint(), &bad).await;
        let json = reply.assert_error(400, "IncompleteSignature");
        assert!(
            message(&json)
                .starts_with("The request signature does not conform to Aliyun standards. ("),
            "{json}"
        );
    }
    let reply = call
        .send_with(
            emulator.endpoint(),
            &good.replace("ACS3-HMAC-SHA256", "ACS3-HMAC-SM3"),
        )
        .await;
    let json = reply.assert_error(400, "InvalidSignatureMethod");
    assert!(message(&json).contains("`ACS3-HMAC-SM3`"), "{json}");
    emulator.shutdown().await;
}

#[tokio::test]
async fn an_unknown_key_or_a_wrong_secret_is_refused() {
    let emulator = Emulator::start().await.unwrap();
    let reply = V3::new(&emulator, "DescribeRegions", ECS)
        .key("LTAI-nobody", "testsecret")
        .send(emulator.endpoint())
        .await;
    let json = reply.assert_error(404, "InvalidAccessKeyId.NotFound");
    assert_eq!(message(&json), "Specified access key is not found.");
    V3::new(&emulator, "DescribeRegions", ECS)
        .key("testid", "not-the-secret")
        .send(emulator.endpoint())
        .await
        .assert_error(400, "SignatureDoesNotMatch");
    emulator.shutdown().await;
}

#[tokio::test]
async fn mandatory_headers_must_be_sent_and_signed() {
    let emulator = Emulator::start().await.unwrap();
    for name in [
        "x-acs-action",
        "x-acs-version",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
    ] {
        // Not sent at all.
        let reply = V3::new(&emulator, "DescribeRegions", ECS)
            .without(name)
            .send(emulator.endpoint())
            .await;
        let json = reply.assert_error(400, "IncompleteSignature");
        assert!(
            message(&json).contains(&format!("no `{name}` header")),
            "{json}"
        );
        // Sent, left out of SignedHeaders.
        let mut call = V3::new(&emulator, "DescribeRegions", ECS);
        call.omit.push(name);
        let json = call
            .send(emulator.endpoint())
            .await
            .assert_error(400, "IncompleteSignature");
        assert!(
            message(&json).contains(&format!("does not name `{name}`")),
            "{json}"
        );
    }
    // `host` cannot be left out of the request (reqwest sends it) but can be of the list.
    let mut call = V3::new(&emulator, "DescribeRegions", ECS);
    call.omit.push("host");
    call.send(emulator.endpoint())
        .await
        .assert_error(400, "IncompleteSignature");
    // A signed header that is not sent.
    let call = V3::new(&emulator, "DescribeRegions", ECS).with("x-acs-meta", "1");
    let authorization = call.authorization();
    let json = call
        .without("x-acs-meta")
        .send_with(emulator.endpoint(), &authorization)
        .await
        .assert_error(400, "IncompleteSignature");
    assert!(
        message(&json).contains("`x-acs-meta` is not in the request"),
        "{json}"
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn tampering_is_refused_and_the_message_shows_the_servers_canonical_request() {
    let emulator = Emulator::start().await.unwrap();
    let endpoint = emulator.endpoint();

    // A tampered query.
    let call = V3::new(&emulator, "DescribeRegions", ECS).query("AcceptLanguage", "zh-CN");
    let authorization = call.authorization();
    let mut tampered = call.clone();
    tampered.query[0].1 = "en-US".into();
    let json = tampered
        .send_with(endpoint, &authorization)
        .await
        .assert_error(400, "SignatureDoesNotMatch");
    let expected = tampered.canonical_request();
    let sts = StringToSign::new(&expected);
    assert_eq!(
        message(&json),
        format!(
            "Specified signature is not matched with our calculation. server string to sign \
             is:{} server canonical request is:{}",
            sts.as_str(),
            expected.as_str()
        )
    );
    assert!(
        message(&json).contains("\nAcceptLanguage=en-US\n"),
        "{json}"
    );

    // A tampered form body whose hash header was left as signed.
    let call = V3::new(&emulator, "DescribeRegions", ECS)
        .method("POST")
        .form("AcceptLanguage=zh-CN");
    let authorization = call.authorization();
    let mut tampered = call.clone();
    tampered.body = b"AcceptLanguage=en-US".to_vec();
    let json = tampered
        .send_with(endpoint, &authorization)
        .await
        .assert_error(400, "XAcsContentSHA256Mismatch");
    assert!(
        message(&json).ends_with(&format!(
            "server hashed payload is:{}",
            hashed_payload(b"AcceptLanguage=en-US")
        )),
        "{json}"
    );

    // The same with the hash recomputed, but the old signature.
    tampered.hash_body();
    tampered
        .send_with(endpoint, &authorization)
        .await
        .assert_error(400, "SignatureDoesNotMatch");

    // A signed header changed.
    let call = V3::new(&emulator, "DescribeRegions", ECS).with("x-acs-meta", "one");
    let authorization = call.authorization();
    call.with("x-acs-meta", "two")
        .send_with(endpoint, &authorization)
        .await
        .assert_error(400, "SignatureDoesNotMatch");

    // Another method.
    let call = V3::new(&emulator, "DescribeRegions", ECS);
    let authorization = call.authorization();
    call.method("POST")
        .send_with(endpoint, &authorization)
        .await
        .assert_error(400, "SignatureDoesNotMatch");
    emulator.shutdown().await;
}

#[tokio::test]
async fn the_date_has_a_format_and_a_window() {
    let emulator = Emulator::start().await.unwrap();
    let now = OffsetDateTime::now_utc();
    for (date, code) in [
        (
            timestamp(now - time::Duration::minutes(16)),
            "InvalidTimeStamp.Expired",
        ),
        (
            timestamp(now + time::Duration::minutes(16)),
            "InvalidTimeStamp.Expired",
        ),
        ("2016-02-23 12:46:24".to_owned(), "InvalidTimeStamp.Format"),
        (
            "Tue, 23 Feb 2016 12:46:24 GMT".to_owned(),
            "InvalidTimeStamp.Format",
        ),
    ] {
        V3::new(&emulator, "DescribeRegions", ECS)
            .with("x-acs-date", &date)
            .send(emulator.endpoint())
            .await
            .assert_error(400, code);
    }
    // Inside the window either way, and with milliseconds.
    for date in [
        timestamp(now - time::Duration::minutes(14)),
        timestamp(now + time::Duration::minutes(14)),
        format!("{}.250Z", timestamp(now).trim_end_matches('Z')),
    ] {
        let reply = V3::new(&emulator, "DescribeRegions", ECS)
            .with("x-acs-date", &date)
            .send(emulator.endpoint())
            .await;
        assert_eq!(reply.status, 200, "{date}: {}", reply.body);
    }
    // The emulator's skewed clock decides, as for v1.
    emulator.faults().clock_skew_secs(3600);
    V3::new(&emulator, "DescribeRegions", ECS)
        .send(emulator.endpoint())
        .await
        .assert_error(400, "InvalidTimeStamp.Expired");
    emulator.shutdown().await;
}

/// One nonce store for both signatures: a nonce used by a v1 call cannot be replayed in a
/// V3 call, nor the other way round, nor twice in V3.
#[tokio::test]
async fn a_nonce_is_used_once_across_v1_and_v3() {
    let emulator = Emulator::start().await.unwrap();
    let endpoint = emulator.endpoint();

    let nonce = uuid::Uuid::new_v4().to_string();
    let mut v1 = common("DescribeRegions", ECS, "testid", "JSON");
    set(&mut v1, "SignatureNonce", &nonce);
    assert_eq!(call(endpoint, v1, "testsecret").await.status, 200);
    let json = V3::new(&emulator, "DescribeRegions", ECS)
        .with("x-acs-signature-nonce", &nonce)
        .send(endpoint)
        .await
        .assert_error(400, "SignatureNonceUsed");
    assert_eq!(
        message(&json),
        "Specified signature nonce was used already."
    );

    let nonce = uuid::Uuid::new_v4().to_string();
    let v3 = V3::new(&emulator, "DescribeRegions", ECS).with("x-acs-signature-nonce", &nonce);
    assert_eq!(v3.send(endpoint).await.status, 200);
    v3.send(endpoint)
        .await
        .assert_error(400, "SignatureNonceUsed");
    let mut v1 = common("DescribeRegions", ECS, "testid", "JSON");
    set(&mut v1, "SignatureNonce", &nonce);
    call(endpoint, v1, "testsecret")
        .await
        .assert_error(400, "SignatureNonceUsed");
    assert_eq!(emulator.nonce_reuse_count(), 3);
    emulator.shutdown().await;
}

#[tokio::test]
async fn sts_tokens_are_checked_like_v1s() {
    let expired = SystemTime::now() - Duration::from_secs(60);
    let emulator = Emulator::builder()
        .access_key("testid", "testsecret")
        .sts_token("STS.live", "live-secret", "live+token/==")
        .sts_token_expiring_at("STS.old", "old-secret", "old-token", expired)
        .start()
        .await
        .unwrap();
    let endpoint = emulator.endpoint();
    let sts = |id: &str, secret: &str| V3::new(&emulator, "DescribeRegions", ECS).key(id, secret);

    let reply = sts("STS.live", "live-secret")
        .with("x-acs-security-token", "live+token/==")
        .with("x-acs-accesskey-id", "STS.live")
        .send(endpoint)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let json = sts("STS.live", "live-secret")
        .send(endpoint)
        .await
        .assert_error(400, "MissingSecurityToken");
    assert_eq!(
        message(&json),
        "SecurityToken is mandatory for this action."
    );
    sts("STS.live", "live-secret")
        .with("x-acs-security-token", "another")
        .send(endpoint)
        .await
        .assert_error(400, "InvalidSecurityToken.MismatchWithAccessKey");
    sts("STS.old", "old-secret")
        .with("x-acs-security-token", "old-token")
        .send(endpoint)
        .await
        .assert_error(400, "InvalidSecurityToken.Expired");
    sts("testid", "testsecret")
        .with("x-acs-security-token", "live+token/==")
        .send(endpoint)
        .await
        .assert_error(400, "InvalidSecurityToken.Malformed");
    // The token must be signed.
    let mut call = sts("STS.live", "live-secret").with("x-acs-security-token", "live+token/==");
    call.omit.push("x-acs-security-token");
    call.send(endpoint)
        .await
        .assert_error(400, "IncompleteSignature");
    emulator.shutdown().await;
}

#[tokio::test]
async fn the_answer_is_json_or_xml_as_asked() {
    let emulator = Emulator::start().await.unwrap();
    let endpoint = emulator.endpoint();
    let mut call = V3::new(&emulator, "DescribeRegions", ECS);

    call.unsigned = owned(&[("accept", "application/json")]);
    let reply = call.send(endpoint).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.json()["Regions"]["Region"].is_array());

    for accept in ["application/xml", "text/xml", "*/*"] {
        let mut call = V3::new(&emulator, "DescribeRegions", ECS);
        call.unsigned = owned(&[("accept", accept)]);
        let reply = call.send(endpoint).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert!(
            reply.header("content-type").starts_with("text/xml"),
            "{accept}"
        );
        assert!(
            reply.body.starts_with(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DescribeRegionsResponse><RequestId>"
            ),
            "{accept}: {}",
            reply.body
        );
    }
    // No Accept: XML, as v1 without Format.
    let mut call = V3::new(&emulator, "DescribeRegions", ECS);
    call.unsigned.clear();
    assert!(call.send(endpoint).await.body.starts_with("<?xml"));
    // A signed accept header works the same; a Format param wins over it.
    let mut call = V3::new(&emulator, "DescribeRegions", ECS)
        .with("accept", "application/xml")
        .query("Format", "JSON");
    call.unsigned.clear();
    let reply = call.send(endpoint).await;
    assert!(reply.json()["Regions"].is_object(), "{}", reply.body);

    // Errors too.
    let mut call = V3::new(&emulator, "DescribeRegions", ECS).key("testid", "wrong");
    call.unsigned = owned(&[("accept", "application/xml")]);
    let reply = call.send(endpoint).await;
    assert_eq!(reply.status, 400);
    assert!(
        reply.body.contains("<Code>SignatureDoesNotMatch</Code>"),
        "{}",
        reply.body
    );
    emulator.shutdown().await;
}

/// The `Authorization` header decides: v1's params beside it are plain query params.
#[tokio::test]
async fn a_request_with_both_signatures_is_verified_as_v3() {
    let emulator = echo_emulator().await;
    let mut v1 = signed(
        "GET",
        common("DescribeRegions", ECS, "testid", "XML"),
        "testsecret",
    );
    v1.retain(|(k, _)| k != "Format");
    let mut call = V3::new(&emulator, "Echo", TEST);
    call.query = v1.clone();
    let reply = call.send(emulator.endpoint()).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let json = reply.json();
    assert_eq!(json["Action"], "Echo");
    assert_eq!(json["V3"], true);
    // All of them but `Signature`, which `EmulatorRequest::params` never shows.
    assert_eq!(json["Params"].as_array().map(Vec::len), Some(v1.len() - 1));
    assert_eq!(json["Params"][0], json!(["Action", "DescribeRegions"]));
    // And a v1 request with an Authorization header of another kind stays v1.
    let params = signed(
        "GET",
        common("DescribeRegions", ECS, "testid", "JSON"),
        "testsecret",
    );
    let reply = send(
        client()
            .get(format!("{}/?{}", emulator.endpoint(), encode(&params)))
            .header("authorization", "Basic dXNlcjpwYXNz"),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    emulator.shutdown().await;
}

/// Injected faults, lost answers and counters apply to V3 calls as to v1 ones.
#[tokio::test]
async fn faults_and_counters_apply_to_v3() {
    let emulator = Emulator::start().await.unwrap();
    let endpoint = emulator.endpoint();
    emulator.faults().fail_next(1, "ServiceUnavailable", 503);
    let call = V3::new(&emulator, "CreateSecurityGroup", ECS).query("RegionId", "cn-hangzhou");
    call.send(endpoint)
        .await
        .assert_error(503, "ServiceUnavailable");
    // The faulted request's nonce was not spent: the retry with it is answered.
    let reply = call.send(endpoint).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(emulator.faults_injected(), 1);
    assert_eq!(emulator.security_groups_created(), 1);

    emulator
        .faults()
        .lose_answer_next(1, aliyun_rpc_emulator::LostAnswer::InternalError);
    V3::new(&emulator, "CreateSecurityGroup", ECS)
        .query("RegionId", "cn-hangzhou")
        .send(endpoint)
        .await
        .assert_error(500, "InternalError");
    assert_eq!(emulator.security_groups_created(), 2, "it ran");
    emulator
        .faults()
        .throttle_next(1, Duration::from_millis(700));
    let reply = V3::new(&emulator, "DescribeRegions", ECS)
        .send(endpoint)
        .await;
    reply.assert_error(400, "Throttling.User");
    assert!(reply
        .header("x-ratelimit-user-api")
        .contains("TimeLeft:700"));
    assert_eq!(emulator.request_count(), 4);
    emulator.shutdown().await;
}

/// The limits hold for V3: too many params, a body over the limit, and headers over the
/// head limit are refused before any signature work.
#[tokio::test]
async fn the_limits_hold_for_v3() {
    let emulator = Emulator::builder()
        .max_body_bytes(1024)
        .start()
        .await
        .unwrap();
    let endpoint = emulator.endpoint();
    let flood: String = (0..3000).map(|i| format!("K{i}=v&")).collect();
    V3::new(&emulator, "DescribeRegions", ECS)
        .method("POST")
        .form(&flood)
        .send(endpoint)
        .await
        .assert_error(400, "InvalidParameter");
    let mut call = V3::new(&emulator, "DescribeRegions", ECS).method("POST");
    call.body = vec![b'a'; 2048];
    call.send(endpoint)
        .await
        .assert_error(400, "InvalidParameter");
    let call =
        V3::new(&emulator, "DescribeRegions", ECS).with("x-acs-meta", &"m".repeat(200 * 1024));
    let reply = call.send(endpoint).await;
    assert_eq!(reply.status, 431, "{}", reply.body);
    // A signature too long to parse, on a request that is otherwise fine.
    let reply = V3::new(&emulator, "DescribeRegions", ECS)
        .send_with(endpoint, &format!("ACS3-HMAC-SHA256 {}", "x".repeat(8192)))
        .await;
    reply.assert_error(400, "IncompleteSignature");
    assert!(reply.body.len() < 2048, "{}", reply.body);
    // Nonces are bounded as v1's are.
    V3::new(&emulator, "DescribeRegions", ECS)
        .with("x-acs-signature-nonce", &"n".repeat(129))
        .send(endpoint)
        .await
        .assert_error(400, "InvalidSignatureNonce");
    emulator.shutdown().await;
}

/// `CreateSecurityGroup` remembers what a V3 call described, for tests to assert on.
#[tokio::test]
async fn a_created_group_keeps_its_description() {
    let emulator = Emulator::start().await.unwrap();
    let description = "a b*~+/=&% 杭州 🚀";
    let reply = V3::new(&emulator, "CreateSecurityGroup", ECS)
        .method("POST")
        .query("RegionId", "cn-hangzhou")
        .query("Description", description)
        .query("SecurityGroupName", "web")
        .send(emulator.endpoint())
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let id = reply.json()["SecurityGroupId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let group = emulator.security_group(&id).expect("remembered");
    assert_eq!(group.description.as_deref(), Some(description));
    assert_eq!(group.name.as_deref(), Some("web"));
    assert_eq!(group.access_key_id, "testid");
    emulator.shutdown().await;
}
