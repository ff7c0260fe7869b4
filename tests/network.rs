//! The client on a real network's terms: proxies (set on the builder, and from the
//! environment, which a loopback endpoint ignores), a bounded number of requests in flight
//! (5,000 concurrent calls under `ulimit -n 256`), and transport errors that say why.
//!
//! Environment variables and file limits are per process: those tests run this very test
//! binary again as a child (`CHILD_ROLE` names what it does there), with the variables or
//! the limit set, against an emulator and a recording proxy in the parent.

use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aliyun_rpc::credentials::{ProvideCredentials, RamRoleArnProvider};
use aliyun_rpc::{Client, Credentials, RetryPolicy};
use aliyun_rpc_emulator::Emulator;
use common::official_sdk::run_bounded;
use common::{build, emulator, fast_retry, seed_instance_types, seed_request, wiretap};

mod common;

/// Set in a child run of this binary: which child test acts, the others return at once.
const CHILD_ROLE: &str = "ALIYUN_RPC_TEST_CHILD_ROLE";
/// The emulator's endpoint, for a child.
const CHILD_ENDPOINT: &str = "ALIYUN_RPC_TEST_ENDPOINT";

fn child_role() -> Option<String> {
    std::env::var(CHILD_ROLE).ok()
}

/// This test binary, to run `test` alone in a child process with `role`; with `fd_limit`,
/// `sh` lowers the soft open-files limit to it first and then `exec`s the binary.
fn child(test: &str, role: &str, emulator: &Emulator, fd_limit: Option<u32>) -> Command {
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => panic!("{e}"),
    };
    let mut command = match fd_limit {
        Some(limit) => {
            let mut sh = Command::new("sh");
            sh.arg("-c")
                .arg(format!("ulimit -S -n {limit} && exec \"$0\" \"$@\""))
                .arg(exe);
            sh
        }
        None => Command::new(exe),
    };
    command
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ROLE, role)
        .env(CHILD_ENDPOINT, emulator.endpoint());
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        command.env_remove(var);
    }
    command
}

/// Runs `command` (at most `timeout`) off the async runtime; its exit code and output.
async fn run_child(command: Command, timeout: Duration) -> (i32, String) {
    match tokio::task::spawn_blocking(move || run_bounded(command, timeout)).await {
        Ok(out) => out,
        Err(e) => panic!("{e}"),
    }
}

fn emulator_client(endpoint: &str) -> aliyun_rpc::ClientBuilder {
    Client::builder()
        .credentials(Credentials::new("testid", "testsecret"))
        .region("cn-hangzhou")
        .endpoint(endpoint)
        .retry(RetryPolicy::none())
}

// ---------------------------------------------------------------------------------------
// Proxies

/// A proxy set on the builder carries every call, loopback endpoint or not, with its
/// credentials as basic authentication, which nothing shows; `no_proxy` turns it off.
#[tokio::test]
async fn a_configured_proxy_sees_the_calls_and_no_proxy_turns_it_off() {
    if child_role().is_some() {
        return;
    }
    let emulator = emulator().await;
    let proxy = wiretap::start(emulator.endpoint(), None).await;
    let proxy_url = proxy.endpoint.replace("http://", "http://alice:hunter2@");
    let client = build(emulator.client_builder().proxy(&proxy_url));
    assert!(
        !format!("{client:?}").contains("hunter2"),
        "{client:?} shows the proxy's password"
    );
    let answer = match client.call(&seed_request()).await {
        Ok(answer) => answer,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(answer.instance_types, seed_instance_types());
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "the proxy saw the call");
    // A request to a proxy names the whole URL (absolute form), not only the path.
    assert!(
        seen[0]
            .request_line
            .starts_with(&format!("POST {}/ ", emulator.endpoint())),
        "{}",
        seen[0].request_line
    );
    assert_eq!(
        seen[0].header("proxy-authorization"),
        Some("Basic YWxpY2U6aHVudGVyMg=="), // alice:hunter2
    );

    let direct = build(emulator.client_builder().proxy(&proxy_url).no_proxy());
    if let Err(e) = direct.call(&seed_request()).await {
        panic!("{e}");
    }
    assert_eq!(proxy.seen().len(), 1, "no_proxy went around the proxy");
    assert_eq!(emulator.request_count(), 2);
}

