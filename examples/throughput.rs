//! Loopback throughput: our client against the emulator, and a plain reqwest client posting
//! pre-signed bodies to the same emulator as the transport floor.
//!
//! ```console
//! $ cargo build --release -p aliyun-rpc-emulator --features cli
//! $ cargo run --release --example throughput -- [--requests 3000] [--warmup 200] [--rounds 15]
//! ```
//!
//! The emulator runs in its own process: `ALIYUN_RPC_EMULATOR` names its binary, else it is
//! looked for beside this example's own build (`target/release/aliyun-rpc-emulator`).
//!
//! The method (BENCHMARKS.md, "Loopback throughput"): each round runs two modes, sequential
//! and 64 in flight. In each, after a warm-up, the floor and our client send `--requests`
//! requests each in alternating blocks (100 requests when sequential, 500 with 64 in flight;
//! whoever went first in one block goes second in the next), so that a change in background
//! load hits both alike; the round's ratio ours/floor comes from the summed times. Over the
//! rounds the run reports, per mode, the median ratio with its spread: the interquartile range
//! and the minimum and maximum. Every request must succeed. The floor's bodies are all signed
//! (a fresh nonce each, so the emulator's replay check passes) before its block's clock starts.

#[path = "common/ecs.rs"]
#[allow(dead_code)]
mod ecs;

use std::error::Error as StdError;
use std::future::Future;
use std::io::{BufRead as _, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aliyun_rpc::{Client, Credentials, RetryPolicy};
use ecs::{ActionType, DescribeImageSupportInstanceTypes, Filter};

type Result<T, E = Box<dyn StdError + Send + Sync>> = std::result::Result<T, E>;

const IN_FLIGHT: usize = 64;
/// Each mode's requests are split into alternating floor/ours blocks of at most this many
/// requests: short for sequential calls, so that a change in background load (this VM's
/// biggest source of noise) hits both alike; longer with 64 in flight, so that each block is
/// mostly steady state rather than 64 workers starting and draining.
const BLOCK_SEQUENTIAL: usize = 100;
const BLOCK_IN_FLIGHT: usize = 500;

/// The seed request, with two filters (as in `benches/prepare.rs`).
fn seed() -> DescribeImageSupportInstanceTypes {
    DescribeImageSupportInstanceTypes::new("cn-hangzhou")
        .action_type(ActionType::CreateEcs)
        .image_id("m-imageid1")
        .filter(Filter {
            key: "CreationStartTime".into(),
            value: "2017-12-05T22:40:00Z".into(),
        })
        .filter(Filter {
            key: "CreationEndTime".into(),
            value: "2027-12-06T22:40:00Z".into(),
        })
}

struct Args {
    /// Requests per mode, per round, from each side.
    requests: usize,
    /// Warm-up requests per mode, per round, from each side.
    warmup: usize,
    rounds: usize,
}

const USAGE: &str = "usage: throughput [--requests N] [--warmup N] [--rounds N]";

fn args() -> Result<Args, String> {
    let mut out = Args {
        requests: 3000,
        warmup: 200,
        rounds: 15,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().and_then(|v| v.parse::<usize>().ok());
        match (flag.as_str(), value) {
            ("--requests", Some(v)) if v > 0 => out.requests = v,
            ("--warmup", Some(v)) => out.warmup = v,
            ("--rounds", Some(v)) if v > 0 => out.rounds = v,
            _ => return Err(USAGE.to_owned()),
        }
    }
    Ok(out)
}

/// The emulator binary: `$ALIYUN_RPC_EMULATOR`, or `aliyun-rpc-emulator` in the profile
/// directory this example was built into.
fn emulator_binary() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("ALIYUN_RPC_EMULATOR") {
        return Ok(PathBuf::from(path));
    }
    let exe = std::env::current_exe()?;
    // target/<profile>/examples/throughput → target/<profile>/aliyun-rpc-emulator
    let path = exe
        .parent()
        .and_then(|examples| examples.parent())
        .map(|profile| profile.join("aliyun-rpc-emulator"))
        .ok_or("this example does not live in target/<profile>/examples")?;
    if !path.exists() {
        return Err(format!(
            "{} not found: run `cargo build --release -p aliyun-rpc-emulator --features cli` \
             first, or set ALIYUN_RPC_EMULATOR",
            path.display()
        )
        .into());
    }
    Ok(path)
}

