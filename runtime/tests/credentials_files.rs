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
        format!("credentials: {p}: profile `b`: unsupported mode `Bearer`; expected one of `AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`")
    );
    assert_eq!(
        err(Some("c")),
        format!("credentials: {p}: profile `c`: `mode` is missing; expected one of `AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`")
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
        format!("credentials: {p}: profile `odd`: unsupported type `rsa_key_pair`; expected one of `access_key`, `sts`, `ecs_ram_role`, `ram_role_arn`")
    );
    assert_eq!(
        err(Some("untyped")),
        format!("credentials: {p}: profile `untyped`: `type` is missing; expected one of `access_key`, `sts`, `ecs_ram_role`, `ram_role_arn`")
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
