//! The `External` mode: a command run without a shell, its JSON output, and every way it can
//! go wrong (a hang killed at the timeout, a non-zero exit, bad JSON, a flood of output, a
//! program that is not there), each a clear error in bounded time that never shows the
//! secret. The commands are small `sh` scripts in a temp directory.
#![cfg(unix)]

mod common;

use std::time::{Duration, Instant};

use aliyun_rpc_runtime::credentials::{
    CliProfileProvider, ExternalProcessProvider, ProvideCredentials,
};
use aliyun_rpc_runtime::Credentials;
use common::TempDir;
use time::macros::datetime;

const SECRET: &str = "external-secret-Qx93";
const TOKEN: &str = "external-sts-token-Lm27";

/// A provider that runs `sh <dir>/script.sh` with `script` in it.
fn script(dir: &TempDir, script: &str) -> ExternalProcessProvider {
    let path = dir.write("script.sh", script);
    ExternalProcessProvider::from_args(["sh".to_owned(), path.display().to_string()])
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

async fn error(p: &ExternalProcessProvider) -> String {
    match p.fetch().await {
        Ok(c) => panic!("credentials: {c:?}"),
        Err(e) => e.to_string(),
    }
}

fn assert_no_secret(text: &str) {
    for secret in [SECRET, TOKEN] {
        assert!(!text.contains(secret), "`{secret}` in: {text}");
    }
}

#[tokio::test]
async fn access_key_and_sts_token_outputs() {
    let dir = TempDir::new("external-ok");
    let ak = script(
        &dir,
        &format!(
            r#"printf '%s' '{{"mode": "AK", "access_key_id": "LTAI5tExt", "access_key_secret": "{SECRET}"}}'"#
        ),
    );
    let creds = ak.fetch().await.unwrap();
    assert_eq!(creds, Credentials::new("LTAI5tExt", SECRET));
    assert_eq!(creds.expiration(), None, "an access key is kept for good");

    let sts = script(
        &dir,
        &format!(
            r#"echo '{{"mode":"StsToken","access_key_id":"STS.ext","access_key_secret":"{SECRET}","sts_token":"{TOKEN}","expiration":"2031-01-02T03:04:05Z"}}'"#
        ),
    );
    assert_eq!(
        sts.fetch().await.unwrap(),
        Credentials::new("STS.ext", SECRET)
            .with_security_token(TOKEN)
            .with_expiration(datetime!(2031-01-02 03:04:05 UTC))
    );

    // StsToken without an expiration: taken to expire at once, so the cache runs it again.
    let counter = dir.path().join("runs");
    let once = script(
        &dir,
        &format!(
            r#"echo run >> '{}'; echo '{{"access_key_id":"STS.ext","access_key_secret":"{SECRET}","sts_token":"{TOKEN}"}}'"#,
            counter.display()
        ),
    )
    .cached();
    once.provide_credentials().await.unwrap();
    once.provide_credentials().await.unwrap();
    let runs = std::fs::read_to_string(&counter).unwrap();
    assert_eq!(runs.lines().count(), 2, "{runs}");
}

#[tokio::test]
async fn a_hang_is_killed_at_the_timeout() {
    let dir = TempDir::new("external-hang");
    // `exec`: the killed process is the one that sleeps, nothing lingers.
    let path = dir.write("script.sh", "echo started >&2\nexec sleep 30\n");
    let p = ExternalProcessProvider::from_args(["sh".to_owned(), path.display().to_string()])
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = error(&p).await;
    let took = started.elapsed();
    assert_eq!(
        err,
        "credentials: external command `sh` did not finish within 500ms, and was killed"
    );
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[tokio::test]
async fn a_failure_shows_its_standard_error_bounded_and_escaped() {
    let dir = TempDir::new("external-exit");
    let p = script(
        &dir,
        &format!("echo '{SECRET}'\necho 'no session: run login\\033[31m' >&2\nexit 3\n"),
    );
    let err = error(&p).await;
    assert_eq!(
        err,
        r"credentials: external command `sh` exited with status 3; its standard error: no session: run login\u{1b}[31m"
    );
    assert_no_secret(&err);

    let long = script(
        &dir,
        "head -c 100000 /dev/zero | tr '\\0' 'e' >&2\nexit 1\n",
    );
    let err = error(&long).await;
    assert!(err.len() < 1300, "{} bytes", err.len());
    assert!(err.ends_with("e…"), "{err}");

    let silent = script(&dir, "exit 1\n");
    assert_eq!(
        error(&silent).await,
        "credentials: external command `sh` exited with status 1; it wrote nothing on standard error"
    );
}

#[tokio::test]
async fn bad_output_is_an_error_that_never_shows_it() {
    let dir = TempDir::new("external-bad");
    for (output, expected) in [
        (
            format!("access_key_secret={SECRET}"),
            "printed not JSON (at line 1, column 1) on standard output, not the expected JSON object",
        ),
        (
            format!(r#"{{"access_key_id": "id", "access_key_secret": ["{SECRET}"]}}"#),
            "printed JSON of another shape (at line 1, column 45) on standard output, not the expected JSON object",
        ),
        (
            format!(r#"{{"access_key_id": "id", "access_key_secret": "{SECRET}""#),
            "printed cut-off JSON (at line 2, column 0) on standard output, not the expected JSON object",
        ),
        (
            format!(r#"{{"access_key_secret": "{SECRET}"}}"#),
            "printed no `access_key_id` (or an empty one)",
        ),
        (
            format!(r#"{{"mode": "StsToken", "access_key_id": "id", "access_key_secret": "{SECRET}"}}"#),
            "printed no `sts_token` (or an empty one)",
        ),
        (
            format!(r#"{{"mode": "CloudSSO", "access_key_id": "id", "access_key_secret": "{SECRET}"}}"#),
            "printed the mode `CloudSSO`; expected `AK` or `StsToken`",
        ),
        (
            format!(r#"{{"access_key_id": "id", "access_key_secret": "{SECRET}", "expiration": "soon"}}"#),
            "printed the `expiration` `soon`, which is not an RFC 3339 time",
        ),
    ] {
        let p = script(&dir, &format!("cat <<'EOF'\n{output}\nEOF\n"));
        let err = error(&p).await;
        assert_eq!(err, format!("credentials: external command `sh` {expected}"));
        assert_no_secret(&err);
    }
}

#[tokio::test]
async fn a_flood_of_output_is_cut_and_the_command_killed() {
    let dir = TempDir::new("external-flood");
    let p = script(
        &dir,
        "while true; do echo xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; done\n",
    );
    let started = Instant::now();
    let err = error(&p).await;
    assert_eq!(
        err,
        "credentials: external command `sh` printed more than 65536 bytes, the limit for a credentials document, and was killed"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_missing_program_and_shell_syntax() {
    let missing = ExternalProcessProvider::builder("/nonexistent/get-creds --flag")
        .build()
        .unwrap();
    let err = error(&missing).await;
    assert!(
        err.starts_with("credentials: external command `/nonexistent/get-creds` cannot be started"),
        "{err}"
    );
    for (line, expected) in [
        ("get-creds | jq .", "credentials: external command: the process command: character 11 is unquoted shell syntax, and the command is not run by a shell: quote or escape it to pass it as text, or put the pipeline in a script"),
        ("get-creds 'unclosed", "credentials: external command: the process command: the `'` at character 11 is never closed"),
        ("   ", "credentials: external command: the process command: it is empty"),
    ] {
        match ExternalProcessProvider::builder(line).build() {
            Ok(p) => panic!("{line}: {p:?}"),
            Err(e) => assert_eq!(e.to_string(), expected),
        }
    }
}

#[test]
fn debug_shows_the_program_and_how_many_arguments() {
    let b = ExternalProcessProvider::builder("get-creds --token s3cr3t-arg")
        .timeout(Duration::from_secs(5));
    assert_eq!(
        format!("{b:?}"),
        r#"ExternalProcessProviderBuilder { program: Some("get-creds"), args: 2, timeout: 5s }"#
    );
    assert_eq!(
        format!("{:?}", b.build().unwrap()),
        r#"ExternalProcessProvider { program: "get-creds", args: 2, timeout: 5s }"#
    );
}

/// No shell runs the command: what a shell would expand reaches the program as it is.
#[tokio::test]
async fn quoted_words_reach_the_program_as_written() {
    let dir = TempDir::new("external-words");
    let path = dir.write(
        "args.sh",
        r#"printf '{"access_key_id": "%s", "access_key_secret": "%s|%s"}' "$1" "$2" "$3""#,
    );
    let line = format!(r#"sh '{}' 'a b' '$HOME' "x;y""#, path.display());
    let p = ExternalProcessProvider::builder(&line).build().unwrap();
    assert_eq!(
        format!("{p:?}"),
        r#"ExternalProcessProvider { program: "sh", args: 4, timeout: 60s }"#
    );
    assert_eq!(
        p.fetch().await.unwrap(),
        Credentials::new("a b", "$HOME|x;y")
    );
}

#[tokio::test]
async fn the_cli_profile_mode_runs_it() {
    let dir = TempDir::new("external-profile");
    let script = dir.write(
        "creds.sh",
        &format!(r#"echo '{{"mode": "AK", "access_key_id": "LTAI5tProfile", "access_key_secret": "{SECRET}"}}'"#),
    );
    let command = format!("sh {}", script.display());
    let config = serde_json::json!({
        "current": "ext",
        "profiles": [{"name": "ext", "mode": "External", "process_command": command}]
    });
    let path = dir.write(".aliyun/config.json", &config.to_string());
    let p = CliProfileProvider::load(&path, None).unwrap();
    assert_eq!(p.mode(), "External");
    assert_eq!(
        p.provide_credentials().await.unwrap(),
        Credentials::new("LTAI5tProfile", SECRET)
    );
    let debug = format!("{p:?}");
    assert!(
        debug.contains(r#"inner: CachedProvider { inner: ExternalProcessProvider { program: "sh", args: 1, timeout: 60s }, .. }"#),
        "{debug}"
    );

    let config = r#"{"current": "ext", "profiles": [{"name": "ext", "mode": "External", "process_command": "creds > out"}]}"#;
    let path = dir.write("bad/config.json", config);
    let err = CliProfileProvider::load(&path, None)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!(
            "credentials: {}: profile `ext`: external command: the process command: character 7 is unquoted shell syntax, and the command is not run by a shell: quote or escape it to pass it as text, or put the pipeline in a script",
            path.display()
        )
    );
}