/// The emulator in its own process; killed on drop.
struct EmulatorProcess {
    child: Child,
    endpoint: String,
}

impl EmulatorProcess {
    fn spawn() -> Result<Self> {
        let mut child = Command::new(emulator_binary()?)
            .args(["--port", "0", "--access-key-id", "testid"])
            .args(["--access-key-secret", "testsecret"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let mut line = String::new();
        if let Some(stdout) = child.stdout.take() {
            BufReader::new(stdout).read_line(&mut line)?;
        }
        // Kill the child on the way out, even when its first line is not the expected one.
        let mut emulator = EmulatorProcess {
            child,
            endpoint: String::new(),
        };
        emulator.endpoint = line
            .trim()
            .strip_prefix("aliyun-rpc-emulator listening on ")
            .ok_or_else(|| format!("unexpected first line from the emulator: {line:?}"))?
            .to_owned();
        Ok(emulator)
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends `n` requests, `in_flight` at a time; `send(i)` sends the `i`-th. The time taken,
/// or the first failure.
async fn drive<F, Fut>(n: usize, in_flight: usize, send: F) -> Result<Duration>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<()>> + Send,
{
    let started = Instant::now();
    if in_flight == 1 {
        for i in 0..n {
            send(i).await?;
        }
        return Ok(started.elapsed());
    }
    let next = Arc::new(AtomicUsize::new(0));
    let send = Arc::new(send);
    let mut workers: tokio::task::JoinSet<Result<()>> = tokio::task::JoinSet::new();
    for _ in 0..in_flight {
        let (next, send) = (next.clone(), send.clone());
        workers.spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    return Ok(());
                }
                send(i).await?;
            }
        });
    }
    while let Some(done) = workers.join_next().await {
        done??;
    }
    Ok(started.elapsed())
}

/// Our client: validate, sign, send, decode, `n` times.
async fn ours(client: &Client, n: usize, in_flight: usize) -> Result<Duration> {
    let client = client.clone();
    let request = Arc::new(seed());
    drive(n, in_flight, move |_| {
        let (client, request) = (client.clone(), request.clone());
        async move {
            let response = client.call(&*request).await?;
            if response.region_id != "cn-hangzhou" {
                return Err(format!("answer for region {}", response.region_id).into());
            }
            Ok(())
        }
    })
    .await
}

/// The floor: plain reqwest posting bodies signed before the clock starts.
async fn floor(
    client: &Client,
    http: &reqwest::Client,
    url: &str,
    n: usize,
    in_flight: usize,
) -> Result<Duration> {
    let mut bodies = Vec::with_capacity(n);
    for _ in 0..n {
        let prepared = client.prepare(&seed()).await?;
        bodies.push(prepared.body().ok_or("a POST has a body")?.to_owned());
    }
    let bodies = Arc::new(bodies);
    let (http, url) = (http.clone(), url.to_owned());
    drive(n, in_flight, move |i| {
        let (http, url, bodies) = (http.clone(), url.clone(), bodies.clone());
        async move {
            let body = bodies.get(i).cloned().unwrap_or_default();
            let response = http
                .post(&url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await?;
            let status = response.status();
            let body = response.bytes().await?;
            if !status.is_success() {
                let body = String::from_utf8_lossy(&body);
                return Err(format!("{status}: {body}").into());
            }
            Ok(())
        }
    })
    .await
}

/// One mode of one round: rates of the floor and of ours, in requests per second.
#[derive(Clone, Copy)]
struct Measured {
    floor: f64,
    ours: f64,
}

impl Measured {
    fn ratio(self) -> f64 {
        self.ours / self.floor
    }
}

/// Warm-up, then `requests` from each side in alternating blocks of at most `block`.
async fn measure(
    client: &Client,
    http: &reqwest::Client,
    url: &str,
    args: &Args,
    in_flight: usize,
    block: usize,
) -> Result<Measured> {
    if args.warmup > 0 {
        floor(client, http, url, args.warmup, in_flight).await?;
        ours(client, args.warmup, in_flight).await?;
    }
    // An even number of blocks of equal size, so that each side goes first equally often.
    let block = block.min((args.requests / 2).max(1));
    let blocks = (args.requests / block).max(2);
    let blocks = blocks + blocks % 2;
    let (mut floor_time, mut ours_time) = (Duration::ZERO, Duration::ZERO);
    for b in 0..blocks {
        if b % 2 == 0 {
            floor_time += floor(client, http, url, block, in_flight).await?;
            ours_time += ours(client, block, in_flight).await?;
        } else {
            ours_time += ours(client, block, in_flight).await?;
            floor_time += floor(client, http, url, block, in_flight).await?;
        }
    }
    let sent = (block * blocks) as f64;
    Ok(Measured {
        floor: sent / floor_time.as_secs_f64(),
        ours: sent / ours_time.as_secs_f64(),
    })
}

/// The `q`-quantile (0 ≤ q ≤ 1) of `sorted`, interpolating linearly between the two nearest
/// values (the default of R and NumPy); `NaN` for no values.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let Some(last) = sorted.len().checked_sub(1) else {
        return f64::NAN;
    };
    let at = q.clamp(0.0, 1.0) * last as f64;
    let (below, frac) = (at.floor() as usize, at.fract());
    let low = sorted.get(below).copied().unwrap_or(f64::NAN);
    let high = sorted.get(below + 1).copied().unwrap_or(low);
    low + (high - low) * frac
}