/// Everything logged at TRACE level through a call via a proxy with credentials, reqwest's
/// and hyper's `log` records included, holds neither the password nor its basic-auth form.
#[test]
fn the_proxy_password_reaches_no_log_line() {
    if child_role().is_some() {
        return;
    }
    // reqwest and hyper log through `log`: route those records to the subscriber below.
    let _ = tracing_log::LogTracer::init();
    let runtime = common::current_thread_runtime();
    let (logs, seen) = captured_logs_at(tracing::Level::TRACE, || {
        runtime.block_on(async {
            let emulator = emulator().await;
            let proxy = wiretap::start(emulator.endpoint(), None).await;
            let proxy_url = proxy.endpoint.replace("http://", "http://alice:hunter2@");
            let client = build(emulator.client_builder().proxy(&proxy_url));
            if let Err(e) = client.call(&seed_request()).await {
                panic!("{e}");
            }
            proxy.seen().len()
        })
    });
    assert_eq!(seen, 1);
    assert!(
        logs.contains("aliyun_rpc.call"),
        "the capture saw the call: {logs}"
    );
    assert!(
        logs.contains("intercepts"),
        "the capture saw reqwest's proxy line: {logs}"
    );
    for secret in ["hunter2", "YWxpY2U6aHVudGVyMg"] {
        assert!(!logs.contains(secret), "{secret} logged:\n{logs}");
    }
}

/// A proxy the client cannot reach fails the call as a connect error naming the cause,
/// and a malformed one fails `build` without showing its password.
#[tokio::test]
async fn a_bad_proxy_is_an_error_that_shows_no_credentials() {
    if child_role().is_some() {
        return;
    }
    let port = closed_port().await;
    let client = build(
        emulator_client("http://127.0.0.1:9").proxy(format!("http://bob:pa55@127.0.0.1:{port}")),
    );
    let err = match client.call(&seed_request()).await {
        Ok(_) => panic!("a call through a closed proxy port succeeded"),
        Err(e) => e,
    };
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("pa55") && !shown.contains("bob"), "{shown}");
    assert_eq!(
        err.transport_kind(),
        Some(aliyun_rpc::error::TransportKind::Connect)
    );

    for bad in ["ftp://bob:pa55@proxy:21", "http://bob:pa55@proxy:3128/path"] {
        match emulator_client("http://127.0.0.1:9").proxy(bad).build() {
            Ok(_) => panic!("{bad} accepted"),
            Err(e) => {
                let shown = format!("{e} {e:?}");
                assert!(shown.contains("proxy `"), "{shown}");
                assert!(!shown.contains("pa55") && !shown.contains("bob"), "{shown}");
            }
        }
    }
}

/// With `HTTP_PROXY` and `ALL_PROXY` set (in a child process: variables are process-wide),
/// a call to a loopback endpoint goes direct and the proxy sees nothing, while a call to
/// another address goes through the proxy (so the variables did apply in the child), and
/// the STS `AssumeRole` provider on a loopback endpoint goes direct too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn environment_proxies_are_honoured_except_for_loopback_endpoints() {
    if child_role().is_some() {
        return;
    }
    let emulator = emulator().await;
    let proxy = wiretap::start(emulator.endpoint(), None).await;
    let mut command = child(
        "child_calls_a_loopback_and_a_remote_endpoint_under_http_proxy",
        "env-proxy",
        &emulator,
        None,
    );
    command
        .env("HTTP_PROXY", &proxy.endpoint)
        .env("ALL_PROXY", &proxy.endpoint);
    let (code, out) = run_child(command, Duration::from_secs(60)).await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("loopback: direct, ok"), "{out}");
    assert!(out.contains("remote: through the proxy, ok"), "{out}");
    assert!(out.contains("sts: direct, ok"), "{out}");
    assert_eq!(emulator.assume_role_count(), 1);
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "only the remote call went through the proxy");
    assert!(
        seen[0]
            .request_line
            .starts_with("POST http://192.0.2.1:9/ "),
        "{}",
        seen[0].request_line
    );
    assert_eq!(emulator.request_count(), 3);
}

