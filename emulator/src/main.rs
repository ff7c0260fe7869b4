//! `aliyun-rpc-emulator`: the emulator as a program, for examples and for tests written
//! in other languages. It needs the crate's `cli` feature (`cargo run -p
//! aliyun-rpc-emulator --features cli -- …`), which brings its flag parser and logging.
//!
//! ```text
//! aliyun-rpc-emulator --port 0 --access-key-id testid --access-key-secret testsecret
//! aliyun-rpc-emulator --fail-next 1 --fail-code ServiceUnavailable --fail-status 503
//! aliyun-rpc-emulator --ecs-ram-role MyRole --imds-require-token --sts-duration-secs 200
//! aliyun-rpc-emulator --oidc-token "$(cat token)" --credentials-uri /credentials
//! aliyun-rpc-emulator --api-docs vpc-2016-04-28.json --api-docs nlb-2022-04-30.json
//! ```
//!
//! The first line on stdout is `aliyun-rpc-emulator listening on http://127.0.0.1:PORT`;
//! it runs until Ctrl-C (or SIGTERM). Logs go to stderr (`RUST_LOG=debug` for every call).

use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use aliyun_rpc_emulator::{
    Emulator, LostAnswer, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET,
    DEFAULT_BODY_READ_TIMEOUT, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_CONNECTIONS, MAX_CLOCK_SKEW_SECS,
};
use clap::Parser;

/// A local Alibaba Cloud RPC API server that verifies signatures like the real service.
#[derive(Debug, Parser)]
#[command(name = "aliyun-rpc-emulator", version)]
struct Args {
    /// Port to listen on, on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Access key id that calls must be signed with.
    #[arg(long, default_value = DEFAULT_ACCESS_KEY_ID)]
    access_key_id: String,
    /// Secret of that access key.
    #[arg(long, default_value = DEFAULT_ACCESS_KEY_SECRET, hide_default_value = true)]
    access_key_secret: String,
    /// Make the key an STS one: calls must also carry this `SecurityToken`.
    #[arg(long)]
    security_token: Option<String>,

    /// Schema mode: serve every action of this api-docs.json (Aliyun's API metadata), checking
    /// each call against it; repeatable. ECS 2014-05-26 is built in.
    #[arg(long = "api-docs", value_name = "FILE")]
    api_docs: Vec<std::path::PathBuf>,
    /// Let params an action does not declare pass unchecked, as the real service ignores them
    /// (by default they are refused, naming the closest declared name).
    #[arg(long)]
    allow_undeclared_params: bool,
    /// Do not load the built-in ECS 2014-05-26 schema.
    #[arg(long)]
    no_built_in_schema: bool,

    /// Serve the ECS instance metadata service for this RAM role (under /latest/).
    #[arg(long, value_name = "ROLE")]
    ecs_ram_role: Option<String>,
    /// Metadata GETs need a valid X-aliyun-ecs-metadata-token (IMDSv2, hardened mode).
    #[arg(long)]
    imds_require_token: bool,
    /// Every issued credential (AssumeRole, AssumeRoleWithOIDC, metadata, credentials URI)
    /// lives this many seconds.
    #[arg(long, value_name = "SECS")]
    sts_duration_secs: Option<u64>,
    /// Accept this OIDC token in STS AssumeRoleWithOIDC, an anonymous call (repeatable).
    #[arg(long, value_name = "TOKEN")]
    oidc_token: Vec<String>,
    /// Serve a credentials URI at this path (GET: fresh temporary credentials as JSON).
    #[arg(long, value_name = "PATH")]
    credentials_uri: Option<String>,

