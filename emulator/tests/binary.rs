//! The `aliyun-rpc-emulator` program: flags, the endpoint line, one signed call. It needs
//! the `cli` feature, which the `[[test]]` entry in Cargo.toml requires.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::*;

/// Kills the child even when an assertion fails.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary with `args` and reads its endpoint from the first stdout line.
fn spawn(args: &[&str]) -> (Running, String) {
    let child = Command::new(env!("CARGO_BIN_EXE_aliyun-rpc-emulator"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let mut running = Running(child);
    let stdout = running.0.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let endpoint = line
        .trim()
        .strip_prefix("aliyun-rpc-emulator listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_owned();
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{endpoint}");
    (running, endpoint)
}

#[tokio::test]
async fn binary_serves_signed_calls() {
    let (running, endpoint) = spawn(&[
        "--port",
        "0",
        "--access-key-id",
        "bin-id",
        "--access-key-secret",
        "bin-secret",
    ]);

    let params = common("DescribeRegions", "2014-05-26", "bin-id", "JSON");
    let reply = call(&endpoint, params, "bin-secret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.json()["Regions"]["Region"].as_array().unwrap().len() > 5);

    let params = common("DescribeRegions", "2014-05-26", "testid", "JSON");
    call(&endpoint, params, "testsecret")
        .await
        .assert_error(404, "InvalidAccessKeyId.NotFound");
    drop(running);
}

#[tokio::test]
async fn binary_fails_the_next_call_as_told() {
    let (running, endpoint) = spawn(&[
        "--fail-next",
        "1",
        "--fail-code",
        "ServiceUnavailable",
        "--fail-status",
        "503",
    ]);
    let params = common("DescribeRegions", "2014-05-26", "testid", "JSON");
    call(&endpoint, params, "testsecret")
        .await
        .assert_error(503, "ServiceUnavailable");
    let params = common("DescribeRegions", "2014-05-26", "testid", "JSON");
    let reply = call(&endpoint, params, "testsecret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    drop(running);
}

#[tokio::test]
async fn binary_fault_and_metadata_flags() {
    let (running, endpoint) = spawn(&[
        "--clock-skew-secs",
        "-7200",
        "--throttle-next",
        "1",
        "--throttle-time-left-ms",
        "250",
        "--ecs-ram-role",
        "BinRole",
        "--imds-require-token",
    ]);
    let params = common("DescribeRegions", "2014-05-26", "testid", "JSON");
    let reply = call(&endpoint, params, "testsecret").await;
    reply.assert_error(400, "Throttling.User");
    assert!(reply
        .header("x-ratelimit-user-api")
        .contains("TimeLeft:250,"));
    let params = common("DescribeRegions", "2014-05-26", "testid", "JSON");
    call(&endpoint, params, "testsecret")
        .await
        .assert_error(400, "InvalidTimeStamp.Expired");
    let response = client()
        .get(format!(
            "{endpoint}/latest/meta-data/ram/security-credentials/"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    drop(running);
}

/// An absurd skew is refused at start, with a clear message and exit status 2 (it used to
/// be accepted, and made nonce pruning panic after 1024 calls).
#[test]
fn binary_refuses_an_absurd_clock_skew() {
    for skew in [i64::MAX.to_string(), "-3155760001".to_owned()] {
        let output = Command::new(env!("CARGO_BIN_EXE_aliyun-rpc-emulator"))
            .args(["--clock-skew-secs", &skew])
            .stdin(Stdio::null())
            .output()
            .expect("the binary runs");
        assert_eq!(output.status.code(), Some(2), "{output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("--clock-skew-secs"), "{stderr}");
        assert!(stderr.contains("-3155760000..=3155760000"), "{stderr}");
        assert!(output.stdout.is_empty());
    }
}

/// The limit flags: a body over `--max-body-bytes` is refused; a slow head is cut at
/// `--header-read-timeout-secs`.
#[tokio::test]
async fn binary_limit_flags() {
    let (running, endpoint) = spawn(&[
        "--max-body-bytes",
        "100",
        "--header-read-timeout-secs",
        "1",
        "--body-read-timeout-secs",
        "1",
        "--max-connections",
        "4",
    ]);
    post(&endpoint, "Format=JSON", &"A=1&".repeat(30))
        .await
        .assert_error(400, "InvalidParameter");
    let params = common("DescribeRegions", "2014-05-26", "testid", "JSON");
    let reply = call(&endpoint, params, "testsecret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);

    use tokio::io::AsyncReadExt;
    let addr = endpoint.trim_start_matches("http://");
    let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
    let started = std::time::Instant::now();
    let mut sink = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(5),
        idle.read_to_end(&mut sink),
    )
    .await
    .expect("closed within 5 s")
    .ok();
    assert!(started.elapsed() >= std::time::Duration::from_millis(900));
    drop(running);
}

#[tokio::test]
async fn binary_loses_answers_after_running_the_action() {
    let (running, endpoint) = spawn(&[
        "--lose-answer-next",
        "1",
        "--lose-answer-mode",
        "service-unavailable",
    ]);
    let create = || {
        let mut params = common("CreateSecurityGroup", "2014-05-26", "testid", "JSON");
        set(&mut params, "RegionId", "cn-hangzhou");
        set(&mut params, "ClientToken", "binary-lost-1");
        params
    };
    call(&endpoint, create(), "testsecret")
        .await
        .assert_error(503, "ServiceUnavailable");
    // The group was created: the retry with the same token answers it, and a mismatching
    // repeat is refused as one.
    let reply = call(&endpoint, create(), "testsecret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let mut other = create();
    set(&mut other, "Description", "different");
    call(&endpoint, other, "testsecret")
        .await
        .assert_error(400, "IdempotentParameterMismatch");
    drop(running);
}

#[tokio::test]
async fn binary_takes_oidc_tokens_and_serves_a_credentials_uri() {
    let (running, endpoint) = spawn(&[
        "--oidc-token",
        "first.oidc.token",
        "--oidc-token",
        "second.oidc.token",
        "--credentials-uri",
        "/credentials",
    ]);
    for token in ["first.oidc.token", "second.oidc.token"] {
        let params = owned(&[
            ("Action", "AssumeRoleWithOIDC"),
            ("Version", "2015-04-01"),
            ("Format", "JSON"),
            ("RoleArn", "acs:ram::1234567890123456:role/rrsa"),
            (
                "OIDCProviderArn",
                "acs:ram::1234567890123456:oidc-provider/ack",
            ),
            ("OIDCToken", token),
            ("RoleSessionName", "pod"),
        ]);
        let reply = get(&endpoint, &encode(&params)).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    let response = client()
        .get(format!("{endpoint}/credentials"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains(r#""Code":"Success""#));
    drop(running);
}

/// What a team pointing Aliyun's current SDK at the program gets: a V3 call is verified
/// (it used to be `MissingAction`).
#[tokio::test]
async fn binary_serves_v3_calls() {
    let (running, endpoint) = spawn(&[
        "--access-key-id",
        "bin-id",
        "--access-key-secret",
        "bin-secret",
    ]);
    let reply = common::v3::V3::at(
        &endpoint,
        ("bin-id", "bin-secret"),
        "DescribeRegions",
        "2014-05-26",
    )
    .send(&endpoint)
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.json()["Regions"]["Region"].as_array().unwrap().len() > 5);
    common::v3::V3::at(
        &endpoint,
        ("bin-id", "wrong"),
        "DescribeRegions",
        "2014-05-26",
    )
    .send(&endpoint)
    .await
    .assert_error(400, "SignatureDoesNotMatch");
    drop(running);
}

/// Schema mode from flags: `--api-docs FILE` serves that file's actions (ECS is built in),
/// `--allow-undeclared-params` lets unknown params through, `--no-built-in-schema` drops ECS's
/// schema; a file that cannot be served stops the program with a message naming it.
#[tokio::test]
async fn binary_schema_mode_flags() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("emulator-bin-schema");
    std::fs::create_dir_all(&dir).unwrap();
    let nlb = dir.join("nlb-2022-04-30.json");
    std::fs::write(&nlb, aliyun_rpc_metadata::vendored::NLB_2022_04_30).unwrap();
    let nlb_path = nlb.display().to_string();

    let (running, endpoint) = spawn(&["--api-docs", &nlb_path]);
    let mut params = common("ListLoadBalancers", "2022-04-30", "testid", "JSON");
    params.push(("RegionId".into(), "cn-hangzhou".into()));
    let reply = call(&endpoint, params, "testsecret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let mut params = common("RunInstances", "2014-05-26", "testid", "JSON");
    params.extend(owned(&[("RegionId", "cn-hangzhou"), ("VswitchId", "v")]));
    let reply = call(&endpoint, params, "testsecret").await;
    let json = reply.assert_error(400, "InvalidParameter.Undeclared");
    assert!(json["Message"].as_str().unwrap().contains("`VSwitchId`"));
    drop(running);

    let (running, endpoint) = spawn(&["--allow-undeclared-params"]);
    let mut params = common("RunInstances", "2014-05-26", "testid", "JSON");
    params.extend(owned(&[("RegionId", "cn-hangzhou"), ("VswitchId", "v")]));
    let reply = call(&endpoint, params, "testsecret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    drop(running);

    let (running, endpoint) = spawn(&["--no-built-in-schema"]);
    let mut params = common("RunInstances", "2014-05-26", "testid", "JSON");
    params.push(("RegionId".into(), "cn-hangzhou".into()));
    call(&endpoint, params, "testsecret")
        .await
        .assert_error(404, "InvalidAction.NotFound");
    drop(running);

    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"info\": 1}").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_aliyun-rpc-emulator"))
        .args(["--api-docs", &bad.display().to_string()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("aliyun-rpc-emulator: schema mode: ")
            && stderr.contains(&bad.display().to_string()),
        "{stderr}"
    );
    assert!(output.stdout.is_empty(), "nothing listened");
}