/// The median ratio of one mode's rounds, its spread, and the median rates.
fn summary(mode: &str, rounds: &[Measured]) -> String {
    let sorted = |f: fn(&Measured) -> f64| {
        let mut xs: Vec<f64> = rounds.iter().map(f).collect();
        xs.sort_by(f64::total_cmp);
        xs
    };
    let ratios = sorted(|m| 100.0 * m.ratio());
    let (floor, ours) = (sorted(|m| m.floor), sorted(|m| m.ours));
    format!(
        "{mode}: ours/floor median {:.1} %, interquartile {:.1}–{:.1} %, min–max {:.1}–{:.1} % \
         over {} rounds; median rates floor {:.0} req/s, ours {:.0} req/s",
        quantile(&ratios, 0.5),
        quantile(&ratios, 0.25),
        quantile(&ratios, 0.75),
        quantile(&ratios, 0.0),
        quantile(&ratios, 1.0),
        rounds.len(),
        quantile(&floor, 0.5),
        quantile(&ours, 0.5),
    )
}

async fn run(args: Args) -> Result<()> {
    let emulator = EmulatorProcess::spawn()?;
    let client = Client::builder()
        .credentials(Credentials::new("testid", "testsecret"))
        .region("cn-hangzhou")
        .endpoint(&emulator.endpoint)
        .retry(RetryPolicy::none())
        .build()?;
    let http = reqwest::Client::new();
    let url = format!("{}/", emulator.endpoint);
    println!(
        "emulator at {}; {} rounds of {} requests per mode from each side (blocks of {} \
         sequential, {} with {IN_FLIGHT} in flight), each after {} warm-up",
        emulator.endpoint,
        args.rounds,
        args.requests,
        BLOCK_SEQUENTIAL.min((args.requests / 2).max(1)),
        BLOCK_IN_FLIGHT.min((args.requests / 2).max(1)),
        args.warmup,
    );

    let (mut sequential, mut parallel) = (Vec::new(), Vec::new());
    for round in 1..=args.rounds {
        let seq = measure(&client, &http, &url, &args, 1, BLOCK_SEQUENTIAL).await?;
        let par = measure(&client, &http, &url, &args, IN_FLIGHT, BLOCK_IN_FLIGHT).await?;
        println!(
            "round {round:>2}: sequential floor {:>7.0} req/s, ours {:>7.0} req/s ({:>5.1} %); \
             {IN_FLIGHT} in flight floor {:>7.0} req/s, ours {:>7.0} req/s ({:>5.1} %)",
            seq.floor,
            seq.ours,
            100.0 * seq.ratio(),
            par.floor,
            par.ours,
            100.0 * par.ratio(),
        );
        sequential.push(seq);
        parallel.push(par);
    }
    println!("{}", summary("sequential", &sequential));
    println!("{}", summary(&format!("{IN_FLIGHT} in flight"), &parallel));
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match args() {
        Ok(args) => args,
        Err(usage) => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("throughput: {e}");
            ExitCode::FAILURE
        }
    }
}
