//! The README's first command: the main example, with no credentials, calls the in-process
//! emulator and prints the seed page's instance types. The same call written with generated
//! types (`examples/generated_types.rs`) prints the same and sends the same params.

use std::process::{Command, Output};

mod common;

/// The seed request, written by hand (`examples/common/ecs.rs`).
use common::ecs as hand;

/// The seed request, generated (`examples/generated/ecs.rs`, the CLI's output, which
/// `rustfmt::skip` keeps byte for byte as the CLI wrote it).
#[path = "../examples/generated/ecs.rs"]
#[allow(dead_code)]
#[rustfmt::skip]
mod generated;

fn run_example(args: &[&str]) -> Output {
    run_example_with(args, &[], None)
}

/// Runs the example with only `env` of the `ALIBABA_CLOUD_*` variables, and `home` as `$HOME`.
fn run_example_with(args: &[&str], env: &[(&str, &str)], home: Option<&std::path::Path>) -> Output {
    run_named_example("describe_image_support_instance_types", args, env, home)
}

/// Runs `example` with only `env` of the `ALIBABA_CLOUD_*` variables, and `home` as `$HOME`.
fn run_named_example(
    example: &str,
    args: &[&str],
    env: &[(&str, &str)],
    home: Option<&std::path::Path>,
) -> Output {
    let default_home =
        std::env::temp_dir().join(format!("aliyun-rpc-example-home-{}", std::process::id()));
    let home = home.unwrap_or(&default_home);
    let mut command = Command::new(env!("CARGO"));
    command
        .args(["run", "--quiet", "--example", example, "--"])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        // No credentials from the environment or from profile files in $HOME.
        .env("HOME", home);
    for (key, _) in std::env::vars() {
        if key.starts_with("ALIBABA_CLOUD_") {
            command.env_remove(key);
        }
    }
    command.envs(env.iter().copied());
    match command.output() {
        Ok(output) => output,
        Err(e) => panic!("cannot run cargo: {e}"),
    }
}

#[test]
fn prints_the_seed_instance_types() {
    let output = run_example(&[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("RequestId: ") && lines[0].len() == "RequestId: ".len() + 36,
        "{stdout}"
    );
    assert_eq!(
        lines[1..],
        [
            "Region:    cn-hangzhou",
            "Image:     ubuntu_16_0402_64_20G_alibase_20180409.vhd",
            "",
            "INSTANCE TYPE  FAMILY      VCPU  MEMORY (GiB)",
            "ecs.t1.xsmall  ecs.t1         1           0.5",
            "ecs.t1.small   ecs.t1         1             1",
        ]
    );
    assert!(
        stderr
            .contains("no credentials found: calling the in-process emulator at http://127.0.0.1:"),
        "{stderr}"
    );
}

/// `--signature v3` (and the default, `v1`, said explicitly) print the seed page's table.
#[test]
fn both_signatures_print_the_seed_instance_types() {
    for (args, algorithm) in [
        (&["--signature", "v3"][..], "ACS3-HMAC-SHA256"),
        (
            &["--signature", "v3", "--format", "xml", "--method", "get"],
            "ACS3-HMAC-SHA256",
        ),
        (&["--signature", "v1"], "HMAC-SHA1"),
    ] {
        let output = run_example(args);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "{args:?}\nstdout: {stdout}\nstderr: {stderr}"
        );
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(
            lines.get(1..),
            Some(
                &[
                    "Region:    cn-hangzhou",
                    "Image:     ubuntu_16_0402_64_20G_alibase_20180409.vhd",
                    "",
                    "INSTANCE TYPE  FAMILY      VCPU  MEMORY (GiB)",
                    "ecs.t1.xsmall  ecs.t1         1           0.5",
                    "ecs.t1.small   ecs.t1         1             1",
                ][..]
            ),
            "{args:?}: {stdout}"
        );
        assert!(
            stderr.contains(&format!("signing with {algorithm}\n")),
            "{stderr}"
        );
    }
    let bad = run_example(&["--signature", "v2"]);
    assert_eq!(
        bad.status.code(),
        Some(2),
        "clap refuses an unknown signature"
    );
}

