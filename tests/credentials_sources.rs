//! The credentials sources of issue 15 end to end, over loopback against the emulator: an
//! OIDC role (RRSA) alone, its token rotated and picked up at refresh, 50 callers on expiring
//! OIDC credentials sharing one `AssumeRoleWithOIDC`; the chain's order with several sources
//! configured and its fall-through; the CLI profile modes `ChainableRamRoleArn`,
//! `CredentialsURI`, `External` and `OIDC`, the ini type `oidc_role_arn`, and
//! `ALIBABA_CLOUD_CREDENTIALS_URI`. Every chain here reads explicit variables and a temp
//! `HOME`, never the process environment.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use aliyun_rpc::credentials::{DefaultChain, OidcRoleArnProvider, ProvideCredentials};
use aliyun_rpc::{Client, Error};
use aliyun_rpc_emulator::{Emulator, EmulatorBuilder};
use common::{build, fast_retry, seed_request, start};

const ROLE: &str = "acs:ram::1234567890123456:role/rrsa";
const PROVIDER: &str = "acs:ram::1234567890123456:oidc-provider/ack-rrsa";
const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb2QtMSJ9.Zmlyc3Q";
const ROTATED: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb2QtMSJ9.cm90YXRlZA";

/// A fresh directory (the `HOME` of a chain, token files, scripts), removed on drop.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("credentials-sources-{name}"));
        let _ = std::fs::remove_dir_all(&dir);
        if let Err(e) = std::fs::create_dir_all(&dir) {
            panic!("{}: {e}", dir.display());
        }
        Dir(dir)
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.0.join(rel);
        let written = std::fs::create_dir_all(path.parent().unwrap_or(&self.0))
            .and_then(|()| std::fs::write(&path, text));
        if let Err(e) = written {
            panic!("{}: {e}", path.display());
        }
        path
    }

    fn home(&self) -> (String, String) {
        ("HOME".to_owned(), self.0.display().to_string())
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The variables ACK injects, pointing STS at `emulator`.
fn oidc_vars(emulator: &Emulator, token_file: &Path) -> Vec<(String, String)> {
    [
        ("ALIBABA_CLOUD_ROLE_ARN", ROLE.to_owned()),
        ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", PROVIDER.to_owned()),
        (
            "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
            token_file.display().to_string(),
        ),
        ("ALIBABA_CLOUD_ROLE_SESSION_NAME", "pod-1".to_owned()),
        ("ALIBABA_CLOUD_STS_ENDPOINT", emulator.endpoint().to_owned()),
    ]
    .map(|(k, v)| (k.to_owned(), v))
    .into()
}

fn chain(vars: Vec<(String, String)>) -> DefaultChain {
    match DefaultChain::from_vars(vars) {
        Ok(chain) => chain,
        Err(e) => panic!("chain: {e}"),
    }
}

/// A client calling `emulator` with `provider`'s credentials, retrying quickly.
fn client(emulator: &Emulator, provider: impl ProvideCredentials + 'static) -> Client {
    build(
        Client::builder()
            .credentials_provider(provider)
            .region("cn-hangzhou")
            .endpoint(emulator.endpoint())
            .retry(fast_retry()),
    )
}

async fn oidc_emulator(builder: EmulatorBuilder) -> Emulator {
    start(builder.oidc_token(TOKEN).oidc_token(ROTATED)).await
}

#[tokio::test]
async fn an_oidc_role_alone() -> Result<(), Error> {
    let emulator = oidc_emulator(Emulator::builder()).await;
    let dir = Dir::new("oidc-alone");
    let token = dir.write("token", TOKEN);
    let mut vars = oidc_vars(&emulator, &token);
    vars.push(dir.home());
    let chain = chain(vars);
    assert_eq!(chain.source(), format!("OIDC role `{ROLE}`"));
    let client = client(&emulator, chain.clone());
    client.call(&seed_request()).await?;
    client.call(&seed_request()).await?;
    assert_eq!(emulator.oidc_assume_role_count(), 1, "cached");
    assert_eq!(chain.source_used(), Some(chain.source()));
    Ok(())
}

#[tokio::test]
async fn a_rotated_token_is_read_at_the_next_refresh() -> Result<(), Error> {
    // Credentials that live 100 s are inside the 180 s margin: every call refreshes.
    let emulator =
        oidc_emulator(Emulator::builder().sts_duration_override(Duration::from_secs(100))).await;
    let dir = Dir::new("oidc-rotation");
    let token = dir.write("token", TOKEN);
    let provider = OidcRoleArnProvider::builder(ROLE, PROVIDER, &token)
        .sts_endpoint(emulator.endpoint())
        .build()?
        .cached();
    let client = client(&emulator, provider);
    client.call(&seed_request()).await?;
    assert_eq!(emulator.oidc_assume_role_count(), 1);

    // Kubernetes writes a token the emulator does not know: the refresh sends it, and fails.
    dir.write(
        "token",
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvdGhlciJ9.dW5rbm93bg",
    );
    let err = match client.call(&seed_request()).await {
        Ok(_) => panic!("an unknown token was accepted"),
        Err(e) => e.to_string(),
    };
    assert!(
        err.contains("AuthenticationFail.OIDCToken.InvalidSignature (http 401)"),
        "{err}"
    );
    // Then the next one: the refresh after it is accepted.
    dir.write("token", ROTATED);
    client.call(&seed_request()).await?;
    assert_eq!(emulator.oidc_assume_role_count(), 2);
    Ok(())
}

#[tokio::test]
async fn fifty_callers_on_expiring_oidc_credentials_share_one_assume_role() -> Result<(), Error> {
    // Issued credentials live 184 s: fresh for 4 s, then inside the 180 s refresh margin.
    let emulator =
        oidc_emulator(Emulator::builder().sts_duration_override(Duration::from_secs(184))).await;
    let dir = Dir::new("oidc-fifty");
    let token = dir.write("token", TOKEN);
    let mut vars = oidc_vars(&emulator, &token);
    vars.push(dir.home());
    let client = client(&emulator, chain(vars));
    client.call(&seed_request()).await?;
    assert_eq!(emulator.oidc_assume_role_count(), 1);
    concurrent_seed_calls(&client, 50).await?;
    assert_eq!(emulator.oidc_assume_role_count(), 1, "still fresh");

    tokio::time::sleep(Duration::from_millis(4200)).await;
    concurrent_seed_calls(&client, 50).await?;
    assert_eq!(
        emulator.oidc_assume_role_count(),
        2,
        "stale: exactly one AssumeRoleWithOIDC for 50 callers"
    );
    Ok(())
}

async fn concurrent_seed_calls(client: &Client, n: usize) -> Result<(), Error> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let client = client.clone();
        tasks.spawn(async move { client.call(&seed_request()).await.map(drop) });
    }
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(result) => result?,
            Err(e) => panic!("task: {e}"),
        }
    }
    Ok(())
}

