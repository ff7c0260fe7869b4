//! Wire compatibility: Aliyun's official Python SDK, unmodified, signs requests that our
//! emulator accepts (query-only GET, query + form body POST, values that need encoding).
//!
//! Needs `python3` with `aliyun-python-sdk-core` (`.ci/run` installs it). Without it the
//! tests say so and pass, unless `ALIYUN_RPC_REQUIRE_PYTHON_SDK=1`, as in CI.

mod common;

use std::process::Command;

use aliyun_rpc_emulator::Emulator;

fn sdk_available() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import aliyunsdkcore"])
        .output()
        .is_ok_and(|o| o.status.success());
    common::sdk_available(
        found,
        "ALIYUN_RPC_REQUIRE_PYTHON_SDK",
        "pip install aliyun-python-sdk-core==2.16.1",
    )
}

/// Runs the SDK script against `emulator`; `(exit code, stdout)`.
fn call(
    emulator: &Emulator,
    secret: &str,
    format: &str,
    method: &str,
    params: &[&str],
) -> (i32, String) {
    let host = emulator.endpoint().trim_start_matches("http://").to_owned();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/python/official_sdk_call.py"
    );
    let mut command = Command::new("python3");
    command
        .arg(script)
        .args([
            host.as_str(),
            emulator.access_key_id(),
            secret,
            format,
            method,
        ])
        .args(params);
    common::run(command)
}

#[tokio::test(flavor = "multi_thread")]
async fn get_with_query_params() {
    if !sdk_available() {
        return;
    }
    let emulator = common::emulator().await;
    let secret = emulator.access_key_secret().to_owned();
    let e = &emulator;
    let (code, out) = tokio::task::block_in_place(|| {
        call(
            e,
            &secret,
            "JSON",
            "GET",
            &["RegionId=cn-hangzhou", "ImageId=m-imageid1"],
        )
    });
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
    assert_eq!(
        body["InstanceTypes"]["InstanceType"][1]["MemorySize"], 1,
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn post_with_query_and_body_params() {
    if !sdk_available() {
        return;
    }
    let emulator = common::emulator().await;
    let secret = emulator.access_key_secret().to_owned();
    let e = &emulator;
    let (code, out) = tokio::task::block_in_place(|| {
        call(
            e,
            &secret,
            // The SDK asks for JSON whatever the request says (`AcsClient` forces it).
            "JSON",
            "POST",
            &[
                "RegionId=cn-hangzhou",
                "Body.ImageId=ubuntu_16_0402_64_20G_alibase_20180409.vhd",
                "Body.Filter.1.Key=InstanceTypeFamily",
                "Body.Filter.1.Value=ecs.g6",
                "Body.Filter.2.Key=CreationStartTime",
                "Body.Filter.2.Value=2017-12-05T22:40:00Z",
            ],
        )
    });
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(r#""InstanceTypeId":"ecs.g6.large""#), "{out}");
    assert!(!out.contains("ecs.t1"), "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_reach_the_sdk_in_its_terms() {
    if !sdk_available() {
        return;
    }
    let emulator = common::emulator().await;
    let e = &emulator;
    let (code, out) = tokio::task::block_in_place(|| {
        call(
            e,
            "wrong-secret",
            "JSON",
            "GET",
            &["RegionId=cn-hangzhou", "ImageId=m-imageid1"],
        )
    });
    assert_eq!(code, 2, "{out}");
    assert!(
        out.starts_with("400 SignatureDoesNotMatch Specified signature is not matched"),
        "{out}"
    );
    let (code, out) = tokio::task::block_in_place(|| {
        call(
            e,
            "testsecret",
            "JSON",
            "GET",
            &["RegionId=cn-hangzhou", "ActionType=Sideways"],
        )
    });
    assert_eq!(code, 2, "{out}");
    assert!(out.starts_with("400 InvalidParamter"), "{out}");
}
