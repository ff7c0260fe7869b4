//! Wire compatibility: Aliyun's official Node SDK (`@alicloud/pop-core`), unmodified, signs
//! requests that our emulator accepts, with its own list flattening (`Filter.1.Key`).
//!
//! Needs `node` and `npm install --prefix tests/node` (`.ci/run` does it). Without them the
//! tests say so and pass, unless `ALIYUN_RPC_REQUIRE_NODE_SDK=1`, as in CI.

mod common;

use std::path::PathBuf;
use std::process::Command;

use aliyun_rpc_emulator::Emulator;
use serde_json::json;

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/node/official_sdk_call.js")
}

fn sdk_available() -> bool {
    let installed = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/node/node_modules/@alicloud/pop-core/package.json")
        .exists();
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    common::sdk_available(
        installed && node,
        "ALIYUN_RPC_REQUIRE_NODE_SDK",
        "npm install --prefix tests/node",
    )
}

fn call(
    emulator: &Emulator,
    secret: &str,
    method: &str,
    params: serde_json::Value,
) -> (i32, String) {
    let mut command = Command::new("node");
    command.arg(script()).args([
        emulator.endpoint(),
        emulator.access_key_id(),
        secret,
        method,
        &params.to_string(),
    ]);
    common::run(command)
}

#[tokio::test(flavor = "multi_thread")]
async fn get_with_list_flattening() {
    if !sdk_available() {
        return;
    }
    let emulator = common::emulator().await;
    let secret = emulator.access_key_secret().to_owned();
    let params = json!({
        "RegionId": "cn-hangzhou",
        "ImageId": "ubuntu_16_0402_64_20G_alibase_20180409.vhd",
        "Filter": [{ "Key": "InstanceTypeFamily", "Value": "ecs.g6" }, { "Key": "CpuCoreCount", "Value": "4" }],
    });
    let (code, out) = tokio::task::block_in_place(|| call(&emulator, &secret, "GET", params));
    assert_eq!(code, 0, "{out}");
    let body: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
    assert_eq!(
        body["InstanceTypes"]["InstanceType"][0]["InstanceTypeId"], "ecs.g6.xlarge",
        "{out}"
    );
    assert_eq!(
        body["InstanceTypes"]["InstanceType"]
            .as_array()
            .map(Vec::len),
        Some(1),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn post_form_with_values_that_need_encoding() {
    if !sdk_available() {
        return;
    }
    // `Description` carries the awkward values, and DescribeImageSupportInstanceTypes does not
    // declare it: schema mode would refuse it.
    let emulator = common::start(Emulator::builder().allow_undeclared_params(true)).await;
    let secret = emulator.access_key_secret().to_owned();
    let params = json!({
        "RegionId": "cn-hangzhou",
        "ImageId": "m-imageid1",
        "Filter": [{ "Key": "CreationStartTime", "Value": "2017-12-05T22:40:00Z" }],
        "Description": "a b*c~d+e/f=g&h%i'j 杭州 🚀",
    });
    let (code, out) = tokio::task::block_in_place(|| call(&emulator, &secret, "POST", params));
    assert_eq!(code, 0, "{out}");
    let body: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
    assert_eq!(
        body["ImageId"], "ubuntu_16_0402_64_20G_alibase_20180409.vhd",
        "{out}"
    );
    assert_eq!(
        body["InstanceTypes"]["InstanceType"][0]["InstanceTypeId"], "ecs.t1.xsmall",
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_secret_is_refused_in_the_sdks_terms() {
    if !sdk_available() {
        return;
    }
    let emulator = common::emulator().await;
    let (code, out) = tokio::task::block_in_place(|| {
        call(
            &emulator,
            "wrong-secret",
            "GET",
            json!({ "RegionId": "cn-hangzhou" }),
        )
    });
    assert_eq!(code, 2, "{out}");
    assert!(
        out.starts_with("SignatureDoesNotMatch Specified signature is not matched"),
        "{out}"
    );
}
