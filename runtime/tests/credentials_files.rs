//! The Aliyun CLI's `config.json` and the `~/.alibabacloud/credentials` ini file, read from
//! temp files: every mode and type, profile selection, and errors that name the file, the
//! profile and the field.

mod common;

use aliyun_rpc_runtime::credentials::{
    CliProfileProvider, CredentialsFileProvider, ProvideCredentials,
};
use aliyun_rpc_runtime::Credentials;
use common::TempDir;

const CLI_CONFIG: &str = r#"{
  "current": "ak",
  "profiles": [
    {"name": "ak", "mode": "AK", "access_key_id": "LTAI5tAk", "access_key_secret": "ak-secret",
     "sts_token": "", "ram_role_name": "", "ram_role_arn": "", "ram_session_name": "",
     "expired_seconds": 0, "region_id": "cn-hangzhou", "output_format": "json", "language": "en"},
    {"name": "sts", "mode": "StsToken", "access_key_id": "STS.id", "access_key_secret": "sts-secret",
     "sts_token": "sts-token", "region_id": "cn-shanghai"},
    {"name": "role", "mode": "RamRoleArn", "access_key_id": "LTAI5tBase", "access_key_secret": "base-secret",
     "ram_role_arn": "acs:ram::1234:role/admin", "ram_session_name": "cli", "expired_seconds": 900},
    {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "EcsRole", "region_id": "cn-beijing"}
  ],
  "meta_path": ""
}"#;

async fn creds(p: &impl ProvideCredentials) -> Credentials {
    p.provide_credentials().await.unwrap()
}

fn cli(dir: &TempDir, text: &str) -> std::path::PathBuf {
    dir.write(".aliyun/config.json", text)
}

#[tokio::test]
async fn cli_current_profile_ak() {
    let dir = TempDir::new("cli-ak");
    let path = cli(&dir, CLI_CONFIG);
    let p = CliProfileProvider::load(&path, None).unwrap();
    assert_eq!(p.profile_name(), "ak");
    assert_eq!(p.mode(), "AK");
    assert_eq!(p.region(), Some("cn-hangzhou"));
    assert_eq!(creds(&p).await, Credentials::new("LTAI5tAk", "ak-secret"));
    assert_eq!(
        format!("{p:?}"),
        format!(
            r#"CliProfileProvider {{ path: {path:?}, profile: "ak", mode: "AK", region: Some("cn-hangzhou"), inner: Credentials {{ access_key_id: "LTAI5tAk", access_key_secret: "** redacted **", security_token: None, expiration: None }} }}"#
        )
    );
}

#[tokio::test]
async fn cli_named_profile_sts_token() {
    let dir = TempDir::new("cli-sts");
    let path = cli(&dir, CLI_CONFIG);
    let p = CliProfileProvider::load(&path, Some("sts")).unwrap();
    assert_eq!(p.mode(), "StsToken");
    assert_eq!(
        creds(&p).await,
        Credentials::new("STS.id", "sts-secret").with_security_token("sts-token")
    );
    let debug = format!("{p:?}");
    assert!(
        !debug.contains("sts-secret") && !debug.contains("sts-token"),
        "{debug}"
    );
}

#[test]
fn cli_ram_role_arn_builds_a_cached_assume_role_provider() {
    let dir = TempDir::new("cli-role");
    let path = cli(&dir, CLI_CONFIG);
    let p = CliProfileProvider::load(&path, Some("role")).unwrap();
    assert_eq!(p.mode(), "RamRoleArn");
    assert_eq!(
        format!("{p:?}"),
        format!(
            r#"CliProfileProvider {{ path: {path:?}, profile: "role", mode: "RamRoleArn", region: None, inner: CachedProvider {{ inner: RamRoleArnProvider {{ role_arn: "acs:ram::1234:role/admin", role_session_name: "cli", duration_seconds: 900, policy: None, sts_endpoint: "https://sts.aliyuncs.com", base: Credentials {{ access_key_id: "LTAI5tBase", access_key_secret: "** redacted **", security_token: None, expiration: None }} }}, .. }} }}"#
        )
    );
}