#[test]
fn xml_over_get_gives_the_same_table() {
    let output = run_example(&["--format", "xml", "--method", "get"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.contains("ecs.t1.xsmall  ecs.t1         1           0.5\n"),
        "{stdout}"
    );
}

#[test]
fn an_api_error_prints_code_message_request_id_and_fails() {
    let output = run_example(&["--image-id", "m-doesnotexist"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("  code:       InvalidImageId.NotFound\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("  message:    The specified ImageId does not exist.\n"),
        "{stderr}"
    );
    assert!(stderr.contains("  request id: "), "{stderr}");
    assert!(output.stdout.is_empty());
}

fn runtime() -> tokio::runtime::Runtime {
    match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => panic!("{e}"),
    }
}

fn start_emulator(rt: &tokio::runtime::Runtime) -> aliyun_rpc_emulator::Emulator {
    let builder =
        aliyun_rpc_emulator::Emulator::builder().access_key("LTAI-example", "example-secret");
    match rt.block_on(builder.start()) {
        Ok(e) => e,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn credentials_from_the_environment_go_to_the_endpoint() {
    let rt = runtime();
    let emulator = start_emulator(&rt);
    let env = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-example"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "example-secret"),
        ("ALIBABA_CLOUD_REGION_ID", "cn-hangzhou"),
    ];
    let output = run_example_with(&["--endpoint", emulator.endpoint()], &env, None);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("ecs.t1.small   ecs.t1         1             1\n"),
        "{stdout}"
    );
    assert_eq!(stderr.trim(), "credentials from environment");
    assert_eq!(emulator.request_count(), 1);
}

#[test]
fn credentials_from_the_cli_profile_go_to_the_endpoint() {
    let rt = runtime();
    let emulator = start_emulator(&rt);
    let home = std::env::temp_dir().join(format!(
        "aliyun-rpc-example-cli-home-{}",
        std::process::id()
    ));
    let config = r#"{"current":"work","profiles":[{"name":"work","mode":"AK","access_key_id":"LTAI-example",
        "access_key_secret":"example-secret","region_id":"cn-hangzhou"}]}"#;
    let written = std::fs::create_dir_all(home.join(".aliyun"))
        .and_then(|()| std::fs::write(home.join(".aliyun/config.json"), config));
    if let Err(e) = written {
        panic!("{e}");
    }
    let output = run_example_with(
        &["--endpoint", emulator.endpoint(), "--format", "xml"],
        &[],
        Some(&home),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("Region:    cn-hangzhou\n"), "{stdout}");
    assert!(
        stderr.starts_with("credentials from Aliyun CLI profile `work` in "),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&home);
}

/// Kills the emulator program when the test ends, however it ends.
struct Program(std::process::Child);

