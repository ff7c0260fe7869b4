//! Compiles the generated code for every vendored action in a real crate
//! (`tests/fixture/`, outside the workspace) and runs its tests: responses decode every
//! example answer, requests send the metadata's wire names, and the code it compiled is what
//! the `aliyun-rpc-gen` binary prints for each whole file. Each step has a time limit.
//!
//! A cold run builds the facade and every generated action in the fixture's own target
//! directory: a few minutes on two cores.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Generous for a cold build of the facade and ~25,000 generated lines on two cores.
const LIMIT: Duration = Duration::from_secs(20 * 60);

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixture")
}

/// Its own target directory, so the outer `cargo test` never waits on the fixture's lock.
fn target_dir() -> PathBuf {
    let workspace_target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    workspace_target.join("codegen-fixture")
}

/// Runs `cargo <args>` in the fixture within [`LIMIT`]; panics with the end of its output
/// when it fails or runs out of time.
fn cargo(args: &[&str]) {
    // The fixture resolves its dependencies as the workspace does: start from the workspace's
    // lock file (the fixture's own is not tracked, since cargo rewrites it as it needs).
    let workspace_lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    std::fs::copy(workspace_lock, fixture().join("Cargo.lock"))
        .expect("copy the workspace's Cargo.lock");
    let logs = target_dir();
    std::fs::create_dir_all(&logs).expect("fixture target dir");
    let log_path = logs.join(format!("{}.log", args.join("-").replace(['/', ' '], "_")));
    let log = std::fs::File::create(&log_path).expect("log file");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut child = Command::new(cargo)
        .args(args)
        .arg("--manifest-path")
        .arg(fixture().join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target_dir())
        // For the fixture's `tests/cli.rs`: the binary whose stdout it compares.
        .env("ALIYUN_RPC_GEN", env!("CARGO_BIN_EXE_aliyun-rpc-gen"))
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log file"))
        .stderr(log)
        .spawn()
        .expect("run cargo");
    let started = Instant::now();
    let status = loop {
        match child.try_wait().expect("wait for cargo") {
            Some(status) => break Some(status),
            None if started.elapsed() > LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => std::thread::sleep(Duration::from_millis(200)),
        }
    };
    if status.is_some_and(|s| s.success()) {
        return;
    }
    let output = std::fs::read_to_string(&log_path).unwrap_or_default();
    let lines: Vec<&str> = output.lines().collect();
    let tail = lines[lines.len().saturating_sub(150)..].join("\n");
    match status {
        None => panic!(
            "`cargo {}` ran over {LIMIT:?}; log: {}\n{tail}",
            args.join(" "),
            log_path.display()
        ),
        Some(s) => panic!(
            "`cargo {}` failed ({s}); log: {}\n{tail}",
            args.join(" "),
            log_path.display()
        ),
    }
}

#[test]
fn generated_code_for_every_vendored_action_compiles() {
    cargo(&["check", "--tests"]);
}

#[test]
fn generated_responses_decode_every_example_answer() {
    cargo(&["test", "--test", "decode"]);
}

#[test]
fn generated_requests_send_the_metadata_wire_names() {
    cargo(&["test", "--test", "wire"]);
}

#[test]
fn the_cli_output_for_each_whole_file_is_what_compiled() {
    cargo(&["test", "--test", "cli"]);
}
