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
        let (ready, endpoint) = mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => panic!("{e}"),
            };
            runtime.block_on(async move {
                let emulator = common::emulator().await;
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
