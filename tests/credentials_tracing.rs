//! Everything logged at TRACE level while the new credentials sources work and fail (an OIDC
//! role refreshed at every call, its token rotated to one STS refuses, a credentials URI, an
//! `External` command that prints its secret where JSON should be), by our crates and by
//! reqwest / hyper underneath, is free of secrets: the OIDC tokens, and every secret and
//! security token the sources handed out.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aliyun_rpc::credentials::{BoxFuture, DefaultChain, ProvideCredentials};
use aliyun_rpc::{Client, Credentials, Error, RetryPolicy};
use aliyun_rpc_emulator::Emulator;

mod common;

use common::logs::CapturedLogs;

const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0cmFjaW5nIn0.dHJhY2luZy1zZWNyZXQ";
const REFUSED: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvdGhlciJ9.cmVmdXNlZC1zZWNyZXQ";
const EXTERNAL_SECRET: &str = "external-secret-Hq40";

/// Passes on what `inner` provides, keeping every secret and token it handed out.
#[derive(Debug)]
struct Recording {
    inner: DefaultChain,
    seen: Arc<Mutex<Vec<String>>>,
}

impl ProvideCredentials for Recording {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(async move {
            let creds = self.inner.provide_credentials().await?;
            if let Ok(mut seen) = self.seen.lock() {
                seen.push(creds.access_key_secret().to_owned());
                seen.extend(creds.security_token().map(str::to_owned));
            }
            Ok(creds)
        })
    }
}

#[test]
fn no_token_or_secret_of_the_new_sources_reaches_any_log_line() {
    let captured = CapturedLogs::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    let _ = tracing_log::LogTracer::init();
    let runtime = common::current_thread_runtime();
    let seen = tracing::subscriber::with_default(subscriber, || runtime.block_on(scenario()));
    assert!(
        seen.len() >= 6,
        "credentials were handed out: {}",
        seen.len()
    );

    let text = captured.text();
    for expected in [
        "refreshed credentials",
        "OidcRoleArnProvider",
        "AuthenticationFail.OIDCToken.InvalidSignature",
        "CredentialsUriProvider",
        "external command",
    ] {
        assert!(
            text.contains(expected),
            "no `{expected}` in the log:\n{text}"
        );
    }
    let mut secrets: Vec<String> = vec![TOKEN.into(), REFUSED.into(), EXTERNAL_SECRET.into()];
    for secret in seen {
        let once = aliyun_rpc::signing::percent_encode(&secret);
        secrets.push(aliyun_rpc::signing::percent_encode(&once));
        secrets.push(once);
        secrets.push(secret);
    }
    secrets.push(aliyun_rpc::signing::percent_encode(TOKEN));
    for secret in &secrets {
        assert!(
            !text.contains(secret.as_str()),
            "`{secret}` leaked into the log:\n{text}"
        );
    }
}

async fn scenario() -> Vec<String> {
    let emulator = common::start(
        Emulator::builder()
            .oidc_token(TOKEN)
            .credentials_uri("/credentials")
            // Inside the 180 s margin: every call refreshes.
            .sts_duration_override(Duration::from_secs(100)),
    )
    .await;
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("credentials-tracing");
    let _ = std::fs::create_dir_all(&dir);
    let token = dir.join("token");
    let write = |path: &std::path::Path, text: &str| {
        if let Err(e) = std::fs::write(path, text) {
            panic!("{}: {e}", path.display());
        }
    };
    write(&token, TOKEN);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let home = ("HOME".to_owned(), dir.display().to_string());
    let oidc = vec![
        (
            "ALIBABA_CLOUD_ROLE_ARN".to_owned(),
            "acs:ram::1234567890123456:role/rrsa".to_owned(),
        ),
        (
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN".to_owned(),
            "acs:ram::1234567890123456:oidc-provider/ack".to_owned(),
        ),
        (
            "ALIBABA_CLOUD_OIDC_TOKEN_FILE".to_owned(),
            token.display().to_string(),
        ),
        (
            "ALIBABA_CLOUD_STS_ENDPOINT".to_owned(),
            emulator.endpoint().to_owned(),
        ),
        home.clone(),
    ];
    let uri = vec![
        (
            "ALIBABA_CLOUD_CREDENTIALS_URI".to_owned(),
            emulator.credentials_uri().unwrap_or_default(),
        ),
        home.clone(),
    ];
    let mut chains = vec![oidc, uri];
    if cfg!(unix) {
        let script = dir.join("creds.sh");
        write(
            &script,
            &format!("echo 'access_key_secret={EXTERNAL_SECRET}'\n"),
        );
        let config = serde_json::json!({
            "current": "ext",
            "profiles": [{"name": "ext", "mode": "External",
                          "process_command": format!("sh '{}'", script.display())}]
        });
        let config_path = dir.join("config.json");
        write(&config_path, &config.to_string());
        chains.push(vec![
            (
                "ALIBABA_CLOUD_CONFIG_FILE".to_owned(),
                config_path.display().to_string(),
            ),
            home,
        ]);
    }
    for (i, vars) in chains.into_iter().enumerate() {
        let chain = match DefaultChain::from_vars(vars) {
            Ok(chain) => chain,
            Err(e) => panic!("chain {i}: {e}"),
        };
        let provider = Recording {
            inner: chain,
            seen: seen.clone(),
        };
        let client = common::build(
            Client::builder()
                .credentials_provider(provider)
                .region("cn-hangzhou")
                .endpoint(emulator.endpoint())
                .retry(RetryPolicy::none()),
        );
        for _ in 0..2 {
            let result = client.call(&common::seed_request()).await;
            tracing::info!(ok = result.is_ok(), error = ?result.err(), "a call");
        }
        if i == 0 {
            // The token is rotated to one STS refuses: the failed refresh is logged too.
            write(&token, REFUSED);
            let result = client.call(&common::seed_request()).await;
            tracing::info!(error = ?result.err(), "a call with a refused token");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    emulator.shutdown().await;
    seen.lock().map(|s| s.clone()).unwrap_or_default()
}
