//! The README's first command: the main example, with no credentials, calls the in-process
//! emulator and prints the seed page's instance types.

use std::process::{Command, Output};

fn run_example(args: &[&str]) -> Output {
    let home = std::env::temp_dir().join(format!("aliyun-rpc-example-home-{}", std::process::id()));
    let mut command = Command::new(env!("CARGO"));
    command
        .args([
            "run",
            "--quiet",
            "--example",
            "describe_image_support_instance_types",
            "--",
        ])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        // No credentials from the environment or from profile files in $HOME.
        .env("HOME", &home);
    for (key, _) in std::env::vars() {
        if key.starts_with("ALIBABA_CLOUD_") {
            command.env_remove(key);
        }
    }
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