#[test]
fn cli_ecs_ram_role_builds_a_cached_metadata_provider() {
    let dir = TempDir::new("cli-ecs");
    let path = cli(&dir, CLI_CONFIG);
    let p = CliProfileProvider::load(&path, Some("ecs")).unwrap();
    assert_eq!(p.mode(), "EcsRamRole");
    assert_eq!(p.region(), Some("cn-beijing"));
    assert!(
        format!("{p:?}").ends_with(r#"inner: CachedProvider { inner: EcsRamRoleProvider { endpoint: "http://100.100.100.200", role_name: Some("EcsRole"), require_imds_v2: false }, .. } }"#),
        "{p:?}"
    );
}

#[test]
fn cli_errors_name_file_profile_and_field() {
    let dir = TempDir::new("cli-errors");
    let path = cli(
        &dir,
        r#"{"current": "a", "profiles": [
            {"name": "a", "mode": "AK", "access_key_id": "LTAI5tA"},
            {"name": "b", "mode": "Bearer"},
            {"name": "c", "access_key_id": "x"},
            {"name": "d", "mode": "AK", "access_key_id": "x", "access_key_secret": 12345},
            {"name": "e", "mode": "RamRoleArn", "access_key_id": "x", "access_key_secret": "y"}
        ]}"#,
    );
    let p = path.display();
    let err = |profile: Option<&str>| {
        CliProfileProvider::load(&path, profile)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        err(None),
        format!("credentials: {p}: profile `a`: mode `AK` needs `access_key_secret`, which is missing or empty")
    );
    assert_eq!(
        err(Some("b")),
        format!("credentials: {p}: profile `b`: unsupported mode `Bearer`; expected one of `AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`, `OIDC`, `ChainableRamRoleArn`, `External`, `CredentialsURI`")
    );
    assert_eq!(
        err(Some("c")),
        format!("credentials: {p}: profile `c`: `mode` is missing; expected one of `AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`, `OIDC`, `ChainableRamRoleArn`, `External`, `CredentialsURI`")
    );
    // The value is not echoed: it may be a secret.
    assert_eq!(
        err(Some("d")),
        format!("credentials: {p}: profile `d`: `access_key_secret` is not a string")
    );
    assert_eq!(
        err(Some("e")),
        format!("credentials: {p}: profile `e`: mode `RamRoleArn` needs `ram_role_arn`, which is missing or empty")
    );
    assert_eq!(
        err(Some("zz")),
        format!("credentials: {p}: no profile `zz`; profiles: `a`, `b`, `c`, `d`, `e`")
    );
}

#[test]
fn cli_bad_json_names_the_file_and_position() {
    let dir = TempDir::new("cli-json");
    let path = cli(&dir, "{\"current\": \"default\",\n \"profiles\": [\n}");
    let p = path.display();
    assert_eq!(
        CliProfileProvider::load(&path, None)
            .unwrap_err()
            .to_string(),
        format!("credentials: {p}: not valid JSON: expected value at line 3 column 1")
    );
    assert_eq!(
        CliProfileProvider::load(&path, Some("prod"))
            .unwrap_err()
            .to_string(),
        format!(
            "credentials: {p}: profile `prod`: not valid JSON: expected value at line 3 column 1"
        )
    );
}

#[test]
fn missing_file_is_an_error_naming_it() {
    let dir = TempDir::new("missing");
    let path = dir.path().join("nope.json");
    assert_eq!(
        CliProfileProvider::load(&path, None)
            .unwrap_err()
            .to_string(),
        format!("credentials: {}: does not exist", path.display())
    );
    assert_eq!(
        CredentialsFileProvider::load(&path, None)
            .unwrap_err()
            .to_string(),
        format!("credentials: {}: does not exist", path.display())
    );
}

const INI: &str = "\
# written by hand
[default]
type = access_key
access_key_id = LTAI5tIni
access_key_secret = ini-secret
region_id = cn-hangzhou

[sts]
type = sts
access_key_id = STS.ini
access_key_secret = sts-ini-secret
security_token = sts-ini-token

[role]
type = ram_role_arn
access_key_id = LTAI5tBase
access_key_secret = base-secret
role_arn = acs:ram::1234:role/admin
role_session_name = ini

[ecs]
type = ecs_ram_role
role_name = EcsRole
";

fn ini(dir: &TempDir, text: &str) -> std::path::PathBuf {
    dir.write(".alibabacloud/credentials", text)
}

