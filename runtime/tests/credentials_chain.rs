//! The default chain's order, over explicit variables and a temp home directory, and
//! `Client::from_env` over the real environment (the only test here that touches it).

mod common;

use std::sync::Mutex;

use aliyun_rpc_runtime::credentials::{DefaultChain, ProvideCredentials};
use aliyun_rpc_runtime::{Client, Credentials};
use common::TempDir;

const CLI: &str = r#"{"current": "default", "profiles": [
  {"name": "default", "mode": "AK", "access_key_id": "LTAI5tCli", "access_key_secret": "cli-secret",
   "region_id": "cn-shanghai"},
  {"name": "prod", "mode": "StsToken", "access_key_id": "STS.prod", "access_key_secret": "prod-secret",
   "sts_token": "prod-token"}
]}"#;

const INI: &str = "[default]\ntype = access_key\naccess_key_id = LTAI5tIni\naccess_key_secret = ini-secret\n\
                   [other]\ntype = access_key\naccess_key_id = LTAI5tOther\naccess_key_secret = other-secret\n";

fn home(dir: &TempDir) -> (&'static str, String) {
    ("HOME", dir.path().display().to_string())
}

async fn key_id(chain: &DefaultChain) -> String {
    chain
        .provide_credentials()
        .await
        .unwrap()
        .access_key_id()
        .to_owned()
}

#[tokio::test]
async fn env_wins_over_files() {
    let dir = TempDir::new("chain-env");
    dir.write(".aliyun/config.json", CLI);
    dir.write(".alibabacloud/credentials", INI);
    let chain = DefaultChain::from_vars([
        home(&dir),
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tEnv".into()),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret".into()),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", "env-token".into()),
    ])
    .unwrap();
    assert_eq!(chain.source(), "environment");
    assert_eq!(
        chain.provide_credentials().await.unwrap(),
        Credentials::new("LTAI5tEnv", "env-secret").with_security_token("env-token")
    );
}

#[tokio::test]
async fn cli_profile_before_credentials_file() {
    let dir = TempDir::new("chain-cli");
    let cli = dir.write(".aliyun/config.json", CLI);
    dir.write(".alibabacloud/credentials", INI);
    let chain = DefaultChain::from_vars([home(&dir)]).unwrap();
    assert_eq!(
        chain.source(),
        format!("Aliyun CLI profile `default` in {}", cli.display())
    );
    assert_eq!(chain.region(), Some("cn-shanghai"));
    assert_eq!(key_id(&chain).await, "LTAI5tCli");
}

#[tokio::test]
async fn profile_variable_selects_in_the_cli_file() {
    let dir = TempDir::new("chain-profile");
    dir.write(".aliyun/config.json", CLI);
    let chain =
        DefaultChain::from_vars([home(&dir), ("ALIBABA_CLOUD_PROFILE", "prod".into())]).unwrap();
    assert_eq!(key_id(&chain).await, "STS.prod");
}

#[tokio::test]
async fn credentials_file_when_no_cli_config() {
    let dir = TempDir::new("chain-ini");
    let ini = dir.write(".alibabacloud/credentials", INI);
    let chain = DefaultChain::from_vars([home(&dir)]).unwrap();
    assert_eq!(
        chain.source(),
        format!("credentials file profile `default` in {}", ini.display())
    );
    assert_eq!(key_id(&chain).await, "LTAI5tIni");
}

#[tokio::test]
async fn profile_missing_from_cli_file_falls_through_to_the_ini_file() {
    let dir = TempDir::new("chain-fallthrough");
    dir.write(".aliyun/config.json", CLI);
    dir.write(".alibabacloud/credentials", INI);
    let chain =
        DefaultChain::from_vars([home(&dir), ("ALIBABA_CLOUD_PROFILE", "other".into())]).unwrap();
    assert_eq!(key_id(&chain).await, "LTAI5tOther");
}

#[tokio::test]
async fn credentials_file_variable_overrides_the_path() {
    let dir = TempDir::new("chain-ini-var");
    let ini = dir.write("elsewhere.ini", INI);
    let chain = DefaultChain::from_vars([
        home(&dir),
        ("ALIBABA_CLOUD_CREDENTIALS_FILE", ini.display().to_string()),
    ])
    .unwrap();
    assert_eq!(key_id(&chain).await, "LTAI5tIni");

    let missing = dir.path().join("missing.ini");
    let err = DefaultChain::from_vars([
        home(&dir),
        (
            "ALIBABA_CLOUD_CREDENTIALS_FILE",
            missing.display().to_string(),
        ),
    ])
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("credentials: {}: does not exist", missing.display())
    );
}

