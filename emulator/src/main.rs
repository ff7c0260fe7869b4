//! `aliyun-rpc-emulator`: the emulator as a program, for examples and for tests written
//! in other languages.
//!
//! ```text
//! aliyun-rpc-emulator --port 0 --access-key-id testid --access-key-secret testsecret
//! ```
//!
//! The first line on stdout is `aliyun-rpc-emulator listening on http://127.0.0.1:PORT`;
//! it runs until Ctrl-C (or SIGTERM). Logs go to stderr (`RUST_LOG=debug` for every call).

use std::io::Write as _;
use std::process::ExitCode;

use aliyun_rpc_emulator::{Emulator, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET};
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

    let builder = Emulator::builder().port(args.port);
    let builder = match args.security_token {
        Some(token) => builder.sts_token(args.access_key_id, args.access_key_secret, token),
        None => builder.access_key(args.access_key_id, args.access_key_secret),
    };
    let emulator = match builder.start().await {
        Ok(emulator) => emulator,
        Err(err) => {
            eprintln!("aliyun-rpc-emulator: {err}: {}", source_of(&err));
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

fn source_of(err: &dyn std::error::Error) -> String {
    err.source().map(ToString::to_string).unwrap_or_default()
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