#[tokio::test]
async fn ini_default_profile_access_key() {
    let dir = TempDir::new("ini-ak");
    let path = ini(&dir, INI);
    let p = CredentialsFileProvider::load(&path, None).unwrap();
    assert_eq!(p.profile_name(), "default");
    assert_eq!(p.credential_type(), "access_key");
    assert_eq!(p.region(), Some("cn-hangzhou"));
    assert_eq!(creds(&p).await, Credentials::new("LTAI5tIni", "ini-secret"));
    assert_eq!(
        format!("{p:?}"),
        format!(
            r#"CredentialsFileProvider {{ path: {path:?}, profile: "default", type: "access_key", region: Some("cn-hangzhou"), inner: Credentials {{ access_key_id: "LTAI5tIni", access_key_secret: "** redacted **", security_token: None, expiration: None }} }}"#
        )
    );
}

#[tokio::test]
async fn ini_named_profiles_of_every_type() {
    let dir = TempDir::new("ini-types");
    let path = ini(&dir, INI);
    let sts = CredentialsFileProvider::load(&path, Some("sts")).unwrap();
    assert_eq!(
        creds(&sts).await,
        Credentials::new("STS.ini", "sts-ini-secret").with_security_token("sts-ini-token")
    );
    let role = CredentialsFileProvider::load(&path, Some("role")).unwrap();
    assert_eq!(role.credential_type(), "ram_role_arn");
    let debug = format!("{role:?}");
    assert!(
        debug.contains(r#"RamRoleArnProvider { role_arn: "acs:ram::1234:role/admin", role_session_name: "ini", duration_seconds: 3600"#),
        "{debug}"
    );
    assert!(!debug.contains("base-secret"), "{debug}");
    let ecs = CredentialsFileProvider::load(&path, Some("ecs")).unwrap();
    assert_eq!(ecs.credential_type(), "ecs_ram_role");
    assert!(format!("{ecs:?}").contains(r#"role_name: Some("EcsRole")"#));
}

#[test]
fn ini_errors_name_file_profile_and_field() {
    let dir = TempDir::new("ini-errors");
    let path = ini(
        &dir,
        "[default]\ntype = sts\naccess_key_id = STS.x\naccess_key_secret = y\n\
         [odd]\ntype = rsa_key_pair\n[untyped]\naccess_key_id = x\n",
    );
    let p = path.display();
    let err = |profile: Option<&str>| {
        CredentialsFileProvider::load(&path, profile)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        err(None),
        format!("credentials: {p}: profile `default`: type `sts` needs `security_token`, which is missing or empty")
    );
    assert_eq!(
        err(Some("odd")),
        format!("credentials: {p}: profile `odd`: unsupported type `rsa_key_pair`; expected one of `access_key`, `sts`, `ecs_ram_role`, `ram_role_arn`, `oidc_role_arn`")
    );
    assert_eq!(
        err(Some("untyped")),
        format!("credentials: {p}: profile `untyped`: `type` is missing; expected one of `access_key`, `sts`, `ecs_ram_role`, `ram_role_arn`, `oidc_role_arn`")
    );
    assert_eq!(
        err(Some("zz")),
        format!("credentials: {p}: no profile `zz`; profiles: `default`, `odd`, `untyped`")
    );
}

#[test]
fn bad_ini_names_file_profile_and_line_but_not_the_text() {
    let dir = TempDir::new("ini-bad");
    let path = ini(
        &dir,
        "[default]\ntype = access_key\naccess_key_secret: s3cr3t\n",
    );
    let err = CredentialsFileProvider::load(&path, None)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!(
            "credentials: {}: profile `default`: line 3: expected `key = value` or `[section]`",
            path.display()
        )
    );
}

/// Runs `load` on a thread and fails the test if it takes more than 5 s (before, a FIFO hung
/// the read forever and `/dev/zero` ate memory until the process was killed).
fn within_5s<T: Send + 'static>(load: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(load());
    });
    rx.recv_timeout(std::time::Duration::from_secs(5))
        .expect("reading the credentials file did not end in time")
}

/// The error of loading `path` with both file providers and through the chain.
fn errors_for(path: std::path::PathBuf) -> Vec<String> {
    within_5s(move || {
        let ini = CredentialsFileProvider::load(&path, None)
            .err()
            .map(|e| e.to_string());
        let cli = CliProfileProvider::load(&path, None)
            .err()
            .map(|e| e.to_string());
        let chain = aliyun_rpc_runtime::credentials::DefaultChain::from_vars([
            ("HOME", "/nonexistent"),
            (
                "ALIBABA_CLOUD_CREDENTIALS_FILE",
                path.to_str().unwrap_or_default(),
            ),
        ])
        .err()
        .map(|e| e.to_string());
        [ini, cli, chain]
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect()
    })
}

