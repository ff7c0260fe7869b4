//! `refresh.py --strip-only`: stripping a stripped copy gives it back byte for byte, and a
//! full document loses its prose. Skipped (with a note) where `python3` is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

fn python3() -> Option<&'static str> {
    Command::new("python3")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| "python3")
}

fn strip(input: &Path, output: &Path) {
    let Some(python) = python3() else { return };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("refresh.py");
    let out = Command::new(python)
        .arg(script)
        .arg("--strip-only")
        .arg(input)
        .arg(output)
        .output()
        .expect("run refresh.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A scratch file under cargo's per-target temporary directory: overwritten by the next run,
/// gone with `cargo clean`, never left behind in the system's temporary directory.
fn temp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("refresh");
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

#[test]
fn stripping_a_vendored_copy_reproduces_it() {
    if python3().is_none() {
        eprintln!("python3 not found: refresh.py not tested");
        return;
    }
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    for file in ["ecs-2014-05-26.json", "nlb-2022-04-30.json"] {
        let out = temp(file);
        strip(&data.join(file), &out);
        let original = std::fs::read(data.join(file)).expect("read vendored");
        let again = std::fs::read(&out).expect("read stripped");
        assert!(original == again, "{file} changed when stripped again");
    }
}

#[test]
fn stripping_drops_prose_and_sorts_keys() {
    if python3().is_none() {
        eprintln!("python3 not found: refresh.py not tested");
        return;
    }
    let input = temp("full.json");
    std::fs::write(
        &input,
        r#"{"version":"1.0","directories":[{"title":"实例"}],
            "info":{"title":"ECS","style":"RPC","product":"Ecs","version":"2014-05-26","description":"prose"},
            "apis":{"A":{"title":"A","summary":"does A","methods":["get"],
              "parameters":[{"name":"RegionId","in":"query","description":"where",
                "schema":{"type":"string","title":"Region","description":"prose","required":true,"example":"cn-hangzhou"}}],
              "responses":{"200":{"schema":{"type":"object","title":"t","properties":{"RequestId":{"type":"string","description":"id"}}}}},
              "errorCodes":{"400":[{"errorCode":"X","errorMessage":"m","description":"d"}]},
              "responseDemo":""}},
            "endpoints":[{"regionId":"cn-hangzhou","endpoint":"ecs.cn-hangzhou.aliyuncs.com","areaName":"华东"}]}"#,
    )
    .expect("write");
    let output = temp("stripped.json");
    strip(&input, &output);
    let stripped = std::fs::read_to_string(&output).expect("read");
    assert_eq!(
        stripped,
        concat!(
            r#"{"apis":{"A":{"errorCodes":{"400":[{"errorCode":"X","errorMessage":"m"}]},"methods":["get"],"#,
            r#""parameters":[{"in":"query","name":"RegionId","schema":{"example":"cn-hangzhou","required":true,"type":"string"}}],"#,
            r#""responseDemo":"","responses":{"200":{"schema":{"properties":{"RequestId":{"type":"string"}},"type":"object"}}}}},"#,
            r#""endpoints":[{"endpoint":"ecs.cn-hangzhou.aliyuncs.com","regionId":"cn-hangzhou"}],"#,
            r#""info":{"product":"Ecs","style":"RPC","version":"2014-05-26"},"version":"1.0"}"#
        )
    );
}