impl Drop for Program {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The emulator program (`cargo run` replaces itself with it on Unix) with `args`, and the
/// endpoint its first line announces.
fn start_emulator_program(args: &[&str]) -> (Program, String) {
    use std::io::BufRead;
    let child = Command::new(env!("CARGO"))
        .args([
            "run",
            "--quiet",
            "-p",
            "aliyun-rpc-emulator",
            "--features",
            "cli",
            "--",
        ])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn();
    let mut program = match child {
        Ok(child) => Program(child),
        Err(e) => panic!("cannot run cargo: {e}"),
    };
    let mut line = String::new();
    if let Some(stdout) = program.0.stdout.take() {
        let _ = std::io::BufReader::new(stdout).read_line(&mut line);
    }
    match line
        .trim()
        .strip_prefix("aliyun-rpc-emulator listening on ")
    {
        Some(endpoint) => (program, endpoint.to_owned()),
        None => panic!("unexpected first line: {line:?}"),
    }
}

/// RRSA as ACK sets it up: only the OIDC variables, `ALIBABA_CLOUD_STS_ENDPOINT` pointing at
/// an emulator started with `--oidc-token`, an empty `HOME`.
#[test]
fn the_oidc_variables_alone_go_to_the_endpoint() {
    const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJleGFtcGxlIn0.ZXhhbXBsZQ";
    const ROLE: &str = "acs:ram::1234567890123456:role/example";
    let (_program, endpoint) = start_emulator_program(&["--oidc-token", TOKEN]);
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("example-oidc");
    let home = dir.join("home");
    let token = dir.join("token");
    let written = std::fs::create_dir_all(&home).and_then(|()| std::fs::write(&token, TOKEN));
    if let Err(e) = written {
        panic!("{e}");
    }
    let token_file = token.display().to_string();
    let env = [
        ("ALIBABA_CLOUD_ROLE_ARN", ROLE),
        (
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            "acs:ram::1234567890123456:oidc-provider/ack-rrsa",
        ),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token_file.as_str()),
        ("ALIBABA_CLOUD_STS_ENDPOINT", endpoint.as_str()),
    ];
    let output = run_example_with(&["--endpoint", &endpoint], &env, Some(&home));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("ecs.t1.small   ecs.t1         1             1\n"),
        "{stdout}"
    );
    assert_eq!(
        stderr.trim(),
        format!("credentials from OIDC role `{ROLE}`")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn sorted(mut params: Vec<(String, String)>) -> Vec<(String, String)> {
    params.sort();
    params
}

/// Both requests, given the same values, send exactly these params (signing sorts them, so
/// the order the fields come in does not reach the wire).
#[test]
fn generated_and_hand_written_seed_requests_send_the_same_params() {
    use aliyun_rpc::Request;

    let golden: Vec<(String, String)> = [
        ("ActionType", "CreateEcs"),
        ("Filter.1.Key", "CreationStartTime"),
        ("Filter.1.Value", "2017-12-05T22:40:00Z"),
        ("Filter.2.Key", "InstanceTypeFamily"),
        ("Filter.2.Value", "ecs.t1"),
        ("ImageId", "m-imageid1"),
        ("RegionId", "cn-hangzhou"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();

    let filters = [
        ("CreationStartTime", "2017-12-05T22:40:00Z"),
        ("InstanceTypeFamily", "ecs.t1"),
    ];
    let written = hand::DescribeImageSupportInstanceTypes::new("cn-hangzhou")
        .image_id("m-imageid1")
        .action_type(hand::ActionType::CreateEcs)
        .filters(
            filters
                .iter()
                .map(|(k, v)| hand::Filter {
                    key: (*k).into(),
                    value: (*v).into(),
                })
                .collect::<Vec<_>>(),
        );
    let generated = generated::DescribeImageSupportInstanceTypes::new("cn-hangzhou")
        .image_id("m-imageid1")
        .action_type("CreateEcs")
        .filter(
            filters
                .iter()
                .map(|(k, v)| {
                    generated::DescribeImageSupportInstanceTypesFilter::new()
                        .key(*k)
                        .value(*v)
                })
                .collect::<Vec<_>>(),
        );
    assert_eq!(sorted(written.to_params()), golden, "hand-written");
    assert_eq!(sorted(generated.to_params()), golden, "generated");

    type Hand = hand::DescribeImageSupportInstanceTypes;
    type Generated = generated::DescribeImageSupportInstanceTypes;
    assert_eq!(
        (Generated::PRODUCT, Generated::VERSION, Generated::ACTION),
        (Hand::PRODUCT, Hand::VERSION, Hand::ACTION)
    );
    assert!(written.validate().is_ok() && generated.validate().is_ok());
}

const SEED_TABLE: [&str; 6] = [
    "Region:    cn-hangzhou",
    "Image:     ubuntu_16_0402_64_20G_alibase_20180409.vhd",
    "",
    "INSTANCE TYPE  FAMILY      VCPU  MEMORY (GiB)",
    "ecs.t1.xsmall  ecs.t1         1           0.5",
    "ecs.t1.small   ecs.t1         1             1",
];

#[test]
fn the_generated_types_example_prints_the_seed_instance_types() {
    let output = run_named_example("generated_types", &[], &[], None);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("RequestId: ") && lines[0].len() == "RequestId: ".len() + 36,
        "{stdout}"
    );
    assert_eq!(lines[1..], SEED_TABLE);
    assert!(
        stderr
            .contains("no credentials found: calling the in-process emulator at http://127.0.0.1:"),
        "{stderr}"
    );
}

/// Whatever the arguments, both examples print the same, but for the request id.
#[test]
fn the_generated_types_example_prints_what_the_main_example_does() {
    for args in [
        &["--format", "xml", "--method", "get"][..],
        &[
            "--filter",
            "InstanceTypeFamily=ecs.t1",
            "--action-type",
            "CreateEcs",
        ][..],
    ] {
        let main = run_example(args);
        let generated = run_named_example("generated_types", args, &[], None);
        for output in [&main, &generated] {
            assert!(
                output.status.success(),
                "{args:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let without_request_id = |output: &Output| -> Vec<String> {
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .skip(1)
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(
            without_request_id(&generated),
            without_request_id(&main),
            "{args:?}"
        );
        assert!(
            without_request_id(&generated).len() > 4,
            "{args:?}: no instance types"
        );
    }
}

#[test]
fn the_generated_types_example_reports_an_api_error_like_the_main_example() {
    let output = run_named_example(
        "generated_types",
        &["--image-id", "m-doesnotexist"],
        &[],
        None,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("  code:       InvalidImageId.NotFound\n"),
        "{stderr}"
    );
    assert!(stderr.contains("  request id: "), "{stderr}");
    assert!(output.stdout.is_empty());
}