#[test]
fn a_broken_file_is_an_error_not_a_fall_through() {
    let dir = TempDir::new("chain-broken");
    let cli = dir.write(
        ".aliyun/config.json",
        r#"{"current": "default", "profiles": [{"name": "default", "mode": "AK", "access_key_id": "x"}]}"#,
    );
    dir.write(".alibabacloud/credentials", INI);
    let err = DefaultChain::from_vars([home(&dir)]).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "credentials: {}: profile `default`: mode `AK` needs `access_key_secret`, which is missing or empty",
            cli.display()
        )
    );
}

#[test]
fn ecs_ram_role_only_when_asked_for() {
    let dir = TempDir::new("chain-ecs");
    let chain = DefaultChain::from_vars([
        home(&dir),
        ("ALIBABA_CLOUD_ECS_METADATA", "EcsRole".into()),
        ("ALIBABA_CLOUD_IMDSV1_DISABLED", "true".into()),
    ])
    .unwrap();
    assert_eq!(chain.source(), "ECS RAM role `EcsRole`");
    assert_eq!(
        format!("{chain:?}"),
        r#"DefaultChain { source: "ECS RAM role `EcsRole`", region: None, provider: CachedProvider { inner: EcsRamRoleProvider { endpoint: "http://100.100.100.200", role_name: Some("EcsRole"), require_imds_v2: true }, .. } }"#
    );
}

#[test]
fn nothing_configured_lists_what_was_tried() {
    let dir = TempDir::new("chain-none");
    let h = dir.path().display();
    let err = DefaultChain::from_vars([home(&dir)]).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "credentials: no credentials found; tried: \
             environment (ALIBABA_CLOUD_ACCESS_KEY_ID is not set), \
             OIDC role (ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and \
             ALIBABA_CLOUD_OIDC_TOKEN_FILE are not set), \
             Aliyun CLI profile ({h}/.aliyun/config.json does not exist), \
             credentials file ({h}/.alibabacloud/credentials does not exist), \
             ECS RAM role (ALIBABA_CLOUD_ECS_METADATA is not set), \
             credentials URI (ALIBABA_CLOUD_CREDENTIALS_URI is not set)"
        )
    );
    let err = DefaultChain::from_vars(std::iter::empty::<(String, String)>()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "credentials: no credentials found; tried: \
         environment (ALIBABA_CLOUD_ACCESS_KEY_ID is not set), \
         OIDC role (ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and \
         ALIBABA_CLOUD_OIDC_TOKEN_FILE are not set), \
         Aliyun CLI profile (HOME is not set), \
         credentials file (HOME is not set), \
         ECS RAM role (ALIBABA_CLOUD_ECS_METADATA is not set), \
         credentials URI (ALIBABA_CLOUD_CREDENTIALS_URI is not set)"
    );
}

