//! The RPC request pipeline, in Aliyun's order: read the body and decode the params (query
//! and form body), bounded → path and method → the limits → injected faults → the
//! signature checks → the nonce → dispatch to the action → a lost answer, if injected →
//! render the answer in the requested format. A call to an anonymous action (`anonymous.rs`)
//! skips the signature checks and the nonce, and nothing else.

use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use axum::response::Response;
use http_body_util::{BodyExt as _, LengthLimitError, Limited};
use time::OffsetDateTime;

use crate::anonymous::anonymous_action;
use crate::clock::system_time;
use crate::dispatch::{self, api_not_found, Handler};
use crate::error::ApiError;
use crate::faults::{throttle_headers, throttling_error, Fault};
use crate::limits::{Limits, MAX_PARAMS};
use crate::params::{decode_params, param, DecodedParams};
use crate::request::EmulatorRequest;
use crate::response::Answer;
use crate::shared::Shared;
use crate::sync::lock;
use crate::verify::{verify, Verified, VerifyError};
use crate::wire::{self, Format, FORM_CONTENT_TYPE};

/// Answers one request that is not for the metadata service.
pub(crate) async fn handle(shared: &Shared, parts: Parts, body: Body) -> Response {
    let Incoming { host, params, body } = read(shared, &parts, body).await;
    let DecodedParams { params, too_many } = params;

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
    // Refused before anything that costs: no fault, no signature, no nonce, no handler.
    if let Err(err) = body.and(admissible(too_many)) {
        return refuse(&answer, &err);
    }

    let (latency, fault) = shared.faults.decide();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let now = shared.faults.clock().now();
    answer.date = system_time(now);

    let method = parts.method.as_str();
    if let Some((version, action)) = anonymous_action(&params) {
        let found = shared.actions.find(version, action);
        let found = found.map(|handler| (handler, action.to_owned()));
        return unsigned(shared, &answer, fault, now, found, method, &parts, params);
    }
    let verified = {
        let keys = shared.keys.read();
        verify(&params, method, &keys, shared.window, now)
    };
    // Only a verified request's nonce is anyone's: unsigned floods leave no trace.
    if let Ok(verified) = &verified {
        lock(&shared.nonce_ledger).record(verified.nonce, Instant::now());
    }
    if let Some(fault) = fault {
        return faulted(&answer, fault, now);
    }
    let (handler, action) = match verified
        .map_err(|err| err.to_api_error())
        .and_then(|verified| admit(shared, &verified, now))
    {
        Ok(found) => found,
        Err(err) => return refuse(&answer, &err),
    };
    let request = EmulatorRequest::new(method, params).with_headers(header_pairs(&parts.headers));
    run(shared, &answer, handler, &action, &request)
}

/// A call to an anonymous action (see `anonymous.rs`): no signature checks and no nonce,
/// but the faults, the lookup, the handler and a lost answer as for any call.
#[allow(clippy::too_many_arguments)]
fn unsigned(
    shared: &Shared,
    answer: &Answer,
    fault: Option<Fault>,
    now: OffsetDateTime,
    found: Result<(&Handler, String), ApiError>,
    method: &str,
    parts: &Parts,
    params: Vec<(String, String)>,
) -> Response {
    if let Some(fault) = fault {
        return faulted(answer, fault, now);
    }
    let (handler, action) = match found {
        Ok(found) => found,
        Err(err) => return refuse(answer, &err),
    };
    let request = EmulatorRequest::new(method, params).with_headers(header_pairs(&parts.headers));
    run(shared, answer, handler, &action, &request)
}

/// Runs an admitted call's handler and answers, unless its answer is lost on purpose.
fn run(
    shared: &Shared,
    answer: &Answer,
    handler: &Handler,
    action: &str,
    request: &EmulatorRequest,
) -> Response {
    let outcome = dispatch::call(handler, request);
    if let Some(lost) = shared.faults.decide_lost_answer() {
        tracing::debug!(%action, request_id = %answer.request_id, ?lost, "ran, answer lost (injected)");
        return match lost.error() {
            Some(err) => refuse(answer, &err),
            None => answer.dropped(),
        };
    }
    match outcome {
        Ok(body) => {
            tracing::debug!(%action, request_id = %answer.request_id, "answered");
            answer.success(action, body)
        }
        Err(err) => refuse(answer, &err),
    }
}

/// A request as read off the connection.
struct Incoming {
    /// The `Host` header.
    host: Option<String>,
    /// Query and form body merged (the query's alone when the body could not be read).
    params: DecodedParams,
    /// Whether the body was read whole, within the size and time limits.
    body: Result<(), ApiError>,
}

/// Reads the body (bounded in size and time) and decodes the params of the query and, for
/// a form, the body.
async fn read(shared: &Shared, parts: &Parts, body: Body) -> Incoming {
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
    let body = read_body(&shared.limits, parts, body).await;
    let query = parts.uri.query().unwrap_or_default();
    let form: &[u8] = match (&body, is_form) {
        (Ok(bytes), true) => bytes,
        _ => b"",
    };
    Incoming {
        host,
        params: decode_params(query.as_bytes(), form),
        body: body.map(drop),
    }
}

/// The whole body, if it is at most `max_body_bytes` long and arrives within
/// `body_read_timeout`; Aliyun-style refusals otherwise.
async fn read_body(limits: &Limits, parts: &Parts, body: Body) -> Result<Bytes, ApiError> {
    let max = limits.max_body_bytes;
    let too_large = || {
        ApiError::bad_request(
            "InvalidParameter",
            format!("The request body is larger than the limit of {max} bytes."),
        )
    };
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > max as u64) {
        return Err(too_large());
    }
    let timeout = limits.body_read_timeout;
    match tokio::time::timeout(timeout, Limited::new(body, max).collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(err)) if err.is::<LengthLimitError>() => Err(too_large()),
        Ok(Err(_)) => Err(ApiError::bad_request(
            "InvalidParameter",
            "The request body could not be read.",
        )),
        // The connection closes after this answer: hyper does not keep alive a
        // connection whose request body was left unread.
        Err(_) => Err(ApiError::new(
            408,
            "RequestTimeout",
            format!(
                "The request body did not arrive within {} ms.",
                timeout.as_millis()
            ),
        )),
    }
}

/// Whether the params are few enough to look at.
fn admissible(too_many: bool) -> Result<(), ApiError> {
    if too_many {
        return Err(ApiError::bad_request(
            "InvalidParameter",
            format!("The request carries more than {MAX_PARAMS} parameters."),
        ));
    }
    Ok(())
}

/// The answer to a request that fault injection picked before it could run.
fn faulted(answer: &Answer, fault: Fault, now: OffsetDateTime) -> Response {
    match fault {
        Fault::Drop => {
            tracing::debug!(request_id = %answer.request_id, "dropping the connection (injected)");
            answer.dropped()
        }
        Fault::Throttle { time_left } => {
            let err = throttling_error();
            log_refusal(answer, &err);
            answer.error_with_headers(&err, throttle_headers(time_left, now))
        }
        Fault::Fail(err) => refuse(answer, &err),
    }
}

/// After the signature checks: the nonce, then the lookup — the action's handler and name.
fn admit<'s>(
    shared: &'s Shared,
    verified: &Verified<'_>,
    now: OffsetDateTime,
) -> Result<(&'s Handler, String), ApiError> {
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
