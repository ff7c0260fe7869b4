//! An action whose answers the test scripts: it fails a given number of times with a given
//! code, then succeeds, and records the nonce and client token of every call that reached it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use aliyun_rpc::{Client, Request, RetryPolicy};
use aliyun_rpc_emulator::{ApiError, Emulator, EmulatorRequest};
use serde_json::json;

/// The scripted action; its token is filled in by the client when left unset.
#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "Scripted", response = serde_json::Value)]
pub struct Scripted {
    #[rpc(client_token)]
    pub client_token: Option<String>,
}

/// What the scripted action saw: one entry per call that reached it.
#[derive(Clone, Default)]
pub struct Seen {
    pub nonces: Arc<Mutex<Vec<String>>>,
    pub tokens: Arc<Mutex<Vec<String>>>,
}

/// Starts an emulator whose `Scripted` action fails `failures` times with `(code, status)`,
/// then succeeds.
pub async fn scripted(failures: usize, code: &'static str, status: u16) -> (Emulator, Seen) {
    let seen = Seen::default();
    let calls = Arc::new(AtomicUsize::new(0));
    let record = seen.clone();
    let handler = move |req: &EmulatorRequest| {
        if let Ok(mut n) = record.nonces.lock() {
            n.push(req.param("SignatureNonce").unwrap_or_default().to_owned());
        }
        if let Ok(mut t) = record.tokens.lock() {
            t.push(req.param("ClientToken").unwrap_or_default().to_owned());
        }
        if calls.fetch_add(1, Ordering::SeqCst) < failures {
            Err(ApiError::new(status, code, "scripted failure"))
        } else {
            Ok(json!({ "Done": true }))
        }
    };
    let emulator =
        super::start(Emulator::builder().handler("2014-05-26", "Scripted", handler)).await;
    (emulator, seen)
}

/// A client for `emulator` with `policy`.
pub fn client(emulator: &Emulator, policy: RetryPolicy) -> Client {
    super::build(super::builder(emulator).retry(policy))
}

/// A copy of what `m` holds, poisoned or not.
pub fn lock<T: Clone>(m: &Mutex<T>) -> T {
    m.lock()
        .map(|g| g.clone())
        .unwrap_or_else(|e| e.into_inner().clone())
}
