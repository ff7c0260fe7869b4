//! Aliyun's official SDKs of the current generation, unmodified and at their DEFAULT
//! configuration (which signs with `ACS3-HMAC-SHA256`, signature V3, and asks for JSON),
//! called against an emulator by the scripts beside this crate's tests, and the checks the
//! Python and Node test files share (`tests/python_sdk_v3.rs`, `tests/node_sdk_v3.rs`).
//!
//! Each script call is bounded in time ([`SCRIPT_TIMEOUT`]): a hung SDK fails its test
//! instead of hanging the suite.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aliyun_rpc_emulator::{ApiError, Emulator, EmulatorRequest, SignatureVersion};
use serde_json::{json, Value};

/// The longest one script call may take (an SDK's import and one HTTP call on loopback take
/// about a second).
pub const SCRIPT_TIMEOUT: Duration = Duration::from_secs(60);

/// The `Description` of the `CreateSecurityGroup` checks: spaces, `*~+/=&%`, Chinese, emoji,
/// and the characters JavaScript's `encodeURIComponent` leaves alone (`!'()`).
pub const AWKWARD_DESCRIPTION: &str = "a b*c~d+e/f=g&h%i !'() 杭州 🚀 end";

/// One of the official SDKs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sdk {
    /// `alibabacloud_ecs20140526` on `alibabacloud_tea_openapi`.
    Python,
    /// `@alicloud/ecs20140526` on `@alicloud/openapi-core`.
    Node,
}

impl Sdk {
    /// Whether the SDK is installed; without it a test says so and passes, unless the
    /// SDK's `ALIYUN_RPC_REQUIRE_*_SDK=1` (as in CI), where a missing SDK fails it.
    pub fn available(self) -> bool {
        match self {
            Sdk::Python => {
                let found = Command::new("python3")
                    .args([
                        "-c",
                        "import alibabacloud_ecs20140526, alibabacloud_tea_openapi",
                    ])
                    .output()
                    .is_ok_and(|o| o.status.success());
                super::sdk_available(
                    found,
                    "ALIYUN_RPC_REQUIRE_PYTHON_SDK",
                    "pip install alibabacloud_ecs20140526==7.11.8 alibabacloud_tea_openapi==0.4.6",
                )
            }
            Sdk::Node => {
                let modules = manifest_dir().join("tests/node/node_modules/@alicloud");
                let installed = modules.join("ecs20140526/package.json").exists()
                    && modules.join("openapi-core/package.json").exists();
                let node = Command::new("node")
                    .arg("--version")
                    .output()
                    .is_ok_and(|o| o.status.success());
                super::sdk_available(
                    installed && node,
                    "ALIYUN_RPC_REQUIRE_NODE_SDK",
                    "npm install --prefix tests/node",
                )
            }
        }
    }

    /// Calls ECS `action` on `emulator` with `params` (named as the API names them) through
    /// the SDK, signed with `(access key id, secret)` and, for STS, `token`; the script's exit
    /// code (0, or 2 for an API error) and its output (the answer's JSON, or
    /// `<status> <code> <message>`).
    pub fn call(
        self,
        emulator: &Emulator,
        key: (&str, &str),
        token: Option<&str>,
        action: &str,
        params: &Value,
    ) -> (i32, String) {
        let endpoint = emulator.endpoint().trim_start_matches("http://");
        let (program, script) = match self {
            Sdk::Python => ("python3", "tests/python/official_sdk_v3_call.py"),
            Sdk::Node => ("node", "tests/node/official_sdk_v3_call.js"),
        };
        let mut command = Command::new(program);
        command
            .arg(manifest_dir().join(script))
            .args([endpoint, key.0, key.1, action, &params.to_string()])
            .args(token);
        run_bounded(command, SCRIPT_TIMEOUT)
    }
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `command` for at most `timeout` (then kills it and fails the test); its exit code
/// and its stdout followed by its stderr.
pub fn run_bounded(mut command: Command, timeout: Duration) -> (i32, String) {
    let shown = format!("{command:?}");
    let mut child = match command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => panic!("{shown}: {e}"),
    };
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut text);
            }
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{shown} took more than {timeout:?}");
            }
            Err(e) => panic!("{shown}: {e}"),
        }
    };
    let out = stdout.join().unwrap_or_default() + &stderr.join().unwrap_or_default();
    (status.code().unwrap_or(-1), out)
}