/// A CLI configuration whose current profile is an access key of `emulator`.
fn cli_ak(emulator: &Emulator) -> String {
    serde_json::json!({
        "current": "default",
        "profiles": [{"name": "default", "mode": "AK",
                      "access_key_id": emulator.access_key_id(),
                      "access_key_secret": emulator.access_key_secret()}]
    })
    .to_string()
}

#[tokio::test]
async fn the_chain_order_with_several_sources() -> Result<(), Error> {
    let emulator = oidc_emulator(Emulator::builder().credentials_uri("/credentials")).await;
    let dir = Dir::new("order");
    dir.write(".aliyun/config.json", &cli_ak(&emulator));
    let token = dir.write("token", TOKEN);
    let uri = emulator.credentials_uri().unwrap_or_default();
    let mut vars = oidc_vars(&emulator, &token);
    vars.push(dir.home());
    vars.push(("ALIBABA_CLOUD_CREDENTIALS_URI".to_owned(), uri));

    // The environment wins over everything.
    let mut with_env = vars.clone();
    with_env.push((
        "ALIBABA_CLOUD_ACCESS_KEY_ID".to_owned(),
        emulator.access_key_id().to_owned(),
    ));
    with_env.push((
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET".to_owned(),
        emulator.access_key_secret().to_owned(),
    ));
    let env_chain = chain(with_env);
    client(&emulator, env_chain.clone())
        .call(&seed_request())
        .await?;
    assert_eq!(env_chain.source_used(), Some("environment"));
    assert_eq!(emulator.oidc_assume_role_count(), 0);

    // Then the OIDC role, before the CLI profile and the credentials URI.
    let oidc_chain = chain(vars.clone());
    client(&emulator, oidc_chain.clone())
        .call(&seed_request())
        .await?;
    assert_eq!(
        oidc_chain.source_used(),
        Some(format!("OIDC role `{ROLE}`").as_str())
    );
    assert_eq!(emulator.oidc_assume_role_count(), 1);

    // Without the OIDC variables, the CLI profile; without it (disabled), the URI.
    let mut no_oidc: Vec<(String, String)> = vars
        .iter()
        .filter(|(k, _)| !k.contains("OIDC") && k != "ALIBABA_CLOUD_ROLE_ARN")
        .cloned()
        .collect();
    assert!(chain(no_oidc.clone())
        .source()
        .starts_with("Aliyun CLI profile `default`"));
    no_oidc.push((
        "ALIBABA_CLOUD_CLI_PROFILE_DISABLED".to_owned(),
        "true".to_owned(),
    ));
    let uri_chain = chain(no_oidc);
    assert!(uri_chain
        .source()
        .starts_with("credentials URI http://127.0.0.1:"));
    client(&emulator, uri_chain).call(&seed_request()).await?;
    assert_eq!(emulator.credentials_uri_count(), 1);
    Ok(())
}

