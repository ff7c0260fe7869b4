//! `compile-cost/run.sh` (the compile-cost measurement, run by hand on a quiet machine) stays
//! a valid script with the documented usage; running it is not a test: it takes minutes.

use std::path::Path;
use std::process::Command;

fn script() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("compile-cost/run.sh")
        .display()
        .to_string()
}

fn bash(args: &[&str]) -> std::process::Output {
    Command::new("bash")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run bash: {e}"))
}

#[test]
fn the_script_parses_and_prints_its_usage() {
    let syntax = bash(&["-n", &script()]);
    assert!(
        syntax.status.success(),
        "{}",
        String::from_utf8_lossy(&syntax.stderr)
    );
    let help = bash(&[&script(), "--help"]);
    assert!(help.status.success());
    let usage = String::from_utf8_lossy(&help.stdout);
    assert!(
        usage.contains("bash codegen/compile-cost/run.sh [--runs N] [--force] [PART]..."),
        "{usage}"
    );
    for part in ["gen ", "ours ", "ali-acs ", "ten "] {
        assert!(usage.contains(&format!("\n  {part}")), "{part}: {usage}");
    }
    let wrong = bash(&[&script(), "everything"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&wrong.stderr).starts_with("run.sh: unknown argument `everything`")
    );
}
