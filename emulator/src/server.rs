//! The HTTP side: one handler for every request, which counts it, sends metadata paths to
//! the metadata service, and for RPC calls decodes the params, applies injected faults,
//! runs the checks in Aliyun's order and renders the answer.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{to_bytes, Body};
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, Request};
use axum::response::Response;

use crate::clock::system_time;
use crate::dispatch::{self, api_not_found, Actions};
use crate::error::ApiError;
use crate::faults::{throttle_headers, throttling_error, Fault, Faults};
use crate::imds::{self, Imds};
use crate::keys::KeyStore;
use crate::nonces::{NonceCache, NonceLedger};
use crate::params::{decode_params, param};
use crate::request::EmulatorRequest;
use crate::response::Answer;
use crate::security_group::SecurityGroups;
use crate::sts::Sts;
use crate::sync::lock;
use crate::verify::{verify, VerifyError};
use crate::wire::{self, Format, FORM_CONTENT_TYPE};

/// Bodies larger than this are refused; RPC calls are a few KiB.
const MAX_BODY: usize = 8 * 1024 * 1024;

/// What every request handler shares.
pub(crate) struct Shared {
    pub(crate) keys: Arc<KeyStore>,
    pub(crate) window: Duration,
    pub(crate) nonces: Mutex<NonceCache>,
    pub(crate) nonce_ledger: Mutex<NonceLedger>,
    pub(crate) actions: Actions,
    pub(crate) request_count: AtomicU64,
    pub(crate) faults: Arc<Faults>,
    pub(crate) sts: Arc<Sts>,
    pub(crate) security_groups: Arc<SecurityGroups>,
    pub(crate) imds: Option<Imds>,
}

pub(crate) async fn handle(State(shared): State<Arc<Shared>>, request: Request<Body>) -> Response {
    shared.request_count.fetch_add(1, Ordering::SeqCst);
    let (parts, body) = request.into_parts();
    if let Some(imds) = &shared.imds {
        if parts.uri.path().starts_with(imds::PATH_PREFIX) {
            return imds.handle(&parts.method, parts.uri.path(), &parts.headers);
        }
    }
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned);
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|ct| {
            ct.split(';')
                .next()
                .is_some_and(|mime| mime.trim().eq_ignore_ascii_case(FORM_CONTENT_TYPE))
        });
    let body = to_bytes(body, MAX_BODY).await;
    let query = parts.uri.query().unwrap_or_default();
    let form: &[u8] = match (&body, is_form) {
        (Ok(bytes), true) => bytes,
        _ => b"",
    };
    let params = decode_params(query.as_bytes(), form);

    let mut answer = Answer::new(
        Format::from_param(param(&params, wire::param::FORMAT)),
        host.as_deref(),
    );
    answer.product = shared
        .actions
        .product_of(param(&params, wire::param::VERSION));
    answer.date = system_time(shared.faults.clock().now());
    let method = parts.method.as_str();
    if parts.uri.path() != "/" || !(parts.method == Method::GET || parts.method == Method::POST) {
        return answer.error(&api_not_found());
    }
    if body.is_err() {
        return answer.error(&ApiError::bad_request(
            "InvalidParameter",
            "The request body could not be read or is too large.",
        ));
    }

    if let Some(nonce) = param(&params, wire::param::SIGNATURE_NONCE).filter(|n| !n.is_empty()) {
        lock(&shared.nonce_ledger).record(nonce, Instant::now());
    }
    let (latency, fault) = shared.faults.decide();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let now = shared.faults.clock().now();
    answer.date = system_time(now);
    match fault {
        None => {}
        Some(Fault::Drop) => {
            tracing::debug!(request_id = %answer.request_id, "dropping the connection (injected)");
            return answer.dropped();
        }
        Some(Fault::Throttle { time_left }) => {
            let mut response = refuse(&answer, throttling_error());
            for (name, value) in throttle_headers(time_left, now) {
                if let Ok(value) = HeaderValue::from_str(&value) {
                    response.headers_mut().insert(name, value);
                }
            }
            return response;
        }
        Some(Fault::Fail(err)) => return refuse(&answer, err),
    }

    let verified = {
        let keys = shared.keys.read();
        verify(&params, method, &keys, shared.window, now)
    };
    let verified = match verified {
        Ok(verified) => verified,
        Err(err) => return refuse(&answer, err.to_api_error()),
    };
    let nonce_check = lock(&shared.nonces).check_and_record(
        verified.access_key_id,
        verified.nonce,
        verified.timestamp,
        now,
    );
    if nonce_check.is_err() {
        return refuse(&answer, VerifyError::NonceUsed.to_api_error());
    }

    let handler = match shared.actions.find(verified.version, verified.action) {
        Ok(handler) => handler,
        Err(err) => return refuse(&answer, err),
    };
    let action = verified.action.to_owned();
    let call = EmulatorRequest::new(method, params).with_headers(
        parts
            .headers
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?))),
    );
    match dispatch::call(handler, &call) {
        Ok(body) => {
            tracing::debug!(%action, request_id = %answer.request_id, "answered");
            answer.success(&action, body)
        }
        Err(err) => refuse(&answer, err),
    }
}

fn refuse(answer: &Answer, err: ApiError) -> Response {
    tracing::debug!(code = err.code(), request_id = %answer.request_id, "refused");
    answer.error(&err)
}