/// Only regular files are read: a device, a FIFO, a directory, a symlink to a device, each
/// give an error naming the path and what it is, at once.
#[cfg(unix)]
#[test]
fn only_regular_files_are_read() {
    let dir = TempDir::new("not-regular");
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let link = dir.path().join("link");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    for (path, what) in [
        (
            std::path::PathBuf::from("/dev/zero"),
            "is a character device, not a regular file",
        ),
        (
            std::path::PathBuf::from("/dev/urandom"),
            "is a character device, not a regular file",
        ),
        (fifo, "is a FIFO, not a regular file"),
        (dir.path().to_owned(), "is a directory, not a regular file"),
        (link, "is a character device, not a regular file"),
    ] {
        let started = std::time::Instant::now();
        for err in errors_for(path.clone()) {
            assert_eq!(err, format!("credentials: {}: {what}", path.display()));
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "{path:?}"
        );
    }
}

/// A file over 1 MiB is refused, naming the limit.
#[test]
fn a_credentials_file_over_a_mebibyte_is_refused() {
    let dir = TempDir::new("too-large");
    let big = format!(
        "[default]\ntype = access_key\n{}",
        "# padding\n".repeat(110_000)
    );
    let path = dir.write("credentials", &big);
    for err in errors_for(path.clone()) {
        assert_eq!(
            err,
            format!(
                "credentials: {}: is larger than 1048576 bytes, the limit for a credentials file",
                path.display()
            )
        );
    }
}

/// An inline comment after a value is not part of it (as in credentials-go and Node's SDK):
/// before, `access_key_secret = abc ; old key` signed with the secret `abc ; old key`.
#[tokio::test]
async fn ini_inline_comments_are_stripped() {
    let dir = TempDir::new("ini-inline");
    let path = ini(
        &dir,
        "[default] ; the profile we use\n\
         type = access_key   # a long-lived key\n\
         access_key_id = LTAI5tExample ; rotated in May\n\
         access_key_secret = abc\t# old key: def\n",
    );
    let p = CredentialsFileProvider::load(&path, None).unwrap();
    let c = creds(&p).await;
    assert_eq!(
        (c.access_key_id(), c.access_key_secret()),
        ("LTAI5tExample", "abc")
    );
}

const MORE_MODES: &str = r#"{
  "current": "rrsa",
  "profiles": [
    {"name": "rrsa", "mode": "OIDC", "ram_role_arn": "acs:ram::1234:role/rrsa",
     "oidc_provider_arn": "acs:ram::1234:oidc-provider/ack", "oidc_token_file": "/var/run/token",
     "ram_session_name": "pod", "expired_seconds": 1800, "sts_region": "cn-shanghai",
     "enable_vpc": true, "region_id": "cn-shanghai"},
    {"name": "base", "mode": "AK", "access_key_id": "LTAI5tBase", "access_key_secret": "base-secret"},
    {"name": "hop", "mode": "ChainableRamRoleArn", "source_profile": "base",
     "ram_role_arn": "acs:ram::1234:role/hop", "sts_endpoint": "http://127.0.0.1:9"},
    {"name": "hop2", "mode": "ChainableRamRoleArn", "source_profile": "hop",
     "ram_role_arn": "acs:ram::1234:role/hop2"},
    {"name": "loop-a", "mode": "ChainableRamRoleArn", "source_profile": "loop-b",
     "ram_role_arn": "acs:ram::1234:role/a"},
    {"name": "loop-b", "mode": "ChainableRamRoleArn", "source_profile": "loop-a",
     "ram_role_arn": "acs:ram::1234:role/b"},
    {"name": "self", "mode": "ChainableRamRoleArn", "source_profile": "self",
     "ram_role_arn": "acs:ram::1234:role/s"},
    {"name": "orphan", "mode": "ChainableRamRoleArn", "source_profile": "gone",
     "ram_role_arn": "acs:ram::1234:role/o"},
    {"name": "uri", "mode": "CredentialsURI", "credentials_uri": "http://127.0.0.1:8080/c"},
    {"name": "uri-var", "mode": "CredentialsURI"},
    {"name": "sso", "mode": "CloudSSO", "cloud_sso_sign_in_url": "https://signin"},
    {"name": "oauth", "mode": "OAuth"}
  ]
}"#;