#[tokio::test]
async fn a_refused_oidc_token_falls_through_to_the_cli_profile() -> Result<(), Error> {
    // The emulator knows no token: the OIDC role fails, the CLI profile's key works.
    let emulator = start(Emulator::builder()).await;
    let dir = Dir::new("fallthrough");
    let cli = dir.write(".aliyun/config.json", &cli_ak(&emulator));
    let token = dir.write("token", TOKEN);
    let mut vars = oidc_vars(&emulator, &token);
    vars.push(dir.home());
    let chain = chain(vars);
    client(&emulator, chain.clone())
        .call(&seed_request())
        .await?;
    let used = format!("Aliyun CLI profile `default` in {}", cli.display());
    assert_eq!(chain.source_used(), Some(used.as_str()));

    // Every source failing: each one's reason, and never the token.
    std::fs::remove_file(&cli).ok();
    let mut vars = oidc_vars(&emulator, &token);
    vars.push(dir.home());
    let err = match DefaultChain::from_vars(vars)?.provide_credentials().await {
        Ok(c) => panic!("{c:?}"),
        Err(e) => e.to_string(),
    };
    assert!(
        err.starts_with(&format!(
            "credentials: no source gave credentials; tried: \
             environment (ALIBABA_CLOUD_ACCESS_KEY_ID is not set), \
             OIDC role `{ROLE}` (STS AssumeRoleWithOIDC for `{ROLE}` at {} failed: \
             AuthenticationFail.OIDCToken.InvalidSignature (http 401): OIDC token validate \
             failed: invalid signature.",
            emulator.endpoint()
        )),
        "{err}"
    );
    assert!(err.contains("Aliyun CLI profile ("), "{err}");
    assert!(!err.contains(TOKEN), "{err}");
    Ok(())
}

