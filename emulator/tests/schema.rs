//! Schema mode over loopback, with calls signed by hand (v1 with the runtime's signer, V3 with
//! its pure stages): every ECS action answers out of the box; each kind of param problem gets
//! its code; undeclared params are refused with a suggestion unless allowed; `DryRun`; handlers
//! run after the checks; NLB (`in: formData`) loaded from metadata text, in the query or the
//! body; metadata files that cannot be served stop the start.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use aliyun_rpc_emulator::{Emulator, EmulatorBuilder, LostAnswer, StartError};
use aliyun_rpc_metadata::vendored;
use common::v3::V3;
use common::*;
use serde_json::{json, Value};

const ECS: &str = "2014-05-26";
const NLB: &str = "2022-04-30";

async fn start(builder: EmulatorBuilder) -> Emulator {
    builder.start().await.unwrap()
}

/// A v1 GET call of ECS `action` with `business` params, in `format`.
async fn ecs(emulator: &Emulator, action: &str, business: &[(&str, &str)], format: &str) -> Reply {
    let mut params = common(action, ECS, "testid", format);
    params.extend(owned(business));
    call(emulator.endpoint(), params, "testsecret").await
}

/// The message of an error reply with this status and code.
fn refused(reply: &Reply, status: u16, code: &str) -> String {
    let json = reply.assert_error(status, code);
    json["Message"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn every_ecs_action_answers_its_example_with_the_request_echoed() {
    let emulator = Emulator::start().await.unwrap();
    let reply = ecs(
        &emulator,
        "DescribeInstances",
        &[("RegionId", "cn-shanghai"), ("PageSize", "50")],
        "JSON",
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let body = reply.json();
    // The metadata's example, with the call's RegionId-less example fields echoed where the
    // answer has them, and a fresh RequestId.
    assert_eq!(body["PageSize"], 50, "{body}");
    assert_eq!(body["PageNumber"], 1);
    let instances = body["Instances"]["Instance"].as_array().unwrap();
    assert!(!instances.is_empty());
    assert!(instances[0]["InstanceId"].as_str().is_some());
    let request_id = body["RequestId"].as_str().unwrap();
    assert_eq!(request_id.len(), 36);
    assert_eq!(request_id, reply.header("x-acs-request-id"));

    // XML: the same answer under <DescribeInstancesResponse>.
    let reply = ecs(
        &emulator,
        "DescribeInstances",
        &[("RegionId", "cn-shanghai")],
        "XML",
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        reply.body.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DescribeInstancesResponse><RequestId>"
        ),
        "{}",
        reply.body
    );
    assert!(
        reply.body.contains("<Instances><Instance>"),
        "{}",
        reply.body
    );

    // An identifier the call named comes back: CreateVpc-like echo on an ECS create action.
    let reply = ecs(
        &emulator,
        "CreateSecurityGroup",
        &[("RegionId", "cn-hangzhou"), ("VpcId", "vpc-mine")],
        "JSON",
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let reply = ecs(
        &emulator,
        "DescribeSecurityGroupAttribute",
        &[("RegionId", "cn-qingdao"), ("SecurityGroupId", "sg-mine")],
        "JSON",
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let body = reply.json();
    assert_eq!(
        (&body["RegionId"], &body["SecurityGroupId"]),
        (&json!("cn-qingdao"), &json!("sg-mine")),
        "{body}"
    );
}

#[tokio::test]
async fn each_kind_of_param_problem_gets_its_code() {
    let emulator = Emulator::start().await.unwrap();
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: &[Case] = &[
        // Missing: the gateway's answer (the action lists no code of its own).
        (
            "DescribeInstances",
            &[],
            "MissingParameter",
            "The input parameter \"RegionId\" that is mandatory for processing this request is \
             not supplied.",
        ),
        (
            "DescribeInstances",
            &[("RegionId", "")],
            "MissingParameter",
            "The input parameter \"RegionId\" that is mandatory for processing this request is \
             not supplied.",
        ),
        // Wrong type, out of bounds: the gateway's answer, with why.
        (
            "DescribeInstances",
            &[("RegionId", "cn-hangzhou"), ("PageSize", "ten")],
            "InvalidParameter",
            "The specified parameter \"PageSize\" is not valid. (expected an integer; got `ten`)",
        ),
        (
            "DescribeInstances",
            &[("RegionId", "cn-hangzhou"), ("PageSize", "101")],
            "InvalidParameter",
            "The specified parameter \"PageSize\" is not valid. (expected at most 100; got `101`)",
        ),
        (
            "DescribeInstances",
            &[("RegionId", "cn-hangzhou"), ("DryRun", "yes")],
            "InvalidParameter",
            "The specified parameter \"DryRun\" is not valid. (expected `true` or `false`; got \
             `yes`)",
        ),
        // Too many items; indices that do not count from 1.
        (
            "DescribeInstances",
            &[
                ("RegionId", "cn-hangzhou"),
                ("AdditionalAttributes.1", "a"),
                ("AdditionalAttributes.2", "b"),
                ("AdditionalAttributes.3", "c"),
                ("AdditionalAttributes.4", "d"),
                ("AdditionalAttributes.5", "e"),
                ("AdditionalAttributes.6", "f"),
            ],
            "InvalidParameter",
            "The specified parameter \"AdditionalAttributes\" is not valid. (expected at most 5 \
             items; got 6)",
        ),
        (
            "DescribeInstances",
            &[("RegionId", "cn-hangzhou"), ("Tag.2.Key", "k")],
            "InvalidParameter",
            "The specified parameter \"Tag.2\" is not valid. (list indices count from 1 without \
             gaps: `Tag.2` is sent, `Tag.1` is not)",
        ),
        // The action's own code: outside the enum, malformed, a malformed json value.
        (
            "DescribeInstanceMonitorData",
            &[
                ("RegionId", "cn-hangzhou"),
                ("InstanceId", "i-1"),
                ("StartTime", "2024-01-01T00:00:00Z"),
                ("EndTime", "2024-01-01T01:00:00Z"),
                ("Period", "61"),
            ],
            "InvalidPeriod.ValueNotSupported",
            "The specified parameter \"Period\" is not valid. (expected one of `60`, `600`, \
             `3600`; got `61`)",
        ),
        (
            "RunInstances",
            &[
                ("RegionId", "cn-hangzhou"),
                ("InternetMaxBandwidthOut", "lots"),
            ],
            "InvalidInternetMaxBandwidthOut.Malformed",
            "The specified parameter internetMaxBandwidthOut is not valid. (expected an integer; \
             got `lots`)",
        ),
        (
            "InvokeCommand",
            &[
                ("RegionId", "cn-hangzhou"),
                ("CommandId", "c-1"),
                ("InstanceId.1", "i-1"),
                ("Parameters", "{\"name\": "),
            ],
            "InvalidParameter.Parameters",
            "",
        ),
        (
            "DescribeInstanceTypes",
            &[("NextToken", &"t".repeat(51))],
            "InvalidParameter",
            "The specified parameter \"NextToken\" is not valid. (expected at most 50 \
             characters; got 51)",
        ),
    ];
    for (action, business, code, message) in cases {
        let reply = ecs(&emulator, action, business, "JSON").await;
        let got = refused(&reply, 400, code);
        if message.is_empty() {
            assert!(got.contains("(expected a JSON value: "), "{got}");
        } else {
            assert_eq!(got, *message, "{action} {business:?}");
        }
    }
}

#[tokio::test]
async fn a_misspelt_param_is_refused_with_the_declared_name() {
    let emulator = Emulator::start().await.unwrap();
    let reply = ecs(
        &emulator,
        "RunInstances",
        &[("RegionId", "cn-hangzhou"), ("VswitchId", "vsw-1")],
        "JSON",
    )
    .await;
    let message = refused(&reply, 400, "InvalidParameter.Undeclared");
    assert!(
        message.starts_with(
            "The parameter `VswitchId` is not declared by RunInstances (API version \
             2014-05-26); did you mean `VSwitchId`?"
        ),
        "{message}"
    );
    // At the level that is wrong.
    let reply = ecs(
        &emulator,
        "RunInstances",
        &[
            ("RegionId", "cn-hangzhou"),
            ("SystemDisk.KmsKeyId", "key-1"),
        ],
        "JSON",
    )
    .await;
    let message = refused(&reply, 400, "InvalidParameter.Undeclared");
    assert!(
        message.contains("`SystemDisk.KmsKeyId`") && message.contains("`SystemDisk.KMSKeyId`"),
        "{message}"
    );
    // Built-in handlers are checked too.
    let reply = ecs(
        &emulator,
        "CreateSecurityGroup",
        &[("RegionId", "cn-hangzhou"), ("SecurityGroupNmae", "web")],
        "JSON",
    )
    .await;
    let message = refused(&reply, 400, "InvalidParameter.Undeclared");
    assert!(
        message.contains("did you mean `SecurityGroupName`?"),
        "{message}"
    );
    assert_eq!(emulator.security_groups_created(), 0);
}

#[tokio::test]
async fn undeclared_params_pass_when_allowed() {
    let emulator = start(Emulator::builder().allow_undeclared_params(true)).await;
    let reply = ecs(
        &emulator,
        "RunInstances",
        &[("RegionId", "cn-hangzhou"), ("VswitchId", "vsw-1")],
        "JSON",
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.json()["InstanceIdSets"].is_object());
    // Declared params are still checked.
    let reply = ecs(
        &emulator,
        "RunInstances",
        &[("RegionId", "cn-hangzhou"), ("Amount", "0")],
        "JSON",
    )
    .await;
    refused(&reply, 400, "InvalidParameter");
}

#[tokio::test]
async fn dry_run_answers_after_the_checks() {
    let emulator = Emulator::start().await.unwrap();
    let reply = ecs(
        &emulator,
        "RunInstances",
        &[("RegionId", "cn-hangzhou"), ("DryRun", "true")],
        "JSON",
    )
    .await;
    assert_eq!(
        refused(&reply, 400, "DryRunOperation"),
        "Request validation has been passed with DryRun flag set."
    );
    // Python's `True` too.
    let reply = ecs(
        &emulator,
        "RunInstances",
        &[("RegionId", "cn-hangzhou"), ("DryRun", "True")],
        "XML",
    )
    .await;
    assert_eq!(reply.status, 400);
    assert!(
        reply.body.contains("<Code>DryRunOperation</Code>"),
        "{}",
        reply.body
    );
    // The checks come first.
    let reply = ecs(
        &emulator,
        "RunInstances",
        &[
            ("RegionId", "cn-hangzhou"),
            ("DryRun", "true"),
            ("Amount", "0"),
        ],
        "JSON",
    )
    .await;
    refused(&reply, 400, "InvalidParameter");
    // The action's own dry-run code.
    let reply = ecs(
        &emulator,
        "StartInstances",
        &[
            ("RegionId", "cn-hangzhou"),
            ("InstanceId.1", "i-1"),
            ("DryRun", "true"),
        ],
        "JSON",
    )
    .await;
    assert_eq!(
        refused(&reply, 400, "DRYRUN.SUCCESS"),
        "This request is a dryrun request with successful result."
    );
    // DryRun=false runs.
    let reply = ecs(
        &emulator,
        "RunInstances",
        &[("RegionId", "cn-hangzhou"), ("DryRun", "false")],
        "JSON",
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
}

#[tokio::test]
async fn handlers_answer_but_only_valid_calls() {
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    let emulator = start(
        Emulator::builder().handler(ECS, "RunInstances", move |req| {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok(
                json!({ "InstanceIdSets": { "InstanceIdSet": ["i-from-handler"] },
                   "Amount": req.param("Amount") }),
            )
        }),
    )
    .await;
    for bad in [
        &[("RegionId", "cn-hangzhou"), ("VswitchId", "vsw-1")][..],
        &[("RegionId", "cn-hangzhou"), ("Amount", "many")],
        &[("Amount", "1")],
        &[("RegionId", "cn-hangzhou"), ("DryRun", "true")],
    ] {
        let reply = ecs(&emulator, "RunInstances", bad, "JSON").await;
        assert_eq!(reply.status, 400, "{bad:?}: {}", reply.body);
    }
    assert_eq!(
        seen.load(Ordering::SeqCst),
        0,
        "the handler saw an invalid call"
    );
    let reply = ecs(
        &emulator,
        "RunInstances",
        &[("RegionId", "cn-hangzhou"), ("Amount", "2")],
        "JSON",
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.json()["InstanceIdSets"]["InstanceIdSet"],
        json!(["i-from-handler"])
    );
    assert_eq!(seen.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_refused_call_never_loses_its_answer() {
    let emulator = Emulator::start().await.unwrap();
    emulator
        .faults()
        .lose_answer_next(1, LostAnswer::ServiceUnavailable);
    let reply = ecs(&emulator, "DescribeInstances", &[], "JSON").await;
    refused(&reply, 400, "MissingParameter");
    assert_eq!(emulator.faults_injected(), 0);
    // The armed fault takes the next call that runs.
    let reply = ecs(
        &emulator,
        "DescribeInstances",
        &[("RegionId", "cn-hangzhou")],
        "JSON",
    )
    .await;
    reply.assert_error(503, "ServiceUnavailable");
}

#[tokio::test]
async fn v3_calls_are_checked_and_answered_alike() {
    let emulator = Emulator::start().await.unwrap();
    let reply = V3::new(&emulator, "DescribeInstances", ECS)
        .query("RegionId", "cn-hangzhou")
        .query("PageNumber", "3")
        .send(emulator.endpoint())
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["PageNumber"], 3);
    let reply = V3::new(&emulator, "RunInstances", ECS)
        .method("POST")
        .query("RegionId", "cn-hangzhou")
        .form("VswitchId=vsw-1")
        .send(emulator.endpoint())
        .await;
    let message = refused(&reply, 400, "InvalidParameter.Undeclared");
    assert!(message.contains("did you mean `VSwitchId`?"), "{message}");
}

/// NLB, whose params travel `in: formData`: accepted in the form body and in the query.
#[tokio::test]
async fn nlb_from_metadata_text_takes_form_params_in_either_place() {
    let emulator = start(
        Emulator::builder().api_docs_str(vendored::NLB_2022_04_30_FILE, vendored::NLB_2022_04_30),
    )
    .await;
    let body = "ZoneMappings.1.VSwitchId=vsw-1&ZoneMappings.1.ZoneId=cn-hangzhou-a\
                &ZoneMappings.2.VSwitchId=vsw-2&ZoneMappings.2.ZoneId=cn-hangzhou-b\
                &VpcId=vpc-1&AddressType=Internet";
    let v3 = V3::new(&emulator, "CreateLoadBalancer", NLB)
        .method("POST")
        .query("RegionId", "cn-hangzhou")
        .form(body)
        .send(emulator.endpoint())
        .await;
    assert_eq!(v3.status, 200, "{}", v3.body);
    assert!(v3.json()["LoadbalancerId"].is_string(), "{}", v3.body);
    // v1, everything in the query.
    let mut params = common("CreateLoadBalancer", NLB, "testid", "JSON");
    params.extend(owned(&[
        ("RegionId", "cn-hangzhou"),
        ("VpcId", "vpc-1"),
        ("AddressType", "Internet"),
        ("ZoneMappings.1.VSwitchId", "vsw-1"),
        ("ZoneMappings.1.ZoneId", "cn-hangzhou-a"),
        ("ZoneMappings.2.VSwitchId", "vsw-2"),
        ("ZoneMappings.2.ZoneId", "cn-hangzhou-b"),
    ]));
    let v1 = call(emulator.endpoint(), params, "testsecret").await;
    assert_eq!(v1.status, 200, "{}", v1.body);
    // A required field of an item: NLB's own template code.
    let reply = V3::new(&emulator, "CreateLoadBalancer", NLB)
        .method("POST")
        .query("RegionId", "cn-hangzhou")
        .form("VpcId=vpc-1&AddressType=Internet&ZoneMappings.1.ZoneId=cn-hangzhou-a")
        .send(emulator.endpoint())
        .await;
    let json = reply.assert_error(400, reply.json()["Code"].as_str().unwrap_or_default());
    assert!(
        json["Message"].as_str().is_some_and(
            |m| m.contains("ZoneMappings.1.VSwitchId") || m.contains("ZoneMappings.VSwitchId")
        ),
        "{json}"
    );
    // The Recommend link names NLB.
    assert!(
        json["Recommend"]
            .as_str()
            .is_some_and(|r| r.contains("&product=Nlb&")),
        "{json}"
    );
}

#[tokio::test]
async fn without_the_built_in_schema_ecs_is_the_built_in_actions_only() {
    let emulator = start(Emulator::builder().built_in_schema(false)).await;
    let reply = ecs(
        &emulator,
        "DescribeInstances",
        &[("RegionId", "cn-hangzhou")],
        "JSON",
    )
    .await;
    reply.assert_error(404, "InvalidAction.NotFound");
    let reply = ecs(
        &emulator,
        "CreateSecurityGroup",
        &[("RegionId", "cn-hangzhou"), ("SecurityGroupNmae", "web")],
        "JSON",
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
}

#[tokio::test]
async fn metadata_files_load_and_bad_ones_stop_the_start() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("emulator-schema");
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("nlb.json");
    std::fs::write(&good, vendored::NLB_2022_04_30).unwrap();
    let emulator = start(Emulator::builder().api_docs(&good)).await;
    let mut params = common("ListLoadBalancers", NLB, "testid", "JSON");
    params.push(("RegionId".into(), "cn-hangzhou".into()));
    let reply = call(emulator.endpoint(), params, "testsecret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.json()["LoadBalancers"].is_array(), "{}", reply.body);

    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"info": {"product": "X", "version": "1", "style": "RPC"},
            "apis": {"Broken": {"parameters": [{"name": "N", "in": "query",
                     "schema": {"type": "integer", "minimum": "small"}}]}}}"#,
    )
    .unwrap();
    let err = Emulator::builder()
        .api_docs(&bad)
        .start()
        .await
        .unwrap_err();
    assert!(matches!(err, StartError::ApiDocs { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains(&bad.display().to_string()) && message.contains("`Broken`"),
        "{message}"
    );
    let missing = dir.join("missing.json");
    let err = Emulator::builder()
        .api_docs(&missing)
        .start()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("missing.json"), "{err}");
}

/// A `simple` list (none in the vendored products): one comma-joined value.
#[tokio::test]
async fn simple_lists_from_user_metadata() {
    let docs = r#"{"info": {"product": "Demo", "version": "2024-02-02", "style": "RPC"},
      "apis": {"ListThings": {"methods": ["get"], "parameters": [
        {"name": "Ids", "in": "query", "style": "simple",
         "schema": {"type": "array", "maxItems": 2, "items": {"type": "integer"}}}],
        "responses": {"200": {"schema": {"type": "object", "properties": {
          "RequestId": {"type": "string"}, "Ids": {"type": "string"}}}}}}}}"#;
    let emulator = start(Emulator::builder().api_docs_str("demo.json", docs)).await;
    let send = |ids: &'static str| {
        let mut params = common("ListThings", "2024-02-02", "testid", "JSON");
        params.push(("Ids".into(), ids.into()));
        call(emulator.endpoint(), params, "testsecret")
    };
    let reply = send("1,2").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    // No example: the minimal answer of the response schema (a list is not echoed).
    assert_eq!(reply.json()["Ids"], Value::from(""));
    refused(&send("1,2,3").await, 400, "InvalidParameter");
    refused(&send("1,x").await, 400, "InvalidParameter");
}
