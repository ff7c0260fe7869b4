//! Entry points for the fuzz targets in `emulator/fuzz/` (feature `fuzzing`): the parsers
//! that see untrusted bytes, reachable from outside the crate. Not a public API: hidden,
//! and may change at any time.

use std::collections::HashMap;
use std::time::Duration;

use crate::keys::AccessKey;
use crate::params::{decode_params, decode_query};
use crate::schema::built_in_ecs;
use crate::schema_check::{check, Strictness};
use crate::verify::verify;
use crate::verify_v3::{verify_v3, V3Request};

/// The params of `query` and a form `body`, as the emulator decodes them, and whether there
/// were more than [`MAX_PARAMS`](crate::MAX_PARAMS).
pub fn decode(query: &[u8], body: &[u8]) -> (Vec<(String, String)>, bool) {
    let decoded = decode_params(query, body);
    (decoded.params, decoded.too_many)
}

/// Decodes `query` and `body`, then runs every signature check with key `testid` /
/// `testsecret`, a ±15 minute window and "now" at `now_unix` seconds: whether the request
/// verifies, or the error code it gets.
pub fn decode_and_verify(
    query: &[u8],
    body: &[u8],
    method: &str,
    now_unix: i64,
) -> Result<(), String> {
    let decoded = decode_params(query, body);
    verify(
        &decoded.params,
        method,
        &default_keys(),
        Duration::from_secs(15 * 60),
        at(now_unix),
    )
    .map(drop)
    .map_err(|err| err.to_api_error().code().to_owned())
}

/// Runs every signature V3 check on a request with this `Authorization` value, these
/// headers (`(name, value)`, names lower-cased here), query and body, with key `testid` /
/// `testsecret`, a ±15 minute window and "now" at `now_unix` seconds: whether it verifies,
/// or the error code it gets.
pub fn verify_v3_request(
    authorization: &str,
    headers: &[(String, String)],
    query: &[u8],
    body: &[u8],
    method: &str,
    now_unix: i64,
) -> Result<(), String> {
    let headers: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
        .collect();
    let query = decode_query(query);
    let request = V3Request {
        method,
        authorization,
        headers: &headers,
        query: &query,
        body,
    };
    verify_v3(
        &request,
        &default_keys(),
        Duration::from_secs(15 * 60),
        at(now_unix),
    )
    .map(drop)
    .map_err(|err| err.to_api_error().code().to_owned())
}

/// Decodes `query` and runs schema mode's checks of the built-in ECS action `action` (strict,
/// or allowing undeclared params): whether the params pass, or the error code and message
/// they get. `None` for an action ECS does not have.
pub fn schema_check(
    action: &str,
    query: &[u8],
    allow_undeclared: bool,
) -> Option<Result<(), (String, String)>> {
    let ecs = built_in_ecs().ok()?;
    let schema = ecs.actions.iter().find(|a| a.api.name == action)?;
    let decoded = decode_params(query, b"");
    let params = decoded.params.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let strictness = Strictness {
        allow_undeclared,
        required: true,
        also_declared: &[],
    };
    Some(check(schema, params, strictness).map_err(|problem| {
        let err = problem.to_api_error(&schema.api, &schema.version);
        (err.code().to_owned(), err.message().to_owned())
    }))
}

fn default_keys() -> HashMap<String, AccessKey> {
    let mut keys = HashMap::new();
    keys.insert(
        crate::DEFAULT_ACCESS_KEY_ID.to_owned(),
        AccessKey {
            secret: crate::DEFAULT_ACCESS_KEY_SECRET.to_owned(),
            sts: None,
        },
    );
    keys
}

fn at(now_unix: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(now_unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}