/// Runs a blocking SDK call from an async test (multi-threaded runtime).
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

fn parse(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// The seed request (region `cn-hangzhou`, image `m-imageid1`) with a `Filter.N` list,
/// through the SDK: the seed page's answer, exactly.
pub async fn seed_request_answers_the_seed_values(sdk: Sdk) {
    if !sdk.available() {
        return;
    }
    let emulator = super::emulator().await;
    let params = json!({
        "RegionId": "cn-hangzhou",
        "ImageId": "m-imageid1",
        "Filter": [
            { "Key": "InstanceTypeFamily", "Value": "ecs.t1" },
            { "Key": "CpuCoreCount", "Value": "1" },
        ],
    });
    let key = (emulator.access_key_id(), emulator.access_key_secret());
    let (code, out) = blocking(|| {
        sdk.call(
            &emulator,
            key,
            None,
            "DescribeImageSupportInstanceTypes",
            &params,
        )
    });
    assert_eq!(code, 0, "{out}");
    let body = parse(&out);
    assert_eq!(body["RegionId"], "cn-hangzhou", "{out}");
    assert_eq!(
        body["ImageId"], "ubuntu_16_0402_64_20G_alibase_20180409.vhd",
        "{out}"
    );
    // As numbers: the SDKs print `1` where the seed types hold `1.0`.
    let got: Vec<(String, Option<f64>, Option<f64>, String)> = body["InstanceTypes"]
        ["InstanceType"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|t| {
            (
                t["InstanceTypeId"].as_str().unwrap_or_default().to_owned(),
                t["CpuCoreCount"].as_f64(),
                t["MemorySize"].as_f64(),
                t["InstanceTypeFamily"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, Option<f64>, Option<f64>, String)> = super::seed_instance_types()
        .into_iter()
        .map(|t| {
            (
                t.instance_type_id,
                Some(f64::from(t.cpu_core_count)),
                Some(t.memory_size),
                t.instance_type_family,
            )
        })
        .collect();
    assert_eq!(got, expected, "{out}");
    assert_eq!(body["RequestId"].as_str().map(str::len), Some(36), "{out}");
}

/// `CreateSecurityGroup` with [`AWKWARD_DESCRIPTION`] through the SDK: the group the emulator
/// created has that description, byte for byte.
pub async fn create_security_group_keeps_an_awkward_description(sdk: Sdk) {
    if !sdk.available() {
        return;
    }
    let emulator = super::emulator().await;
    let params = json!({
        "RegionId": "cn-hangzhou",
        "SecurityGroupName": "web servers",
        "Description": AWKWARD_DESCRIPTION,
    });
    let key = (emulator.access_key_id(), emulator.access_key_secret());
    let (code, out) = blocking(|| sdk.call(&emulator, key, None, "CreateSecurityGroup", &params));
    assert_eq!(code, 0, "{out}");
    let id = parse(&out)["SecurityGroupId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(id.starts_with("sg-"), "{out}");
    let Some(group) = emulator.security_group(&id) else {
        panic!("no group {id}");
    };
    assert_eq!(group.description.as_deref(), Some(AWKWARD_DESCRIPTION));
    assert_eq!(group.name.as_deref(), Some("web servers"));
    assert_eq!(group.region_id, "cn-hangzhou");
    assert_eq!(emulator.security_groups_created(), 1);
}

/// What the SDK sends at its default configuration, seen by a handler: a V3 call
/// (`Authorization: ACS3-HMAC-SHA256 …`) asking for JSON, whose action, version and key the
/// handler reads as for v1.
pub async fn the_default_configuration_signs_v3_and_asks_for_json(sdk: Sdk) {
    if !sdk.available() {
        return;
    }
    let seen: Arc<Mutex<Vec<Value>>> = Arc::default();
    let record = Arc::clone(&seen);
    let emulator = super::start(Emulator::builder().handler(
        "2014-05-26",
        "DescribeRegions",
        move |req: &EmulatorRequest| -> Result<Value, ApiError> {
            if let Ok(mut seen) = record.lock() {
                seen.push(json!({
                    "v3": req.signature_version() == SignatureVersion::V3,
                    "action": req.action(),
                    "version": req.version(),
                    "key": req.access_key_id(),
                    "accept": req.header("accept"),
                    "authorization": req.header("authorization"),
                    "params": req.params().iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
                }));
            }
            Ok(json!({ "Regions": { "Region": [
                { "RegionId": "cn-hangzhou", "LocalName": "华东1（杭州）", "RegionEndpoint": "ecs.cn-hangzhou.aliyuncs.com" }
            ] } }))
        },
    ))
    .await;
    let key = (emulator.access_key_id(), emulator.access_key_secret());
    let params = json!({ "AcceptLanguage": "zh-CN" });
    let (code, out) = blocking(|| sdk.call(&emulator, key, None, "DescribeRegions", &params));
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        parse(&out)["Regions"]["Region"][0]["LocalName"],
        "华东1（杭州）",
        "{out}"
    );
    let seen = seen.lock().map(|s| s.clone()).unwrap_or_default();
    assert_eq!(seen.len(), 1, "{seen:?}");
    let call = &seen[0];
    assert_eq!(call["v3"], true, "{call}");
    assert_eq!(call["action"], "DescribeRegions");
    assert_eq!(call["version"], "2014-05-26");
    assert_eq!(call["key"], "testid");
    assert_eq!(call["accept"], "application/json");
    assert_eq!(call["params"], json!([["AcceptLanguage", "zh-CN"]]));
    let authorization = call["authorization"].as_str().unwrap_or_default();
    assert!(
        authorization.starts_with("ACS3-HMAC-SHA256 Credential=testid,SignedHeaders="),
        "{authorization}"
    );
}

/// A wrong secret gets `SignatureDoesNotMatch`, its message carrying the server's string to
/// sign and canonical request; an action's own error reaches the SDK as such.
pub async fn errors_reach_the_sdk_in_its_terms(sdk: Sdk) {
    if !sdk.available() {
        return;
    }
    let emulator = super::emulator().await;
    let params = json!({ "RegionId": "cn-hangzhou" });
    let (code, out) = blocking(|| {
        sdk.call(
            &emulator,
            ("testid", "wrong-secret"),
            None,
            "DescribeImageSupportInstanceTypes",
            &params,
        )
    });
    assert_eq!(code, 2, "{out}");
    assert!(
        out.starts_with(
            "400 SignatureDoesNotMatch Specified signature is not matched with our calculation. \
             server string to sign is:ACS3-HMAC-SHA256\n"
        ),
        "{out}"
    );
    assert!(
        out.contains(" server canonical request is:POST\n/\nRegionId=cn-hangzhou\n"),
        "{out}"
    );

    let params = json!({ "RegionId": "cn-hangzhou", "ActionType": "Sideways" });
    let key = (emulator.access_key_id(), emulator.access_key_secret());
    let (code, out) = blocking(|| {
        sdk.call(
            &emulator,
            key,
            None,
            "DescribeImageSupportInstanceTypes",
            &params,
        )
    });
    assert_eq!(code, 2, "{out}");
    assert!(out.starts_with("400 InvalidParamter"), "{out}");
}

/// STS credentials: the SDK sends `x-acs-security-token` (and `x-acs-accesskey-id`), signed;
/// a wrong token is refused.
pub async fn sts_credentials_work(sdk: Sdk) {
    if !sdk.available() {
        return;
    }
    let token = "CAIS+sts/token==";
    let emulator =
        super::start(Emulator::builder().sts_token("STS.sdk", "sts-secret", token)).await;
    let params = json!({ "RegionId": "cn-hangzhou" });
    let (code, out) = blocking(|| {
        sdk.call(
            &emulator,
            ("STS.sdk", "sts-secret"),
            Some(token),
            "CreateSecurityGroup",
            &params,
        )
    });
    assert_eq!(code, 0, "{out}");
    let id = parse(&out)["SecurityGroupId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        emulator.security_group(&id).map(|g| g.access_key_id),
        Some("STS.sdk".to_owned())
    );
    let (code, out) = blocking(|| {
        sdk.call(
            &emulator,
            ("STS.sdk", "sts-secret"),
            Some("another-token"),
            "CreateSecurityGroup",
            &params,
        )
    });
    assert_eq!(code, 2, "{out}");
    assert!(
        out.starts_with("400 InvalidSecurityToken.MismatchWithAccessKey"),
        "{out}"
    );
}

/// Schema mode: an ECS action no handler serves (`DescribeInstances`) answers the metadata's
/// example through the SDK's own request and response models, with the call's `PageSize`
/// echoed; a `Tag.N` list the SDK flattens passes the checks.
pub async fn schema_mode_answers_an_action_without_a_handler(sdk: Sdk) {
    if !sdk.available() {
        return;
    }
    let emulator = super::emulator().await;
    let params = json!({
        "RegionId": "cn-shanghai",
        "PageSize": 5,
        "Tag": [{ "Key": "env", "Value": "prod" }, { "Key": "team", "Value": "web" }],
    });
    let key = (emulator.access_key_id(), emulator.access_key_secret());
    let (code, out) = blocking(|| sdk.call(&emulator, key, None, "DescribeInstances", &params));
    assert_eq!(code, 0, "{out}");
    let body = parse(&out);
    assert_eq!(body["PageSize"], 5, "{out}");
    let instances = body["Instances"]["Instance"].as_array().map(Vec::len);
    assert!(instances.is_some_and(|n| n > 0), "{out}");
    assert_eq!(body["RequestId"].as_str().map(str::len), Some(36), "{out}");
}

/// Schema mode: `RunInstances` with `DryRun` (the Python SDK sends `True`) and nested params
/// (`SystemDisk.Size`, `DataDisk.N.…`) answers `DryRunOperation` after the checks; an
/// `Amount` below its minimum is refused first.
pub async fn schema_mode_dry_run_answers_dry_run_operation(sdk: Sdk) {
    if !sdk.available() {
        return;
    }
    let emulator = super::emulator().await;
    let mut params = json!({
        "RegionId": "cn-hangzhou",
        "ImageId": "ubuntu_22_04_x64_20G_alibase_20240710.vhd",
        "InstanceType": "ecs.g7.large",
        "SystemDisk": { "Category": "cloud_essd", "Size": 40 },
        "DataDisk": [{ "Category": "cloud_essd", "Size": 100 }],
        "Amount": 2,
        "DryRun": true,
    });
    let key = (emulator.access_key_id(), emulator.access_key_secret());
    let (code, out) = blocking(|| sdk.call(&emulator, key, None, "RunInstances", &params));
    assert_eq!(code, 2, "{out}");
    assert_eq!(
        out,
        "400 DryRunOperation Request validation has been passed with DryRun flag set."
    );
    params["Amount"] = json!(0);
    let (code, out) = blocking(|| sdk.call(&emulator, key, None, "RunInstances", &params));
    assert_eq!(code, 2, "{out}");
    assert_eq!(
        out,
        "400 InvalidParameter The specified parameter \"Amount\" is not valid. (expected at \
         least 1; got `0`)"
    );
}

/// Schema mode: a misspelt param (sent through the SDK's generic call, since its request
/// models drop unknown keys) is refused, and the SDK shows the declared name.
pub async fn schema_mode_refuses_a_misspelt_param(sdk: Sdk) {
    if !sdk.available() {
        return;
    }
    let emulator = super::emulator().await;
    let params = json!({ "RegionId": "cn-hangzhou", "SecurityGroupNmae": "web" });
    let key = (emulator.access_key_id(), emulator.access_key_secret());
    let (code, out) =
        blocking(|| sdk.call(&emulator, key, None, "raw:CreateSecurityGroup", &params));
    assert_eq!(code, 2, "{out}");
    assert!(
        out.starts_with(
            "400 InvalidParameter.Undeclared The parameter `SecurityGroupNmae` is not declared \
             by CreateSecurityGroup (API version 2014-05-26); did you mean `SecurityGroupName`?"
        ),
        "{out}"
    );
    assert_eq!(emulator.security_groups_created(), 0);
    // Spelt right, the same generic call creates the group.
    let params = json!({ "RegionId": "cn-hangzhou", "SecurityGroupName": "web" });
    let (code, out) =
        blocking(|| sdk.call(&emulator, key, None, "raw:CreateSecurityGroup", &params));
    assert_eq!(code, 0, "{out}");
    assert_eq!(emulator.security_groups_created(), 1);
}