#[tokio::test]
async fn cli_profile_modes_chainable_uri_oidc() -> Result<(), Error> {
    let emulator = oidc_emulator(Emulator::builder().credentials_uri("/credentials")).await;
    let dir = Dir::new("modes");
    let token = dir.write("token", TOKEN);
    let config = serde_json::json!({
        "current": "hop",
        "profiles": [
            {"name": "base", "mode": "AK", "access_key_id": emulator.access_key_id(),
             "access_key_secret": emulator.access_key_secret()},
            {"name": "hop", "mode": "ChainableRamRoleArn", "source_profile": "base",
             "ram_role_arn": "acs:ram::1234567890123456:role/hop", "ram_session_name": "hop",
             "sts_endpoint": emulator.endpoint()},
            {"name": "uri", "mode": "CredentialsURI",
             "credentials_uri": emulator.credentials_uri()},
            {"name": "rrsa", "mode": "OIDC", "ram_role_arn": ROLE,
             "oidc_provider_arn": PROVIDER, "oidc_token_file": token.display().to_string(),
             "ram_session_name": "pod"}
        ]
    });
    dir.write(".aliyun/config.json", &config.to_string());

    // ChainableRamRoleArn: the base profile's key assumes the role at the emulator.
    client(&emulator, chain(vec![dir.home()]))
        .call(&seed_request())
        .await?;
    assert_eq!(emulator.assume_role_count(), 1);

    let profile = |name: &str| {
        vec![
            dir.home(),
            ("ALIBABA_CLOUD_PROFILE".to_owned(), name.to_owned()),
            (
                "ALIBABA_CLOUD_STS_ENDPOINT".to_owned(),
                emulator.endpoint().to_owned(),
            ),
        ]
    };
    client(&emulator, chain(profile("uri")))
        .call(&seed_request())
        .await?;
    assert_eq!(emulator.credentials_uri_count(), 1);
    // OIDC as a profile: the STS endpoint comes from the variable.
    client(&emulator, chain(profile("rrsa")))
        .call(&seed_request())
        .await?;
    assert_eq!(emulator.oidc_assume_role_count(), 1);
    Ok(())
}

#[tokio::test]
async fn ini_oidc_role_arn_and_a_failing_credentials_uri() -> Result<(), Error> {
    let emulator = oidc_emulator(Emulator::builder().credentials_uri("/credentials")).await;
    let dir = Dir::new("ini-oidc");
    let token = dir.write("token", TOKEN);
    dir.write(
        ".alibabacloud/credentials",
        &format!(
            "[default]\ntype = oidc_role_arn\nrole_arn = {ROLE}\noidc_provider_arn = {PROVIDER}\n\
             oidc_token_file_path = {}\n",
            token.display()
        ),
    );
    let vars = vec![
        dir.home(),
        (
            "ALIBABA_CLOUD_STS_ENDPOINT".to_owned(),
            emulator.endpoint().to_owned(),
        ),
    ];
    client(&emulator, chain(vars)).call(&seed_request()).await?;
    assert_eq!(emulator.oidc_assume_role_count(), 1);

    let uri_only = vec![(
        "ALIBABA_CLOUD_CREDENTIALS_URI".to_owned(),
        emulator.credentials_uri().unwrap_or_default(),
    )];
    // The URI's next answer is an injected 503: a clear error, then it recovers.
    emulator.faults().fail_next(1, "ServiceUnavailable", 503);
    let uri_chain = chain(uri_only);
    let err = match uri_chain.provide_credentials().await {
        Ok(c) => panic!("{c:?}"),
        Err(e) => e.to_string(),
    };
    assert!(
        err.ends_with("answered http 503: `ServiceUnavailable`)"),
        "{err}"
    );
    // The fault is used up: the next call gets credentials.
    client(&emulator, uri_chain).call(&seed_request()).await?;
    Ok(())
}

#[cfg(unix)]
#[tokio::test]
async fn an_external_command_profile() -> Result<(), Error> {
    let emulator = start(Emulator::builder()).await;
    let dir = Dir::new("external");
    let script = dir.write(
        "creds.sh",
        &format!(
            r#"printf '{{"mode": "AK", "access_key_id": "%s", "access_key_secret": "%s"}}' '{}' '{}'"#,
            emulator.access_key_id(),
            emulator.access_key_secret()
        ),
    );
    let config = serde_json::json!({
        "current": "ext",
        "profiles": [{"name": "ext", "mode": "External",
                      "process_command": format!("sh '{}'", script.display())}]
    });
    dir.write(".aliyun/config.json", &config.to_string());
    client(&emulator, chain(vec![dir.home()]))
        .call(&seed_request())
        .await?;
    Ok(())
}
