//! Generated types end to end: a generated request → our client → the emulator in schema mode
//! (ECS built in, NLB loaded from the vendored metadata) → the generated response, in JSON and
//! XML, signed v1 and V3. ECS actions take their params in the query, NLB's `CreateLoadBalancer`
//! in the form body. The generated modules are the CLI's output, checked in and kept current by
//! `codegen/tests/checked_in.rs`.

mod common;

use aliyun_rpc::client::SignatureVersion;
use aliyun_rpc::{Format, Method};
use aliyun_rpc_emulator::Emulator;
use common::{api_error, build, builder, start};

#[path = "../examples/generated/ecs.rs"]
#[allow(dead_code)]
#[rustfmt::skip]
mod ecs;

#[path = "generated/nlb.rs"]
#[allow(dead_code)]
#[rustfmt::skip]
mod nlb;

/// The vendored NLB metadata, as the emulator's `--api-docs` takes it.
fn nlb_api_docs() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("metadata/data/nlb-2022-04-30.json")
}

/// An emulator serving ECS (built in) and NLB (loaded), with every param checked.
async fn schema_emulator() -> Emulator {
    start(Emulator::builder().api_docs(nlb_api_docs())).await
}

/// Every way the client can send a call: each signature, format and method.
fn every_way() -> Vec<(SignatureVersion, Format, Method)> {
    let mut ways = Vec::new();
    for signature in [SignatureVersion::V1, SignatureVersion::V3] {
        for format in [Format::Json, Format::Xml] {
            for method in [Method::Get, Method::Post] {
                ways.push((signature, format, method));
            }
        }
    }
    ways
}

