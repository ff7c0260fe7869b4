//! The RPC request pipeline, in Aliyun's order: read the request (`incoming.rs`: the body
//! and the params, bounded; v1 or V3) → path and method → the limits → injected faults →
//! the signature checks (`verify.rs` or `verify_v3.rs`) → the nonce (one store for both) →
//! dispatch to the action → a lost answer, if injected → render the answer in the requested
//! format. A call to an anonymous action (`anonymous.rs`) skips the signature checks and the
//! nonce, and nothing else.

use std::time::Instant;

use axum::body::Body;
use axum::http::request::Parts;
use axum::http::Method;
use axum::response::Response;
use time::OffsetDateTime;

use crate::anonymous::anonymous_action;
use crate::clock::system_time;
use crate::dispatch::{api_not_found, Route};
use crate::error::ApiError;
use crate::faults::{throttle_headers, throttling_error, Fault};
use crate::incoming::{self, Incoming, Signing};
use crate::limits::MAX_PARAMS;
use crate::params::{decode_query, DecodedParams};
use crate::refusal::VerifyError;
use crate::request::{EmulatorRequest, SignatureVersion};
use crate::response::Answer;
use crate::shared::Shared;
use crate::sync::lock;
use crate::verify::{verify, Verified};
use crate::verify_v3::{verify_v3, V3Request};

/// Answers one request that is not for the metadata service.
pub(crate) async fn handle(shared: &Shared, parts: Parts, body: Body) -> Response {
    let incoming = incoming::read(&shared.limits, &parts, body).await;
    let mut answer = Answer::new(incoming.format, incoming.host.as_deref());
    answer.product = shared.actions.product_of(incoming.version());
    answer.date = system_time(shared.faults.clock().now());
    let Incoming {
        headers,
        params: DecodedParams { params, too_many },
        body,
        signing,
        ..
    } = incoming;
    if parts.uri.path() != "/" || !(parts.method == Method::GET || parts.method == Method::POST) {
        return answer.error(&api_not_found());
    }
    // Refused before anything that costs: no fault, no signature, no nonce, no handler.
    let body = match body.and_then(|body| admissible(too_many).map(|()| body)) {
        Ok(body) => body,
        Err(err) => return refuse(&answer, &err),
    };

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
        let request = EmulatorRequest::new(method, params)
            .with_headers(headers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        return unsigned(shared, &answer, fault, now, found, &request);
    }
    // V3 signs the query as sent, apart from a form body (which its hash covers).
    let query = match signing {
        Signing::V1 => Vec::new(),
        Signing::V3 { .. } => decode_query(parts.uri.query().unwrap_or_default().as_bytes()),
    };
    let verified = {
        let keys = shared.keys.read();
        match &signing {
            Signing::V1 => verify(&params, method, &keys, shared.window, now),
            Signing::V3 { authorization } => {
                let request = V3Request {
                    method,
                    authorization,
                    headers: &headers,
                    query: &query,
                    body: &body,
                };
                verify_v3(&request, &keys, shared.window, now)
            }
        }
    };
    // Only a verified request's nonce is anyone's: unsigned floods leave no trace.
    if let Ok(verified) = &verified {
        lock(&shared.nonce_ledger).record(verified.nonce, Instant::now());
    }
    if let Some(fault) = fault {
        return faulted(&answer, fault, now);
    }
    let verified = match verified.map_err(|err| err.to_api_error()) {
        Ok(verified) => verified,
        Err(err) => return refuse(&answer, &err),
    };
    let route = match admit(shared, &verified, now) {
        Ok(route) => route,
        Err(err) => return refuse(&answer, &err),
    };
    let action = verified.action.to_owned();
    // V3 names its action, version and key outside the params.
    let v3_call = match signing {
        Signing::V1 => None,
        Signing::V3 { .. } => Some((
            verified.version.to_owned(),
            verified.access_key_id.into_owned(),
        )),
    };
    let mut request = EmulatorRequest::new(method, params)
        .with_headers(headers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    if let Some((version, access_key_id)) = v3_call {
        request = request.signed_v3(action.as_str(), version, access_key_id);
    }
    run(shared, &answer, route, &action, &request, signing.version())
}

/// A call to an anonymous action (see `anonymous.rs`): no signature checks and no nonce,
/// but the faults, the lookup, the handler and a lost answer as for any call.
fn unsigned(
    shared: &Shared,
    answer: &Answer,
    fault: Option<Fault>,
    now: OffsetDateTime,
    found: Result<(&Route, String), ApiError>,
    request: &EmulatorRequest,
) -> Response {
    if let Some(fault) = fault {
        return faulted(answer, fault, now);
    }
    match found {
        Ok((route, action)) => {
            let signature = request.signature_version();
            run(shared, answer, route, &action, request, signature)
        }
        Err(err) => refuse(answer, &err),
    }
}

/// Runs an admitted call's route and answers, unless its answer is lost on purpose. Schema
/// mode refuses a call that does not match its action's definition before the action runs
/// (so never with a lost answer), handlers included.
fn run(
    shared: &Shared,
    answer: &Answer,
    route: &Route,
    action: &str,
    request: &EmulatorRequest,
    signature: SignatureVersion,
) -> Response {
    if let Err(err) = shared.actions.check(route, request) {
        return refuse(answer, &err);
    }
    let outcome = route.run(request);
    if let Some(lost) = shared.faults.decide_lost_answer() {
        tracing::debug!(%action, request_id = %answer.request_id, ?lost, "ran, answer lost (injected)");
        return match lost.error() {
            Some(err) => refuse(answer, &err),
            None => answer.dropped(),
        };
    }
    match outcome {
        Ok(body) => {
            tracing::debug!(%action, %signature, request_id = %answer.request_id, "answered");
            answer.success(action, body)
        }
        Err(err) => refuse(answer, &err),
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

/// After the signature checks: the nonce (v1 and V3 share the store: a nonce a v1 call
/// used cannot be replayed in a V3 call by the same key, nor the other way), then the
/// action's route.
fn admit<'s>(
    shared: &'s Shared,
    verified: &Verified<'_>,
    now: OffsetDateTime,
) -> Result<&'s Route, ApiError> {
    lock(&shared.nonces)
        .check_and_record(
            &verified.access_key_id,
            verified.nonce,
            verified.timestamp,
            now,
        )
        .map_err(|_| VerifyError::NonceUsed.to_api_error())?;
    shared.actions.find(verified.version, verified.action)
}

fn refuse(answer: &Answer, err: &ApiError) -> Response {
    log_refusal(answer, err);
    answer.error(err)
}

fn log_refusal(answer: &Answer, err: &ApiError) {
    tracing::debug!(code = err.code(), request_id = %answer.request_id, "refused");
}