/// The child of [`environment_proxies_are_honoured_except_for_loopback_endpoints`].
#[test]
fn child_calls_a_loopback_and_a_remote_endpoint_under_http_proxy() {
    if child_role().as_deref() != Some("env-proxy") {
        return;
    }
    let endpoint = std::env::var(CHILD_ENDPOINT).unwrap_or_default();
    let runtime = common::current_thread_runtime();
    runtime.block_on(async {
        let loopback = build(emulator_client(&endpoint));
        if let Err(e) = loopback.call(&seed_request()).await {
            panic!("loopback call: {e}");
        }
        println!("loopback: direct, ok");
        // TEST-NET-1: unroutable; only the proxy (which relays to the emulator) answers.
        // Signature v1 does not sign the host, so the emulator accepts the call.
        let remote =
            build(emulator_client("http://192.0.2.1:9").connect_timeout(Duration::from_secs(3)));
        if let Err(e) = remote.call(&seed_request()).await {
            panic!("remote call: {e}");
        }
        println!("remote: through the proxy, ok");
        // The STS credentials provider's client follows the same rule.
        let role = RamRoleArnProvider::builder(
            Credentials::new("testid", "testsecret"),
            "acs:ram::123456789012:role/tester",
        )
        .sts_endpoint(&endpoint)
        .build();
        match role {
            Ok(role) => match role.provide_credentials().await {
                Ok(_) => println!("sts: direct, ok"),
                Err(e) => panic!("AssumeRole: {e}"),
            },
            Err(e) => panic!("{e}"),
        }
    });
}

// ---------------------------------------------------------------------------------------
// Bounded concurrency

/// 5,000 concurrent calls from one client, in a process whose soft `RLIMIT_NOFILE` is 256
/// (set by `ulimit -S -n 256` in `sh` before it `exec`s the child), all succeed: with
/// `max_in_flight(100)` the client holds at most 200 sockets. The emulator runs in this
/// (the parent) process, under its own limit. And with the default (256 in flight) the same
/// 5,000 calls succeed under `ulimit -n 1024`. (With `max_in_flight(5000)` the first child
/// fails: `tcp open error: Too many open files (os error 24)`.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_thousand_concurrent_calls_fit_in_a_small_file_limit() {
    if child_role().is_some() {
        return;
    }
    let emulator = common::start(Emulator::builder().max_connections(2048)).await;
    for (limit, max_in_flight) in [(256, Some(100)), (1024, None)] {
        let mut command = child(
            "child_makes_5000_concurrent_calls",
            "fd-limit",
            &emulator,
            Some(limit),
        );
        if let Some(n) = max_in_flight {
            command.env("ALIYUN_RPC_TEST_MAX_IN_FLIGHT", n.to_string());
        }
        let before = emulator.request_count();
        let (code, out) = run_child(command, Duration::from_secs(180)).await;
        assert_eq!(code, 0, "limit {limit}: {out}");
        assert!(
            out.contains(&format!("open files limit: {limit}")),
            "the child ran under the limit: {out}"
        );
        assert!(out.contains("5000 of 5000 calls succeeded"), "{out}");
        assert_eq!(emulator.request_count() - before, 5000, "{out}");
    }
}

/// The child of [`five_thousand_concurrent_calls_fit_in_a_small_file_limit`].
#[test]
fn child_makes_5000_concurrent_calls() {
    if child_role().as_deref() != Some("fd-limit") {
        return;
    }
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
    let soft = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3))
        .unwrap_or("unknown");
    println!("open files limit: {soft}");
    let endpoint = std::env::var(CHILD_ENDPOINT).unwrap_or_default();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => panic!("{e}"),
    };
    let mut builder = emulator_client(&endpoint).attempt_timeout(Duration::from_secs(60));
    if let Some(n) = std::env::var("ALIYUN_RPC_TEST_MAX_IN_FLIGHT")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        builder = builder.max_in_flight(n);
    }
    let client = build(builder);
    let failures = Arc::new(Mutex::new(Vec::new()));
    let ok = runtime.block_on(async {
        let tasks: Vec<_> = (0..5000)
            .map(|_| {
                let (client, failures) = (client.clone(), failures.clone());
                tokio::spawn(async move {
                    match client.call(&seed_request()).await {
                        Ok(_) => 1,
                        Err(e) => {
                            if let Ok(mut f) = failures.lock() {
                                f.push(e.to_string());
                            }
                            0
                        }
                    }
                })
            })
            .collect();
        let mut ok = 0;
        for task in tasks {
            ok += task.await.unwrap_or(0);
        }
        ok
    });
    let failures = failures.lock().map(|f| f.clone()).unwrap_or_default();
    println!("{ok} of 5000 calls succeeded");
    assert!(
        failures.is_empty(),
        "first failures: {:?}",
        &failures[..failures.len().min(3)]
    );
}

