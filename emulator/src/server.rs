//! The HTTP side: one axum route for every request (counted, then sent to the metadata
//! service or the RPC pipeline), served in a background task until told to stop.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::Request;
use axum::response::Response;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::imds;
use crate::rpc;
use crate::shared::Shared;

/// How long [`Server::shutdown`] waits for calls in flight before cutting them off.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// A server running in a background task of the current Tokio runtime. Dropping it tells
/// the server to stop (calls in flight finish).
pub(crate) struct Server {
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves `listener` with `shared` until [`stop`](Self::stop) or drop.
    pub(crate) fn start(listener: TcpListener, shared: Arc<Shared>) -> Server {
        let router = axum::Router::new().fallback(route).with_state(shared);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serving = axum::serve(listener, router).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(err) = serving.await {
                tracing::error!(error = %err, "aliyun-rpc-emulator stopped serving");
            }
        });
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

/// Every request: counted, then the metadata service's (when enabled and the path is
/// under `/latest/`) or the RPC pipeline's.
async fn route(State(shared): State<Arc<Shared>>, request: Request<Body>) -> Response {
    shared.request_count.fetch_add(1, Ordering::SeqCst);
    let (parts, body) = request.into_parts();
    if let Some(imds) = &shared.imds {
        if parts.uri.path().starts_with(imds::PATH_PREFIX) {
            return imds.handle(&parts.method, parts.uri.path(), &parts.headers);
        }
    }
    rpc::handle(&shared, parts, body).await
}
