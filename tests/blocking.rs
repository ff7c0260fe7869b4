//! The blocking client (feature `blocking`, which the crate's dev-dependency on itself turns
//! on for `cargo test`): from plain threads with no async runtime, and the errors it and the
//! async client give where they cannot run.

use std::future::Future;
use std::pin::pin;
use std::sync::mpsc;
use std::task::{Context, Poll, Waker};

use aliyun_rpc::{blocking, Credentials, Error, Format, RetryPolicy};
use common::{seed_instance_types, seed_request};

mod common;

/// An emulator serving on a thread of its own, with its own runtime, until dropped.
struct EmulatorThread {
    endpoint: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl EmulatorThread {
    fn start() -> EmulatorThread {
        EmulatorThread::start_with(aliyun_rpc_emulator::Emulator::builder)
    }

    /// An emulator built by `builder` (called on the emulator's thread).
    fn start_with(
        builder: impl FnOnce() -> aliyun_rpc_emulator::EmulatorBuilder + Send + 'static,
    ) -> EmulatorThread {
        let (ready, endpoint) = mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = common::current_thread_runtime();
            runtime.block_on(async move {
                let emulator = common::start(builder()).await;
                let _ = ready.send(emulator.endpoint().to_owned());
                let _ = stopped.await;
                emulator.shutdown().await;
            });
        });
        let endpoint = match endpoint.recv() {
            Ok(endpoint) => endpoint,
            Err(e) => panic!("the emulator did not start: {e}"),
        };
        EmulatorThread {
            endpoint,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    fn client(&self) -> blocking::ClientBuilder {
        blocking::Client::builder()
            .credentials(Credentials::new("testid", "testsecret"))
            .region("cn-hangzhou")
            .endpoint(&self.endpoint)
            .retry(RetryPolicy::none())
    }
}

impl Drop for EmulatorThread {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn build(builder: blocking::ClientBuilder) -> blocking::Client {
    match builder.build() {
        Ok(client) => client,
        Err(e) => panic!("{e}"),
    }
}

/// A plain `#[test]`: no runtime on this thread, the call blocks and answers, from several
/// threads at once too; errors come back as from the async client.
#[test]
fn a_blocking_client_calls_from_a_plain_thread() {
    let emulator = EmulatorThread::start();
    let client = build(emulator.client().format(Format::Xml));
    let answer = match client.call(&seed_request()) {
        Ok(answer) => answer,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(answer.instance_types, seed_instance_types());

    let prepared = match client.prepare(&seed_request()) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    assert!(prepared.to_string().starts_with("curl"), "{prepared}");

    let threads: Vec<_> = (0..4)
        .map(|_| {
            let client = client.clone();
            std::thread::spawn(move || client.call(&seed_request()).map(|a| a.instance_types))
        })
        .collect();
    for thread in threads {
        match thread.join() {
            Ok(Ok(types)) => assert_eq!(types, seed_instance_types()),
            Ok(Err(e)) => panic!("{e}"),
            Err(_) => panic!("a calling thread panicked"),
        }
    }

    let wrong = build(
        blocking::Client::builder()
            .credentials(Credentials::new("testid", "not-the-secret"))
            .endpoint(&emulator.endpoint),
    );
    match wrong.call(&seed_request()) {
        Err(e) => assert_eq!(e.code(), Some("SignatureDoesNotMatch"), "{e}"),
        Ok(_) => panic!("a wrong secret passed"),
    }
}

/// The emulator's own client builder, made blocking, used from a thread of its own inside
/// an async test.
#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn the_emulators_builder_makes_a_blocking_client() {
    let emulator = common::emulator().await;
    let client = match blocking::ClientBuilder::from(emulator.client_builder()).build() {
        Ok(client) => client,
        Err(e) => panic!("{e}"),
    };
    let thread = std::thread::spawn(move || client.call(&seed_request()));
    match tokio::task::spawn_blocking(move || thread.join()).await {
        Ok(Ok(Ok(answer))) => assert_eq!(answer.instance_types, seed_instance_types()),
        Ok(Ok(Err(e))) => panic!("{e}"),
        _ => panic!("the calling thread failed"),
    }
    assert_eq!(emulator.request_count(), 1);
}

/// Inside an async runtime the blocking client sends nothing and says what to do instead,
/// and dropping it there is no panic.
#[tokio::test]
async fn a_blocking_call_inside_an_async_runtime_is_an_error() {
    let emulator = common::emulator().await;
    let client = match blocking::ClientBuilder::from(emulator.client_builder()).build() {
        Ok(client) => client,
        Err(e) => panic!("{e}"),
    };
    for result in [
        client.call(&seed_request()).map(|_| ()),
        client.prepare(&seed_request()).map(|_| ()),
    ] {
        match result {
            Err(Error::Config { message, .. }) => {
                assert!(message.contains("inside an async runtime"), "{message}");
                assert!(message.contains("as_async"), "{message}");
            }
            Err(other) => panic!("expected a configuration error, got {other}"),
            Ok(()) => panic!("a blocking call inside a runtime went through"),
        }
    }
    assert_eq!(emulator.request_count(), 0);
    drop(client);
}

/// The async client awaited without Tokio (a bare poll, as another executor would) returns
/// an error instead of reqwest's "there is no reactor running" panic.
#[test]
fn the_async_client_outside_tokio_is_an_error_not_a_panic() {
    let client = match aliyun_rpc::Client::builder()
        .credentials(Credentials::new("testid", "testsecret"))
        .endpoint("http://127.0.0.1:9")
        .build()
    {
        Ok(client) => client,
        Err(e) => panic!("{e}"),
    };
    let request = seed_request();
    let call = poll_once(client.call(&request));
    let prepare = poll_once(client.prepare(&request));
    for result in [call, prepare] {
        match result {
            Poll::Ready(Err(Error::Config { message, .. })) => {
                assert!(message.contains("needs a Tokio runtime"), "{message}");
                assert!(
                    message.contains("aliyun_rpc::blocking::Client"),
                    "{message}"
                );
            }
            Poll::Ready(Err(other)) => panic!("expected a configuration error, got {other}"),
            Poll::Ready(Ok(())) => panic!("a call without a runtime answered"),
            Poll::Pending => panic!("a call without a runtime waited"),
        }
    }
}

/// `future` polled once, outside any runtime.
fn poll_once<T>(future: impl Future<Output = Result<T, Error>>) -> Poll<Result<(), Error>> {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    future.as_mut().poll(&mut cx).map(|r| r.map(|_| ()))
}

/// `RunInstances` with the params ECS requires and a `DryRun` field (so it is `DryRun`).
#[derive(Debug, Clone, aliyun_rpc::Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "RunInstances", response = serde_json::Value)]
struct RunInstances {
    region_id: String,
    image_id: String,
    amount: Option<i32>,
    dry_run: Option<bool>,
}

/// The emulator's schema mode checks the call and answers `DryRunOperation`: `Ok(())`; a
/// value ECS refuses comes back as the service's error.
#[test]
fn a_blocking_dry_run_passes_and_fails_like_the_async_one() {
    let emulator = EmulatorThread::start();
    let client = build(emulator.client());
    let request = RunInstances::new("cn-hangzhou", "ubuntu_22_04_x64_20G_alibase_20240710.vhd");
    assert!(client.dry_run(&request).is_ok());
    let err = client.dry_run(&request.clone().amount(0)).err();
    assert_eq!(
        err.as_ref().and_then(Error::code),
        Some("InvalidParameter"),
        "{err:?}"
    );
}

#[aliyun_rpc::response]
#[derive(Debug)]
struct DescribeVpcsResponse {
    page_number: Option<i64>,
    page_size: Option<i64>,
    total_count: Option<i64>,
    vpcs: Vec<Vpc>,
}

#[aliyun_rpc::response]
#[derive(Debug)]
struct Vpc {
    vpc_id: String,
}

#[derive(Debug, Clone, aliyun_rpc::Request)]
#[rpc(product = "Vpc", version = "2016-04-28", action = "DescribeVpcs",
      response = DescribeVpcsResponse, paginate(page_number, items = "vpcs", item = Vpc))]