    /// Serve at most this many connections at once; more wait to be accepted.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_CONNECTIONS,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    max_connections: usize,
    /// Close a connection that has not sent a whole request head within this many seconds
    /// (also the idle keep-alive timeout).
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_HEADER_READ_TIMEOUT.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..))]
    header_read_timeout_secs: u64,
    /// Answer 408 and close when a request body has not arrived within this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_BODY_READ_TIMEOUT.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..))]
    body_read_timeout_secs: u64,
    /// Refuse request bodies larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BODY_BYTES)]
    max_body_bytes: usize,

    /// Fail the next N signed RPC requests with --fail-code / --fail-status.
    #[arg(long, value_name = "N", default_value_t = 0)]
    fail_next: u64,
    /// Fail this percentage (0-100) of signed RPC requests with --fail-code / --fail-status.
    #[arg(long, value_name = "P", default_value_t = 0.0)]
    fail_percent: f64,
    /// Error code of injected failures.
    #[arg(long, value_name = "CODE", default_value = "ServiceUnavailable")]
    fail_code: String,
    /// HTTP status of injected failures (400-599).
    #[arg(long, value_name = "S", default_value_t = 503)]
    fail_status: u16,
    /// Seed for the percentage faults (reproducible runs).
    #[arg(long, value_name = "SEED")]
    fault_seed: Option<u64>,
    /// Sleep this many milliseconds before answering each signed RPC request.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    latency_ms: u64,
    /// Drop the connection mid-response for the next N signed RPC requests (not executed).
    #[arg(long, value_name = "N", default_value_t = 0)]
    drop_next: u64,
    /// Drop the connection mid-response for this percentage of signed RPC requests.
    #[arg(long, value_name = "P", default_value_t = 0.0)]
    drop_percent: f64,
    /// Throttle the next N signed RPC requests (400 Throttling.User, x-ratelimit-* headers).
    #[arg(long, value_name = "N", default_value_t = 0)]
    throttle_next: u64,
    /// The TimeLeft (ms) that throttled answers announce.
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    throttle_time_left_ms: u64,
    /// Run the next N signed RPC calls that pass every check, then lose their answer
    /// (--lose-answer-mode).
    #[arg(long, value_name = "N", default_value_t = 0)]
    lose_answer_next: u64,
    /// Run this percentage of signed RPC calls that pass every check, then lose their answer.
    #[arg(long, value_name = "P", default_value_t = 0.0)]
    lose_answer_percent: f64,
    /// How answers are lost after the action ran.
    #[arg(long, value_name = "MODE", value_enum, default_value_t = LoseMode::Drop)]
    lose_answer_mode: LoseMode,
    /// Shift the emulator's clock by this many seconds (may be negative; at most 100 years
    /// either way).
    #[arg(
        long,
        value_name = "S",
        default_value_t = 0,
        allow_negative_numbers = true,
        value_parser = clap::value_parser!(i64).range(-MAX_CLOCK_SKEW_SECS..=MAX_CLOCK_SKEW_SECS)
    )]
    clock_skew_secs: i64,
}

/// `--lose-answer-mode`: how an answer is lost after the action ran.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum LoseMode {
    /// Break the connection mid-answer.
    Drop,
    /// Answer 500 InternalError.
    InternalError,
    /// Answer 503 ServiceUnavailable.
    ServiceUnavailable,
}

impl From<LoseMode> for LostAnswer {
    fn from(mode: LoseMode) -> Self {
        match mode {
            LoseMode::Drop => LostAnswer::Drop,
            LoseMode::InternalError => LostAnswer::InternalError,
            LoseMode::ServiceUnavailable => LostAnswer::ServiceUnavailable,
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let args = Args::parse();

    let builder = Emulator::builder()
        .port(args.port)
        .max_connections(args.max_connections)
        .header_read_timeout(Duration::from_secs(args.header_read_timeout_secs))
        .body_read_timeout(Duration::from_secs(args.body_read_timeout_secs))
        .max_body_bytes(args.max_body_bytes)
        .allow_undeclared_params(args.allow_undeclared_params)
        .built_in_schema(!args.no_built_in_schema);
    let builder = args
        .api_docs
        .into_iter()
        .fold(builder, |builder, path| builder.api_docs(path));
    let builder = match args.security_token {
        Some(token) => builder.sts_token(args.access_key_id, args.access_key_secret, token),
        None => builder.access_key(args.access_key_id, args.access_key_secret),
    };
    let builder = match args.ecs_ram_role {
        Some(role) => builder
            .ecs_ram_role(role)
            .imds_require_token(args.imds_require_token),
        None => builder,
    };
    let builder = args
        .oidc_token
        .into_iter()
        .fold(builder, |builder, token| builder.oidc_token(token));
    let builder = match args.credentials_uri {
        Some(path) => builder.credentials_uri(path),
        None => builder,
    };
    let builder = match args.sts_duration_secs {
        Some(secs) => builder.sts_duration_override(Duration::from_secs(secs)),
        None => builder,
    };
    let builder = builder.faults(|f| {
        if let Some(seed) = args.fault_seed {
            f.seed(seed);
        }
        f.fail_next(args.fail_next, args.fail_code.as_str(), args.fail_status)
            .fail_percent(args.fail_percent, args.fail_code.as_str(), args.fail_status)
            .latency(Duration::from_millis(args.latency_ms))
            .drop_next(args.drop_next)
            .drop_percent(args.drop_percent)
            .throttle_next(
                args.throttle_next,
                Duration::from_millis(args.throttle_time_left_ms),
            )
            .lose_answer_next(args.lose_answer_next, args.lose_answer_mode.into())
            .lose_answer_percent(args.lose_answer_percent, args.lose_answer_mode.into())
            .clock_skew_secs(args.clock_skew_secs);
    });
    let emulator = match builder.start().await {
        Ok(emulator) => emulator,
        Err(err) => {
            eprintln!("aliyun-rpc-emulator: {err}{}", source_of(&err));
            return ExitCode::FAILURE;
        }
    };

    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(
        stdout,
        "aliyun-rpc-emulator listening on {}",
        emulator.endpoint()
    );
    let _ = stdout.flush();
    drop(stdout);

    wait_for_stop().await;
    emulator.shutdown().await;
    ExitCode::SUCCESS
}

/// `: <source>`, or nothing when the error has no source.
fn source_of(err: &dyn std::error::Error) -> String {
    err.source()
        .map(|source| format!(": {source}"))
        .unwrap_or_default()
}

/// Ctrl-C, or SIGTERM on Unix (what `kill` and process supervisors send).
async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
