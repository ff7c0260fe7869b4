//! Loopback throughput: our client against the emulator, and a plain reqwest client posting
//! pre-signed bodies to the same emulator as the transport floor.
//!
//! ```console
//! $ cargo build --release -p aliyun-rpc-emulator --features cli
//! $ cargo run --release --example throughput -- [--requests 3000] [--warmup 300] [--rounds 5]
//! ```
//!
//! The emulator runs in its own process: `ALIYUN_RPC_EMULATOR` names its binary, else it is
//! looked for beside this example's own build (`target/release/aliyun-rpc-emulator`). Each
//! round runs two modes, sequential and 64 in flight; in each, after a warm-up, the floor and
//! our client send the same fixed number of requests in alternating blocks (100 requests when
//! sequential, 500 with 64 in flight, so that changes in background load hit both alike), and
//! the rates and ratio come from the summed times. Every
//! request must succeed. The floor's bodies are all signed (a fresh nonce each, so the
//! emulator's replay check passes) before its block's clock starts. Prints one line per round
//! and the medians.

#[path = "common/ecs.rs"]
#[allow(dead_code)]
mod ecs;

use std::io::{BufRead as _, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aliyun_rpc::{Client, Credentials, RetryPolicy};
use ecs::{ActionType, DescribeImageSupportInstanceTypes, Filter};

const IN_FLIGHT: usize = 64;
/// Each mode's requests are split into alternating floor/ours blocks of this many requests:
/// short for sequential calls, so that a change in background load (this VM's biggest source
/// of noise) hits both alike; longer with 64 in flight, so that each block is mostly steady
/// state rather than 64 workers starting and draining.
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
    requests: usize,
    warmup: usize,
    rounds: usize,
}

fn args() -> Args {
    let mut out = Args {
        requests: 3000,
        warmup: 300,
        rounds: 5,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().and_then(|v| v.parse().ok());
        match (flag.as_str(), value) {
            ("--requests", Some(v)) => out.requests = v,
            ("--warmup", Some(v)) => out.warmup = v,
            ("--rounds", Some(v)) => out.rounds = v,
            _ => {
                eprintln!("usage: throughput [--requests N] [--warmup N] [--rounds N]");
                std::process::exit(2);
            }
        }
    }
    out
}

/// The emulator binary: `$ALIYUN_RPC_EMULATOR`, or `aliyun-rpc-emulator` in the profile
/// directory this example was built into.
fn emulator_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("ALIYUN_RPC_EMULATOR") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().expect("current_exe");
    // target/<profile>/examples/throughput → target/<profile>/aliyun-rpc-emulator
    let profile_dir = exe
        .parent()
        .and_then(|examples| examples.parent())
        .expect("example lives in target/<profile>/examples");
    let path = profile_dir.join("aliyun-rpc-emulator");
    if !path.exists() {
        eprintln!(
            "{} not found: run `cargo build --release -p aliyun-rpc-emulator --features cli` first, \
             or set ALIYUN_RPC_EMULATOR",
            path.display()
        );
        std::process::exit(2);
    }
    path
}

/// The emulator in its own process; killed on drop.
struct EmulatorProcess {
    child: Child,
    endpoint: String,
}

impl EmulatorProcess {
    fn spawn() -> Self {
        let mut child = Command::new(emulator_binary())
            .args(["--port", "0", "--access-key-id", "testid"])
            .args(["--access-key-secret", "testsecret"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn the emulator");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the emulator's first line");
        let endpoint = line
            .trim()
            .strip_prefix("aliyun-rpc-emulator listening on ")
            .unwrap_or_else(|| panic!("unexpected first line from the emulator: {line:?}"))
            .to_owned();
        EmulatorProcess { child, endpoint }
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends `n` requests, `in_flight` at a time; `send(i)` sends the `i`-th.
async fn drive<F, Fut>(n: usize, in_flight: usize, send: F) -> Duration
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let started = Instant::now();
    if in_flight == 1 {
        for i in 0..n {
            send(i).await;
        }
        return started.elapsed();
    }
    let next = Arc::new(AtomicUsize::new(0));
    let send = Arc::new(send);
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..in_flight {
        let (next, send) = (next.clone(), send.clone());
        workers.spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                send(i).await;
            }
        });
    }
    while let Some(done) = workers.join_next().await {
        done.expect("worker");
    }
    started.elapsed()
}