struct DescribeVpcs {
    region_id: String,
    vpc_name: Option<String>,
    page_number: Option<i32>,
    page_size: Option<i32>,
}

/// 5 VPCs by pages of 2 from a plain thread: three calls, each keeping the request's other
/// params; a server that answers page 1 to every call is an error, then the end.
#[test]
fn a_blocking_listing_iterates_pages_and_items() {
    use serde_json::json;
    let emulator = EmulatorThread::start_with(|| {
        aliyun_rpc_emulator::Emulator::builder().handler("2016-04-28", "DescribeVpcs", |req| {
            assert_eq!(req.param("VpcName"), Some("web"));
            let number = |name: &str, default: usize| {
                req.param(name).and_then(|v| v.parse().ok()).unwrap_or(default)
            };
            let (page, size) = (number("PageNumber", 1), number("PageSize", 10));
            let stuck = req.param("RegionId") == Some("cn-stuck");
            let page = if stuck { 1 } else { page };
            let first = (page - 1) * size;
            let vpcs: Vec<_> = (first..5.min(first + size))
                .map(|i| json!({ "VpcId": format!("vpc-{}", i + 1) }))
                .collect();
            Ok(json!({ "PageNumber": page, "PageSize": size, "TotalCount": if stuck { 100 } else { 5 },
                       "Vpcs": { "Vpc": vpcs } }))
        })
    });
    let client = build(emulator.client());
    let request = DescribeVpcs::new("cn-hangzhou")
        .vpc_name("web")
        .page_size(2);
    let pages: Vec<usize> = client
        .paginate(&request)
        .map(|page| page.map(|p| p.vpcs.len()))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pages, [2, 2, 1]);
    let ids: Vec<String> = client
        .paginate(&request)
        .items()
        .map(|vpc| vpc.map(|v| v.vpc_id))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ids, ["vpc-1", "vpc-2", "vpc-3", "vpc-4", "vpc-5"]);

    let stuck = DescribeVpcs::new("cn-stuck").vpc_name("web").page_size(2);
    let results: Vec<_> = client.paginate(&stuck).collect();
    assert_eq!(results.len(), 2, "{results:?}");
    assert!(results[0].is_ok());
    assert!(
        matches!(
            &results[1],
            Err(Error::Pagination {
                action: "DescribeVpcs",
                ..
            })
        ),
        "{results:?}"
    );
}

/// Inside a runtime the blocking listing's first item is the same error as `call`'s.
#[tokio::test]
async fn a_blocking_listing_inside_a_runtime_is_an_error() {
    let client = build(
        blocking::Client::builder()
            .credentials(Credentials::new("testid", "testsecret"))
            .region("cn-hangzhou")
            .endpoint("http://127.0.0.1:9"),
    );
    let mut pages = client.paginate(&DescribeVpcs::new("cn-hangzhou"));
    assert!(matches!(pages.next(), Some(Err(Error::Config { .. }))));
    assert!(pages.next().is_none());
}