#[test]
fn cli_oidc_chainable_and_uri_modes() {
    let dir = TempDir::new("cli-more-modes");
    let path = cli(&dir, MORE_MODES);
    let p = CliProfileProvider::load(&path, None).unwrap();
    assert_eq!((p.mode(), p.region()), ("OIDC", Some("cn-shanghai")));
    assert!(
        format!("{p:?}").contains(r#"inner: CachedProvider { inner: OidcRoleArnProvider { role_arn: "acs:ram::1234:role/rrsa", oidc_provider_arn: "acs:ram::1234:oidc-provider/ack", token_file: "/var/run/token", role_session_name: "pod", duration_seconds: 1800, policy: None, sts_endpoint: "https://sts-vpc.cn-shanghai.aliyuncs.com" }, .. }"#),
        "{p:?}"
    );

    let hop2 = CliProfileProvider::load(&path, Some("hop2")).unwrap();
    let debug = format!("{hop2:?}");
    // hop2 assumes its role with hop's credentials, which assumes its own with base's key.
    assert!(
        debug.contains(r#"role_arn: "acs:ram::1234:role/hop2""#)
            && debug.contains(r#"base: CachedProvider { inner: RamRoleArnProvider { role_arn: "acs:ram::1234:role/hop""#)
            && debug.contains(r#"sts_endpoint: "http://127.0.0.1:9", base: Credentials { access_key_id: "LTAI5tBase", access_key_secret: "** redacted **""#),
        "{debug}"
    );
    assert!(!debug.contains("base-secret"));

    let uri = CliProfileProvider::load(&path, Some("uri")).unwrap();
    assert!(
        format!("{uri:?}").contains(r#"CredentialsUriProvider { uri: "http://127.0.0.1:8080/c" }"#),
        "{uri:?}"
    );
}

#[test]
fn cli_source_profile_cycles_and_unsupported_modes_are_errors() {
    let dir = TempDir::new("cli-cycles");
    let path = cli(&dir, MORE_MODES);
    let p = path.display();
    let err = |name: &str| {
        CliProfileProvider::load(&path, Some(name))
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        err("loop-a"),
        format!("credentials: {p}: profile `loop-b`: `source_profile` makes a cycle: `loop-a` → `loop-b` → `loop-a`")
    );
    assert_eq!(
        err("self"),
        format!(
            "credentials: {p}: profile `self`: `source_profile` makes a cycle: `self` → `self`"
        )
    );
    assert_eq!(
        err("orphan"),
        format!("credentials: {p}: profile `orphan`: `source_profile` names `gone`, which is not in the file")
    );
    assert_eq!(
        err("uri-var"),
        format!("credentials: {p}: profile `uri-var`: mode `CredentialsURI` needs `credentials_uri`, which is missing or empty")
    );
    for mode in ["sso", "oauth"] {
        let shown = if mode == "sso" { "CloudSSO" } else { "OAuth" };
        assert_eq!(
            err(mode),
            format!(
                "credentials: {p}: profile `{mode}`: mode `{shown}` is the Aliyun CLI's, but \
                 aliyun-rpc does not support it; supported: `AK`, `StsToken`, `RamRoleArn`, \
                 `EcsRamRole`, `OIDC`, `ChainableRamRoleArn`, `External`, `CredentialsURI`"
            )
        );
    }
}

#[test]
fn ini_oidc_role_arn() {
    let dir = TempDir::new("ini-oidc");
    let path = dir.write(
        "credentials",
        "[rrsa]\ntype = oidc_role_arn\nrole_arn = acs:ram::1234:role/rrsa\n\
         oidc_provider_arn = acs:ram::1234:oidc-provider/ack\n\
         oidc_token_file_path = /var/run/token\nrole_session_name = pod\n\
         [broken]\ntype = oidc_role_arn\nrole_arn = acs:ram::1234:role/rrsa\n",
    );
    let p = CredentialsFileProvider::load(&path, Some("rrsa")).unwrap();
    assert_eq!(p.credential_type(), "oidc_role_arn");
    assert!(
        format!("{p:?}").contains(r#"OidcRoleArnProvider { role_arn: "acs:ram::1234:role/rrsa", oidc_provider_arn: "acs:ram::1234:oidc-provider/ack", token_file: "/var/run/token", role_session_name: "pod""#),
        "{p:?}"
    );
    assert_eq!(
        CredentialsFileProvider::load(&path, Some("broken"))
            .unwrap_err()
            .to_string(),
        format!(
            "credentials: {}: profile `broken`: type `oidc_role_arn` needs `oidc_provider_arn`, which is missing or empty",
            path.display()
        )
    );
}
