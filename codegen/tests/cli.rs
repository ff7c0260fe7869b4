//! The `aliyun-rpc-gen` binary: same text as the library, usage errors exit with 2,
//! generation errors with 1.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn gen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aliyun-rpc-gen"))
        .args(args)
        .output()
        .expect("run aliyun-rpc-gen")
}

fn ecs_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../metadata/data/ecs-2014-05-26.json")
}

#[test]
fn prints_the_library_output() {
    let ecs = ecs_file();
    let out = gen(&[
        "--api-docs",
        ecs.to_str().expect("utf-8 path"),
        "--action",
        "DescribeImageSupportInstanceTypes",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = aliyun_rpc_codegen::Config::new()
        .api_docs(&ecs)
        .action("DescribeImageSupportInstanceTypes")
        .generate()
        .expect("generate");
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
}

#[test]
fn writes_to_out() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("aliyun-rpc-gen-cli");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let target = dir.join("ecs.rs");
    let ecs = ecs_file();
    let out = gen(&[
        &format!("--api-docs={}", ecs.display()),
        "--action=CreateDisk",
        "--out",
        target.to_str().expect("utf-8 path"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&target).expect("read");
    assert!(written.contains("pub struct CreateDisk {"));
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn usage_errors_exit_with_2() {
    for args in [
        &[][..],
        &["--api-docs"][..],
        &["--api-docs", "x.json", "--bogus"][..],
    ] {
        let out = gen(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("aliyun-rpc-gen: "), "{err}");
        assert!(
            err.contains("usage: aliyun-rpc-gen --api-docs FILE"),
            "{err}"
        );
    }
    let help = gen(&["--help"]);
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).starts_with("usage: aliyun-rpc-gen"));
}

#[test]
fn generation_errors_exit_with_1_and_name_the_problem() {
    let ecs = ecs_file();
    let out = gen(&[
        "--api-docs",
        ecs.to_str().expect("utf-8 path"),
        "--action",
        "RunInstance",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "aliyun-rpc-gen: ecs-2014-05-26.json has no action `RunInstance` (did you mean `RunInstances` or `RenewInstance`?)\n"
    );
    let out = gen(&["--api-docs", "/no/such/file.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("cannot read metadata file `/no/such/file.json`"));
}