// ---------------------------------------------------------------------------------------
// Errors that say why

/// A port nothing listens on.
async fn closed_port() -> u16 {
    let listener = match tokio::net::TcpListener::bind("127.0.0.1:0").await {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    };
    listener.local_addr().map(|a| a.port()).unwrap_or_default()
}

#[tokio::test]
async fn a_refused_connection_says_so_on_one_line() {
    if child_role().is_some() {
        return;
    }
    let port = closed_port().await;
    let client = build(emulator_client(&format!("http://127.0.0.1:{port}")));
    let err = match client.call(&seed_request()).await {
        Ok(_) => panic!("a call to a closed port succeeded"),
        Err(e) => e,
    };
    let shown = err.to_string();
    assert!(
        shown.starts_with(&format!(
            "connect error sending to http://127.0.0.1:{port}/: "
        )),
        "{shown}"
    );
    assert!(shown.contains("Connection refused"), "{shown}");
    assert!(!shown.contains('\n'), "{shown}");
    assert!(!err.is_dns_failure() && err.is_retryable());
}

/// A host derived from a misspelt region does not resolve: the error says the DNS cause,
/// hints at the region, and is not retried; the client warned when it was built.
#[tokio::test]
async fn a_derived_host_that_does_not_resolve_blames_the_region_and_is_not_retried() {
    if child_role().is_some() {
        return;
    }
    let (logs, built) = captured_logs(|| {
        Client::builder()
            .credentials(Credentials::new("testid", "testsecret"))
            .region("cn-hangzou-9")
            .retry(fast_retry())
            .no_proxy() // in a proxied CI, the proxy would resolve the name
            .build()
    });
    let client = match built {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    assert!(
        logs.contains("WARN")
            && logs.contains("region `cn-hangzou-9` is not one the endpoint rules know"),
        "{logs}"
    );
    let err = match client.call(&seed_request()).await {
        Ok(_) => panic!("ecs.cn-hangzou-9.aliyuncs.com answered"),
        Err(e) => e,
    };
    let shown = err.to_string();
    assert!(err.is_dns_failure(), "{shown}");
    assert_eq!(err.attempts(), 1, "{shown}");
    assert!(!err.is_retryable() && !err.may_have_run(), "{shown}");
    assert!(
        shown.starts_with(
            "connect error sending to https://ecs.cn-hangzou-9.aliyuncs.com/: dns error"
        ),
        "{shown}"
    );
    assert!(shown.contains("check the region"), "{shown}");

    // A known region logs nothing.
    let (logs, _) = captured_logs(|| {
        Client::builder()
            .credentials(Credentials::new("testid", "testsecret"))
            .region("cn-hangzhou")
            .build()
    });
    assert!(!logs.contains("WARN"), "{logs}");
}

/// A host set with `endpoint` that does not resolve is a DNS failure too, but no hint at
/// the region, and retried like any connect error.
#[tokio::test]
async fn an_override_that_does_not_resolve_is_retried_without_the_region_hint() {
    if child_role().is_some() {
        return;
    }
    let client = build(
        emulator_client("http://no-such-host.invalid:8080")
            .retry(fast_retry())
            .no_proxy(),
    );
    let err = match client.call(&seed_request()).await {
        Ok(_) => panic!("no-such-host.invalid answered"),
        Err(e) => e,
    };
    let shown = err.to_string();
    assert!(err.is_dns_failure(), "{shown}");
    assert_eq!(err.attempts(), 3, "{shown}");
    assert!(shown.contains(": dns error"), "{shown}");
    assert!(!shown.contains("region"), "{shown}");
}

/// What `f` logged at WARN and above, and its result.
fn captured_logs<T>(f: impl FnOnce() -> T) -> (String, T) {
    captured_logs_at(tracing::Level::WARN, f)
}

/// What `f` logged at `level` and above, and its result.
fn captured_logs_at<T>(level: tracing::Level, f: impl FnOnce() -> T) -> (String, T) {
    let sink = common::logs::CapturedLogs::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(sink.clone())
        .with_ansi(false)
        .finish();
    let result = tracing::subscriber::with_default(subscriber, f);
    (sink.text(), result)
}
