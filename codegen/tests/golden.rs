//! Golden output for a few actions, checked byte for byte. After a deliberate change,
//! regenerate with `UPDATE_GOLDEN=1 cargo test -p aliyun-rpc-codegen --test golden` and
//! review the diff like any other code change.

use std::path::{Path, PathBuf};

use aliyun_rpc_codegen::Config;
use aliyun_rpc_metadata::vendored;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn check(file: &str, config: Config) {
    let code = match config.generate() {
        Ok(code) => code,
        Err(e) => panic!("{file}: {e}"),
    };
    let path = golden_dir().join(file);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &code).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    if code != expected {
        let line = code
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| code.lines().count().min(expected.lines().count()));
        panic!(
            "{file} differs from its golden file at line {}:\n  generated: {:?}\n  golden:    {:?}\n\
             review and rerun with UPDATE_GOLDEN=1 if the change is intended",
            line + 1,
            code.lines().nth(line),
            expected.lines().nth(line),
        );
    }
}

fn ecs(action: &str) -> Config {
    Config::new()
        .api_docs_str(vendored::ECS_2014_05_26_FILE, vendored::ECS_2014_05_26)
        .action(action)
}

fn nlb(action: &str) -> Config {
    Config::new()
        .api_docs_str(vendored::NLB_2022_04_30_FILE, vendored::NLB_2022_04_30)
        .action(action)
}

/// The seed action: wire-identical to the hand-written types of `examples/common/ecs.rs`.
#[test]
fn ecs_describe_image_support_instance_types() {
    check(
        "ecs_describe_image_support_instance_types.rs",
        ecs("DescribeImageSupportInstanceTypes"),
    );
}

/// A `flat` object with literal dotted params beside it (`SystemDisk.Size`), objects
/// synthesized from dotted params (`CpuOptions.Core`), `KMSKeyId`, `VSwitchId`, a password.
#[test]
fn ecs_run_instances() {
    check("ecs_run_instances.rs", ecs("RunInstances"));
}

/// Enums whose values differ only by case.
#[test]
fn ecs_describe_diagnostic_reports() {
    check(
        "ecs_describe_diagnostic_reports.rs",
        ecs("DescribeDiagnosticReports"),
    );
}

/// `in: formData` params (`body`), an enum, a `json` object, `flat` tags.
#[test]
fn nlb_create_listener() {
    check("nlb_create_listener.rs", nlb("CreateListener"));
}

/// A hand-written file with titles and descriptions (docs), `simple`, `secret`, a
/// deprecated action and param, keywords, an enum value named `Other`.
#[test]
fn demo_with_titles() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/demo-2024-01-01.json");
    check("demo.rs", Config::new().api_docs(path));
}
