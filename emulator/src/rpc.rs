//! The RPC request pipeline, in Aliyun's order: decode the params (query and form body)
//! → path and method → injected faults → the signature checks → the nonce → dispatch to
//! the action → render the answer in the requested format.

use std::time::Instant;

use axum::body::{to_bytes, Body};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use axum::response::Response;
use time::OffsetDateTime;

use crate::clock::system_time;
use crate::dispatch::{self, api_not_found, Handler};
use crate::error::ApiError;
use crate::faults::{throttle_headers, throttling_error, Fault};
use crate::params::{decode_params, param};
use crate::request::EmulatorRequest;
use crate::response::Answer;
use crate::shared::Shared;
use crate::sync::lock;
use crate::verify::{verify, VerifyError};
use crate::wire::{self, Format, FORM_CONTENT_TYPE};

/// Bodies larger than this are refused; RPC calls are a few KiB.
const MAX_BODY: usize = 8 * 1024 * 1024;

/// Answers one request that is not for the metadata service.
pub(crate) async fn handle(shared: &Shared, parts: Parts, body: Body) -> Response {
    let Decoded {
        host,
        params,
        body_read,
    } = decode(&parts, body).await;

    let mut answer = Answer::new(
        Format::from_param(param(&params, wire::param::FORMAT)),
        host.as_deref(),
    );
    answer.product = shared
        .actions
        .product_of(param(&params, wire::param::VERSION));
    answer.date = system_time(shared.faults.clock().now());
    if parts.uri.path() != "/" || !(parts.method == Method::GET || parts.method == Method::POST) {
        return answer.error(&api_not_found());
    }
    if !body_read {
        return answer.error(&ApiError::bad_request(
            "InvalidParameter",
            "The request body could not be read or is too large.",
        ));
    }

    if let Some(nonce) = param(&params, wire::param::SIGNATURE_NONCE).filter(|n| !n.is_empty()) {
        lock(&shared.nonce_ledger).record(nonce, Instant::now());
    }
    let now = match inject_faults(shared, &mut answer).await {
        Ok(now) => now,
        Err(faulted) => return faulted,
    };

    let method = parts.method.as_str();
    let (handler, action) = match check(shared, &params, method, now) {
        Ok(found) => found,
        Err(err) => return refuse(&answer, &err),
    };
    let request = EmulatorRequest::new(method, params).with_headers(header_pairs(&parts.headers));
    match dispatch::call(handler, &request) {
        Ok(body) => {
            tracing::debug!(%action, request_id = %answer.request_id, "answered");
            answer.success(&action, body)
        }
        Err(err) => refuse(&answer, &err),
    }
}

/// A request's params, decoded.
struct Decoded {
    /// The `Host` header.
    host: Option<String>,
    /// Query and form body merged.
    params: Vec<(String, String)>,
    /// Whether the body could be read (within [`MAX_BODY`]).
    body_read: bool,
}

/// Reads the body (bounded) and decodes the params of the query and, for a form, the body.
async fn decode(parts: &Parts, body: Body) -> Decoded {
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
    Decoded {
        host,
        params: decode_params(query.as_bytes(), form),
        body_read: body.is_ok(),
    }
}

/// Waits out the injected latency, then applies the injected fault, if any: the
/// emulator's "now" to go on with, or the faulted answer.
async fn inject_faults(shared: &Shared, answer: &mut Answer) -> Result<OffsetDateTime, Response> {
    let (latency, fault) = shared.faults.decide();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let now = shared.faults.clock().now();
    answer.date = system_time(now);
    match fault {
        None => Ok(now),
        Some(Fault::Drop) => {
            tracing::debug!(request_id = %answer.request_id, "dropping the connection (injected)");
            Err(answer.dropped())
        }
        Some(Fault::Throttle { time_left }) => {
            let err = throttling_error();
            log_refusal(answer, &err);
            Err(answer.error_with_headers(&err, throttle_headers(time_left, now)))
        }
        Some(Fault::Fail(err)) => Err(refuse(answer, &err)),
    }
}

/// The signature checks, then the nonce, then the lookup: the action's handler and name.
fn check<'s>(
    shared: &'s Shared,
    params: &[(String, String)],
    method: &str,
    now: OffsetDateTime,
) -> Result<(&'s Handler, String), ApiError> {
    let verified = {
        let keys = shared.keys.read();
        verify(params, method, &keys, shared.window, now)
    }
    .map_err(|err| err.to_api_error())?;
    lock(&shared.nonces)
        .check_and_record(
            verified.access_key_id,
            verified.nonce,
            verified.timestamp,
            now,
        )
        .map_err(|_| VerifyError::NonceUsed.to_api_error())?;
    let handler = shared.actions.find(verified.version, verified.action)?;
    Ok((handler, verified.action.to_owned()))
}

/// Every header with a UTF-8 value, for [`EmulatorRequest::with_headers`].
fn header_pairs(headers: &HeaderMap) -> impl Iterator<Item = (&str, &str)> {
    headers
        .iter()
        .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
}

fn refuse(answer: &Answer, err: &ApiError) -> Response {
    log_refusal(answer, err);
    answer.error(err)
}

fn log_refusal(answer: &Answer, err: &ApiError) {
    tracing::debug!(code = err.code(), request_id = %answer.request_id, "refused");
}