#[test]
fn secret_without_id_and_id_without_secret() {
    let err = DefaultChain::from_vars([("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tEnv")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "credentials: ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not; set both"
    );
}

/// The process environment is shared by every test in this binary: only tests holding this
/// lock may read or change it.
static ENV: Mutex<()> = Mutex::new(());

const VARS: &[&str] = &[
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALIBABA_CLOUD_PROFILE",
    "ALIBABA_CLOUD_CLI_PROFILE_DISABLED",
    "ALIBABA_CLOUD_CREDENTIALS_FILE",
    "ALIBABA_CLOUD_ECS_METADATA",
    "ALIBABA_CLOUD_ECS_METADATA_DISABLED",
    "ALIBABA_CLOUD_REGION_ID",
    "ALIBABA_CLOUD_ROLE_ARN",
    "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
    "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
    "ALIBABA_CLOUD_CONFIG_FILE",
    "ALIBABA_CLOUD_CREDENTIALS_URI",
];

#[tokio::test]
async fn client_from_env_uses_the_chain() {
    let _guard = ENV.lock().unwrap_or_else(|e| e.into_inner());
    let dir = TempDir::new("from-env");
    dir.write(".aliyun/config.json", CLI);
    for var in VARS {
        std::env::remove_var(var);
    }
    std::env::set_var("HOME", dir.path());

    let client = Client::from_env().unwrap();
    assert_eq!(client.region(), Some("cn-shanghai"));
    let debug = format!("{client:?}");
    assert!(debug.contains(r#"access_key_id: "LTAI5tCli""#), "{debug}");
    assert!(!debug.contains("cli-secret"), "{debug}");

    std::env::set_var("ALIBABA_CLOUD_REGION_ID", "cn-beijing");
    assert_eq!(Client::from_env().unwrap().region(), Some("cn-beijing"));

    std::fs::remove_file(dir.path().join(".aliyun/config.json")).unwrap();
    let err = Client::from_env().unwrap_err();
    assert!(
        err.to_string()
            .starts_with("credentials: no credentials found; tried: environment"),
        "{err}"
    );
    std::env::remove_var("ALIBABA_CLOUD_REGION_ID");
}

#[test]
fn env_provider_debug_names_no_values() {
    use aliyun_rpc_runtime::credentials::EnvProvider;
    assert_eq!(
        format!("{:?}", EnvProvider::new()),
        "EnvProvider { vars: ProcessEnvironment }"
    );
    let fixed = EnvProvider::from_vars([
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tEnv"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", "env-token"),
    ]);
    assert_eq!(
        format!("{fixed:?}"),
        r#"EnvProvider { vars: {"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN"} }"#
    );
}

const ROLE: &str = "acs:ram::1234567890123456:role/rrsa";
const PROVIDER: &str = "acs:ram::1234567890123456:oidc-provider/ack";

/// The three variables that configure the OIDC role, with `token_file`.
fn oidc_vars(token_file: &std::path::Path) -> [(&'static str, String); 4] {
    [
        ("ALIBABA_CLOUD_ROLE_ARN", ROLE.to_owned()),
        ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", PROVIDER.to_owned()),
        (
            "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
            token_file.display().to_string(),
        ),
        (
            "ALIBABA_CLOUD_STS_ENDPOINT",
            "http://127.0.0.1:9".to_owned(),
        ),
    ]
}

#[test]
fn oidc_comes_after_the_environment_and_before_the_cli_profile() {
    let dir = TempDir::new("chain-oidc-order");
    dir.write(".aliyun/config.json", CLI);
    let token = dir.path().join("token");
    let mut vars: Vec<(&str, String)> = oidc_vars(&token).into();
    vars.push(home(&dir));
    let chain = DefaultChain::from_vars(vars.clone()).unwrap();
    assert_eq!(chain.source(), format!("OIDC role `{ROLE}`"));
    assert_eq!(chain.region(), None);
    assert_eq!(
        format!("{chain:?}"),
        format!(
            r#"DefaultChain {{ source: "OIDC role `{ROLE}`", region: None, provider: CachedProvider {{ inner: OidcRoleArnProvider {{ role_arn: "{ROLE}", oidc_provider_arn: "{PROVIDER}", token_file: {token:?}, role_session_name: "{}", duration_seconds: 3600, policy: None, sts_endpoint: "http://127.0.0.1:9" }}, .. }} }}"#,
            session_name(&chain)
        )
    );

    vars.push(("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tEnv".into()));
    vars.push(("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret".into()));
    assert_eq!(
        DefaultChain::from_vars(vars).unwrap().source(),
        "environment"
    );

    // Two of the three variables: not configured, and the list says which one is missing.
    let err = DefaultChain::from_vars([
        ("ALIBABA_CLOUD_ROLE_ARN", ROLE),
        ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", PROVIDER),
    ])
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("OIDC role (ALIBABA_CLOUD_OIDC_TOKEN_FILE is not set)"),
        "{err}"
    );
}

/// The session name the chain's OIDC provider chose (`aliyun-rpc-<unix seconds>`).
fn session_name(chain: &DefaultChain) -> String {
    let debug = format!("{chain:?}");
    let start = debug.find("role_session_name: \"").unwrap() + "role_session_name: \"".len();
    let end = start + debug[start..].find('"').unwrap();
    let name = debug[start..end].to_owned();
    assert!(name.starts_with("aliyun-rpc-"), "{name}");
    name
}

#[tokio::test]
async fn a_failing_source_falls_through_and_the_chain_sticks_to_the_one_that_worked() {
    let dir = TempDir::new("chain-fallthrough-oidc");
    dir.write(".aliyun/config.json", CLI);
    let token = dir.path().join("token");
    let mut vars: Vec<(&str, String)> = oidc_vars(&token).into();
    vars.push(("ALIBABA_CLOUD_ROLE_SESSION_NAME", "pod-1".into()));
    vars.push(home(&dir));
    let chain = DefaultChain::from_vars(vars).unwrap();
    assert_eq!(chain.source_used(), None);
    // The token file is not there: the OIDC role fails, the CLI profile gives credentials.
    assert_eq!(key_id(&chain).await, "LTAI5tCli");
    let cli = format!(
        "Aliyun CLI profile `default` in {}",
        dir.path().join(".aliyun/config.json").display()
    );
    assert_eq!(chain.source_used(), Some(cli.as_str()));
    // The token appears: the chain stays with the CLI profile.
    std::fs::write(&token, "a.b.c").unwrap();
    assert_eq!(key_id(&chain).await, "LTAI5tCli");
}

#[tokio::test]
async fn when_every_source_fails_the_error_says_why_each_did() {
    let dir = TempDir::new("chain-all-fail");
    let token = dir.path().join("token");
    let mut vars: Vec<(&str, String)> = oidc_vars(&token).into();
    vars.push(home(&dir));
    vars.push((
        "ALIBABA_CLOUD_CREDENTIALS_URI",
        "http://127.0.0.1:9/credentials?token=s3cr3t".into(),
    ));
    let chain = DefaultChain::from_vars(vars).unwrap();
    let err = chain.provide_credentials().await.unwrap_err().to_string();
    let h = dir.path().display();
    assert_eq!(
        err,
        format!(
            "credentials: no source gave credentials; tried: \
             environment (ALIBABA_CLOUD_ACCESS_KEY_ID is not set), \
             OIDC role `{ROLE}` ({}: does not exist), \
             Aliyun CLI profile ({h}/.aliyun/config.json does not exist), \
             credentials file ({h}/.alibabacloud/credentials does not exist), \
             ECS RAM role (ALIBABA_CLOUD_ECS_METADATA is not set), \
             credentials URI http://127.0.0.1:9/credentials?… (credentials URI: GET \
             http://127.0.0.1:9/credentials?… failed (cannot connect))",
            token.display()
        )
    );
    assert!(!err.contains("s3cr3t"));
}

#[test]
fn the_cli_config_file_variable_and_the_switches() {
    let dir = TempDir::new("chain-switches");
    let elsewhere = dir.write("elsewhere.json", CLI);
    let chain = DefaultChain::from_vars([
        home(&dir),
        ("ALIBABA_CLOUD_CONFIG_FILE", elsewhere.display().to_string()),
    ])
    .unwrap();
    assert_eq!(
        chain.source(),
        format!("Aliyun CLI profile `default` in {}", elsewhere.display())
    );
    let missing = dir.path().join("missing.json");
    assert_eq!(
        DefaultChain::from_vars([
            home(&dir),
            ("ALIBABA_CLOUD_CONFIG_FILE", missing.display().to_string()),
        ])
        .unwrap_err()
        .to_string(),
        format!("credentials: {}: does not exist", missing.display())
    );
    let err = DefaultChain::from_vars([
        home(&dir),
        ("ALIBABA_CLOUD_CONFIG_FILE", elsewhere.display().to_string()),
        ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "TRUE".into()),
        ("ALIBABA_CLOUD_ECS_METADATA", "EcsRole".into()),
        ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true".into()),
    ])
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("Aliyun CLI profile (ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true)")
            && err.contains("ECS RAM role (ALIBABA_CLOUD_ECS_METADATA_DISABLED=true)"),
        "{err}"
    );

    // A profile of mode EcsRamRole with the metadata service disabled: an error, not a skip.
    let ecs = dir.write(
        "ecs.json",
        r#"{"current": "ecs", "profiles": [{"name": "ecs", "mode": "EcsRamRole"}]}"#,
    );
    let err = DefaultChain::from_vars([
        home(&dir),
        ("ALIBABA_CLOUD_CONFIG_FILE", ecs.display().to_string()),
        ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true".into()),
    ])
    .unwrap_err()
    .to_string();
    assert_eq!(
        err,
        format!(
            "credentials: {}: profile `ecs`: ALIBABA_CLOUD_ECS_METADATA_DISABLED=true disables \
             the metadata service that an ECS RAM role needs",
            ecs.display()
        )
    );
}

#[test]
fn the_credentials_uri_comes_last() {
    let dir = TempDir::new("chain-uri");
    let uri = (
        "ALIBABA_CLOUD_CREDENTIALS_URI",
        "http://127.0.0.1:9/c".to_owned(),
    );
    let chain = DefaultChain::from_vars([home(&dir), uri.clone()]).unwrap();
    assert_eq!(chain.source(), "credentials URI http://127.0.0.1:9/c");
    dir.write(".alibabacloud/credentials", INI);
    let chain = DefaultChain::from_vars([home(&dir), uri]).unwrap();
    assert!(chain.source().starts_with("credentials file profile"));
    let err = DefaultChain::from_vars([("ALIBABA_CLOUD_CREDENTIALS_URI", "http://example.com/c")])
        .unwrap_err()
        .to_string();
    assert!(err.contains("plain http"), "{err}");
}