#[tokio::test]
async fn ecs_describe_instances_and_regions_decode_their_examples_every_way() {
    let emulator = schema_emulator().await;
    let request = ecs::DescribeInstances::new("cn-shanghai")
        .page_size(7)
        .instance_ids(r#"["i-bp67acfmxazb4p****"]"#)
        .tag(vec![ecs::DescribeInstancesTag::new()
            .key("env")
            .value("prod")]);
    let regions = ecs::DescribeRegions::new().accept_language("en-US");
    for (signature, format, method) in every_way() {
        let way = format!("{signature:?} {format:?} {method:?}");
        let client = build(
            builder(&emulator)
                .signature_version(signature)
                .format(format)
                .method(method),
        );
        let answer = client
            .call(&request)
            .await
            .unwrap_or_else(|e| panic!("{way}: {e}"));
        // The call's own PageSize comes back (a top-level field is echoed); the metadata's
        // example fills the rest.
        assert_eq!(answer.page_size, Some(7), "{way}");
        assert!(answer
            .request_id
            .as_deref()
            .is_some_and(|id| id.len() == 36));
        let instance = answer.instances.first();
        assert!(
            instance.is_some_and(|i| i.instance_id.as_deref().is_some_and(|id| !id.is_empty())),
            "{way}: {answer:?}"
        );

        let answer = client
            .call(&regions)
            .await
            .unwrap_or_else(|e| panic!("{way}: {e}"));
        assert!(
            answer
                .regions
                .iter()
                .any(|r| r.region_id.as_deref().is_some_and(|id| !id.is_empty())),
            "{way}: {answer:?}"
        );
    }
    assert_eq!(emulator.request_count(), 16);
}

#[tokio::test]
async fn ecs_run_instances_dry_run_passes_the_checks_and_answers_dry_run_operation() {
    let emulator = schema_emulator().await;
    for signature in [SignatureVersion::V1, SignatureVersion::V3] {
        let client = build(builder(&emulator).signature_version(signature));
        let request = ecs::RunInstances::new("cn-hangzhou")
            .image_id("ubuntu_22_04_x64_20G_alibase_20240710.vhd")
            .instance_type("ecs.g7.large")
            .v_switch_id("vsw-bp1s5fnvk4gn2tws0****")
            .amount(2)
            .dry_run(true);
        let err = api_error(&client, &request).await;
        assert_eq!(err.code(), "DryRunOperation", "{signature:?}: {err}");
        assert_eq!(err.http_status(), 400);
    }
}

#[tokio::test]
async fn nlb_create_load_balancer_sends_its_form_body_params_and_decodes_the_answer() {
    let emulator = schema_emulator().await;
    let zones = vec![
        nlb::CreateLoadBalancerZoneMappings::new("vsw-sersdf****", "cn-hangzhou-a"),
        nlb::CreateLoadBalancerZoneMappings::new("vsw-bp1s5fnvk4gn2tws0****", "cn-hangzhou-b")
            .allocation_id("eip-bp1aedxso6u80u0qf****"),
    ];
    let request = nlb::CreateLoadBalancer::new("Internet", "vpc-bp1b49rqrybk45nio****")
        .zone_mappings(zones)
        .load_balancer_name("NLB 1: 负载均衡 ~*")
        .load_balancer_type("Network")
        .tag(vec![nlb::CreateLoadBalancerTag::new()
            .key("env")
            .value("prod")]);
    // `CreateLoadBalancer` is POST only: its generated type says so whatever the client's
    // default method.
    for (signature, format, method) in every_way() {
        let way = format!("{signature:?} {format:?} (client default {method:?})");
        let client = build(
            builder(&emulator)
                .signature_version(signature)
                .format(format)
                .method(method),
        );
        let answer = client
            .call(&request)
            .await
            .unwrap_or_else(|e| panic!("{way}: {e}"));
        assert_eq!(answer.order_id, Some(20230000), "{way}: {answer:?}");
        assert!(
            answer
                .loadbalancer_id
                .as_deref()
                .is_some_and(|id| id.starts_with("nlb-")),
            "{way}: {answer:?}"
        );
    }
    assert_eq!(emulator.request_count(), 8);
}

#[tokio::test]
async fn nlb_list_and_get_decode_plain_arrays_in_json_and_xml() {
    let emulator = schema_emulator().await;
    let list = nlb::ListLoadBalancers::new()
        .max_results(20)
        .load_balancer_ids(vec!["nlb-83ckzc8d4xlp8o****".to_owned()]);
    let get = nlb::GetLoadBalancerAttribute::new("nlb-wb7r6dlwetvt5j****");
    for (signature, format, method) in every_way() {
        let way = format!("{signature:?} {format:?} {method:?}");
        let client = build(
            builder(&emulator)
                .signature_version(signature)
                .format(format)
                .method(method),
        );
        let answer = client
            .call(&list)
            .await
            .unwrap_or_else(|e| panic!("{way}: {e}"));
        let first = answer.load_balancers.first();
        assert!(
            first.is_some_and(|lb| lb
                .load_balancer_id
                .as_deref()
                .is_some_and(|id| !id.is_empty())
                && !lb.zone_mappings.is_empty()),
            "{way}: {answer:?}"
        );

        let answer = client
            .call(&get)
            .await
            .unwrap_or_else(|e| panic!("{way}: {e}"));
        assert_eq!(
            answer.load_balancer_id.as_deref(),
            Some("nlb-wb7r6dlwetvt5j****"),
            "{way}: the id the request named is echoed"
        );
        assert!(!answer.zone_mappings.is_empty(), "{way}: {answer:?}");
    }
}

#[tokio::test]
async fn a_required_nlb_param_missing_on_the_wire_is_refused_by_name() {
    // A hand-written type that forgets `VpcId`, which the generated one cannot.
    #[derive(Debug, Clone, aliyun_rpc::Request)]
    #[rpc(
        product = "Nlb",
        version = "2022-04-30",
        action = "CreateLoadBalancer",
        response = nlb::CreateLoadBalancerResponse,
        method = "POST"
    )]
    struct CreateWithoutVpc {
        #[rpc(body)]
        address_type: String,
        #[rpc(body)]
        zone_mappings: Vec<nlb::CreateLoadBalancerZoneMappings>,
    }
    let emulator = schema_emulator().await;
    let client = build(builder(&emulator).signature_version(SignatureVersion::V3));
    let request = CreateWithoutVpc::new("Internet").zone_mappings(vec![
        nlb::CreateLoadBalancerZoneMappings::new("vsw-sersdf****", "cn-hangzhou-a"),
    ]);
    // NLB's own code for it (`MissingParam.%s` in the action's `errorCodes`), not the
    // gateway's generic `MissingParameter`.
    let err = api_error(&client, &request).await;
    assert_eq!(err.code(), "MissingParam.VpcId", "{err}");
    assert_eq!(err.message(), "The parameter of VpcId is missing.");
    assert_eq!(err.http_status(), 400);
}