/// Our client: validate, sign, send, decode, `n` times.
async fn ours(client: &Client, n: usize, in_flight: usize) -> Duration {
    let client = client.clone();
    let request = Arc::new(seed());
    drive(n, in_flight, move |_| {
        let (client, request) = (client.clone(), request.clone());
        async move {
            let response = client.call(&*request).await.expect("call");
            assert_eq!(response.region_id, "cn-hangzhou");
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
) -> Duration {
    let mut bodies = Vec::with_capacity(n);
    for _ in 0..n {
        let prepared = client.prepare(&seed()).await.expect("prepare");
        bodies.push(prepared.body().expect("a POST body").to_owned());
    }
    let bodies = Arc::new(bodies);
    let (http, url) = (http.clone(), url.to_owned());
    drive(n, in_flight, move |i| {
        let (http, url, bodies) = (http.clone(), url.clone(), bodies.clone());
        async move {
            let response = http
                .post(&url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(bodies[i].clone())
                .send()
                .await
                .expect("send");
            let status = response.status();
            let body = response.bytes().await.expect("body");
            assert!(
                status.is_success(),
                "{status}: {}",
                String::from_utf8_lossy(&body)
            );
        }
    })
    .await
}

fn rate(n: usize, took: Duration) -> f64 {
    n as f64 / took.as_secs_f64()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

#[tokio::main]
async fn main() {
    let args = args();
    let emulator = EmulatorProcess::spawn();
    let client = Client::builder()
        .credentials(Credentials::new("testid", "testsecret"))
        .region("cn-hangzhou")
        .endpoint(&emulator.endpoint)
        .retry(RetryPolicy::none())
        .build()
        .expect("client");
    let http = reqwest::Client::new();
    let url = format!("{}/", emulator.endpoint);
    println!(
        "emulator at {}; {} requests per mode after {} warm-up, {} rounds",
        emulator.endpoint, args.requests, args.warmup, args.rounds
    );

    let mut ratios_seq = Vec::new();
    let mut ratios_par = Vec::new();
    let mut rates: [Vec<f64>; 4] = Default::default();
    for round in 1..=args.rounds {
        let mut row = [0.0; 4];
        for (slot, in_flight) in [(0, 1), (2, IN_FLIGHT)] {
            floor(&client, &http, &url, args.warmup, in_flight).await;
            ours(&client, args.warmup, in_flight).await;
            // Floor and ours alternate in blocks (and swap who goes first), so that a change
            // in the machine's background load hits both alike.
            let block = if in_flight == 1 {
                BLOCK_SEQUENTIAL
            } else {
                BLOCK_IN_FLIGHT
            };
            let blocks = (args.requests / block).max(2);
            let (mut floor_time, mut ours_time) = (Duration::ZERO, Duration::ZERO);
            for b in 0..blocks {
                if b % 2 == 0 {
                    floor_time += floor(&client, &http, &url, block, in_flight).await;
                    ours_time += ours(&client, block, in_flight).await;
                } else {
                    ours_time += ours(&client, block, in_flight).await;
                    floor_time += floor(&client, &http, &url, block, in_flight).await;
                }
            }
            row[slot] = rate(block * blocks, floor_time);
            row[slot + 1] = rate(block * blocks, ours_time);
        }
        println!(
            "round {round}: sequential floor {:>7.0} req/s, ours {:>7.0} req/s ({:>5.1} %); \
             {IN_FLIGHT} in flight floor {:>7.0} req/s, ours {:>7.0} req/s ({:>5.1} %)",
            row[0],
            row[1],
            100.0 * row[1] / row[0],
            row[2],
            row[3],
            100.0 * row[3] / row[2],
        );
        ratios_seq.push(row[1] / row[0]);
        ratios_par.push(row[3] / row[2]);
        for (all, r) in rates.iter_mut().zip(row) {
            all.push(r);
        }
    }
    let [floor_seq, ours_seq, floor_par, ours_par] = rates.map(median);
    println!(
        "median: sequential floor {floor_seq:.0} req/s, ours {ours_seq:.0} req/s, ratio {:.1} %; \
         {IN_FLIGHT} in flight floor {floor_par:.0} req/s, ours {ours_par:.0} req/s, ratio {:.1} %",
        100.0 * median(ratios_seq),
        100.0 * median(ratios_par),
    );
}
