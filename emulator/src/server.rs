//! The HTTP side: accepting connections (at most `max_connections` at once), serving each
//! with HTTP/1.1 under the header-read timeout (which is also the idle keep-alive timeout),
//! and routing every request (counted, then sent to the credentials URI, the metadata
//! service or the RPC pipeline), in a background task until told to stop.

use std::convert::Infallible;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use axum::response::Response;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Semaphore};
use tokio::task::{JoinHandle, JoinSet};

use crate::imds;
use crate::limits::{Limits, MAX_HEAD_BYTES};
use crate::rpc;
use crate::shared::Shared;

/// How long [`Server::shutdown`] waits for calls in flight before cutting them off.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// How long to wait before accepting again when `accept` fails (out of file descriptors,
/// most likely: retrying at once would spin).
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// A server running in a background task of the current Tokio runtime. Dropping it tells
/// the server to stop (calls in flight finish).
pub(crate) struct Server {
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves `listener` with `shared` until [`stop`](Self::stop) or drop.
    pub(crate) fn start(listener: TcpListener, shared: Arc<Shared>) -> Server {
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, shared, stopped));
        Server {
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Tells the server to stop: it accepts no more connections and its task ends by
    /// itself once calls in flight finish.
    pub(crate) fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Stops the server and waits until it has: calls in flight get
    /// [`SHUTDOWN_GRACE`] to finish, then are cut off.
    pub(crate) async fn shutdown(&mut self) {
        self.stop();
        if let Some(mut task) = self.task.take() {
            if tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
                .await
                .is_err()
            {
                task.abort();
                let _ = task.await;
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The accept loop: a connection is accepted only once one of `max_connections` permits is
/// free (the others wait in the listen backlog, costing the emulator nothing), and is
/// served in a task of its own that holds the permit. On stop, idle connections close at
/// once and calls in flight get [`SHUTDOWN_GRACE`]; the connection tasks end with this one.
async fn serve(listener: TcpListener, shared: Arc<Shared>, mut stopped: oneshot::Receiver<()>) {
    let limits = shared.limits.clone();
    let http = http1_builder(&limits);
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        let permit = tokio::select! {
            _ = &mut stopped => break,
            permit = Arc::clone(&permits).acquire_owned() => permit,
        };
        let Ok(permit) = permit else { break };
        let stream = tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => accepted,
        };
        let stream = match stream {
            Ok((stream, _)) => stream,
            Err(err) => {
                tracing::warn!(error = %err, "cannot accept a connection");
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let shared = Arc::clone(&shared);
        let service = service_fn(move |request: Request<Incoming>| {
            let shared = Arc::clone(&shared);
            async move { Ok::<_, Infallible>(route(&shared, request.map(Body::new)).await) }
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        connections.spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, "connection closed");
            }
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(SHUTDOWN_GRACE) => {}
    }
    connections.shutdown().await;
}

/// HTTP/1.1 with the limits: the head's size, and the time to read it — from when the
/// connection opens or its previous answer was sent, so an idle keep-alive connection is
/// closed after the same time as a slow one.
fn http1_builder(limits: &Limits) -> http1::Builder {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_header_size(MAX_HEAD_BYTES)
        .keep_alive(true);
    http
}

/// Every request: counted, then the credentials URI's (when enabled and the path is its
/// own), the metadata service's (when enabled and the path is under `/latest/`) or the RPC
/// pipeline's.
async fn route(shared: &Shared, request: Request<Body>) -> Response {
    shared.request_count.fetch_add(1, Ordering::SeqCst);
    let (parts, body) = request.into_parts();
    if let Some(uri) = &shared.credentials_uri {
        if parts.uri.path() == uri.path() {
            return uri.handle(&parts.method).await;
        }
    }
    if let Some(imds) = &shared.imds {
        if parts.uri.path().starts_with(imds::PATH_PREFIX) {
            return imds.handle(&parts.method, parts.uri.path(), &parts.headers);
        }
    }
    rpc::handle(shared, parts, body).await
}
