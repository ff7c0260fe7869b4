//! Generated code checked into the repository is exactly what `aliyun-rpc-gen` writes today:
//! `examples/generated/ecs.rs` (the sample module of `examples/generated_types.rs`) is the
//! CLI's stdout for [`SAMPLE_ACTIONS`], and `tests/generated/nlb.rs` (the NLB actions of
//! `tests/generated_roundtrip.rs`) for [`NLB_ACTIONS`], byte for byte. A change to the vendored metadata or to
//! the generator that alters it fails here with the command that regenerates it.
//!
//! After a deliberate change, run that command (or this test with `UPDATE_GOLDEN=1`) and
//! review the diff like any other code change.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The ECS actions of the sample module, in the order the command lists them.
const SAMPLE_ACTIONS: &[&str] = &[
    "AuthorizeSecurityGroup",
    "CreateSecurityGroup",
    "DeleteInstance",
    "DescribeImageSupportInstanceTypes",
    "DescribeInstances",
    "DescribeRegions",
    "RunInstances",
    "StopInstance",
];

/// Paths relative to the workspace root, as the command is typed there.
const API_DOCS: &str = "metadata/data/ecs-2014-05-26.json";
const SAMPLE: &str = "examples/generated/ecs.rs";

/// The NLB actions (form-body params, plain JSON arrays) the round-trip tests call.
const NLB_ACTIONS: &[&str] = &[
    "CreateLoadBalancer",
    "GetLoadBalancerAttribute",
    "ListLoadBalancers",
];
const NLB_API_DOCS: &str = "metadata/data/nlb-2022-04-30.json";
const NLB_SAMPLE: &str = "tests/generated/nlb.rs";
/// The example whose module docs show the command.
const EXAMPLE: &str = "examples/generated_types.rs";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The CLI's arguments for a sample, without `--out`.
fn sample_args(api_docs: &str, actions: &[&str]) -> Vec<String> {
    let mut args = vec!["--api-docs".to_owned(), api_docs.to_owned()];
    for action in actions {
        args.push("--action".to_owned());
        args.push((*action).to_owned());
    }
    args
}

/// The command a person runs from the workspace root to regenerate a sample.
fn regenerate_command(api_docs: &str, actions: &[&str], sample: &str) -> String {
    format!(
        "cargo run -p aliyun-rpc-codegen --bin aliyun-rpc-gen -- {} --out {sample}",
        sample_args(api_docs, actions).join(" ")
    )
}

/// Runs the binary from the workspace root with the command's arguments; its stdout.
fn cli_output(api_docs: &str, actions: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_aliyun-rpc-gen"))
        .args(sample_args(api_docs, actions))
        .current_dir(workspace())
        .output()
        .unwrap_or_else(|e| panic!("cannot run aliyun-rpc-gen: {e}"));
    assert!(
        out.status.success(),
        "aliyun-rpc-gen failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("aliyun-rpc-gen wrote non-UTF-8: {e}"))
}

#[test]
fn the_sample_module_is_what_the_cli_writes() {
    check_sample(API_DOCS, SAMPLE_ACTIONS, SAMPLE);
}

#[test]
fn the_nlb_round_trip_module_is_what_the_cli_writes() {
    check_sample(NLB_API_DOCS, NLB_ACTIONS, NLB_SAMPLE);
}

/// `sample` is the CLI's output for `actions` of `api_docs` (rewritten under `UPDATE_GOLDEN`).
fn check_sample(api_docs: &str, actions: &[&str], sample: &str) {
    let generated = cli_output(api_docs, actions);
    let path = workspace().join(sample);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &generated).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    if generated == checked_in {
        return;
    }
    let line = generated
        .lines()
        .zip(checked_in.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| generated.lines().count().min(checked_in.lines().count()));
    panic!(
        "{sample} is not what aliyun-rpc-gen writes now (first difference at line {}:\n  \
         generated:  {:?}\n  checked in: {:?})\n\
         after a deliberate change to the metadata or the generator, regenerate it from the \
         workspace root with\n\n    {}\n\nand review the diff",
        line + 1,
        generated.lines().nth(line),
        checked_in.lines().nth(line),
        regenerate_command(api_docs, actions, sample),
    );
}

/// The example tells its readers the same command this test prints.
#[test]
fn the_example_shows_the_regenerating_command() {
    let path = workspace().join(EXAMPLE);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    // Module docs: `//! ` prefixes dropped, `\`-continued lines joined.
    let docs: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .map(str::trim)
        .collect();
    let joined = docs.join("\n").replace("\\\n", " ");
    let command = regenerate_command(API_DOCS, SAMPLE_ACTIONS, SAMPLE);
    assert!(
        joined
            .lines()
            .any(|l| l.split_whitespace().eq(command.split_whitespace())),
        "{EXAMPLE}'s docs should show (as one command, `\\`-continued lines allowed):\n{command}"
    );
}
