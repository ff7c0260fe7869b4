//! The ECS instance metadata service, RAM role part: what the `EcsRamRole` credentials
//! provider reads on an ECS instance (<https://help.aliyun.com/document_detail/214777.html>):
//!
//! - `PUT /latest/api/token` with `X-aliyun-ecs-metadata-token-ttl-seconds: 1..=21600`
//!   → a session token, `text/plain` (IMDSv2, "hardened mode").
//! - `GET /latest/meta-data/ram/security-credentials/` → the role name.
//! - `GET /latest/meta-data/ram/security-credentials/<role>` → the credentials document.
//!
//! These are plain HTTP requests, not signed RPC calls: they never go through the
//! signature checks nor fault injection.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::clock::system_time;
use crate::ids::random_alphanumeric;
use crate::sts::Sts;
use crate::sync::lock;
use crate::wire::format_timestamp;

/// The role name the metadata service serves by default (see
/// [`EmulatorBuilder::ecs_ram_role`](crate::EmulatorBuilder::ecs_ram_role)).
pub const DEFAULT_ECS_RAM_ROLE: &str = "EcsRamRoleTest";
/// Where every metadata path starts; the server dispatches on it.
pub(crate) const PATH_PREFIX: &str = "/latest/";

const TOKEN_PATH: &str = "/latest/api/token";
const CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials";
const TTL_HEADER: &str = "x-aliyun-ecs-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "x-aliyun-ecs-metadata-token";
const MAX_TOKEN_TTL: u64 = 21_600;
/// How long credentials from the metadata service live (ECS rotates them well before).
const CREDENTIALS_LIFETIME: Duration = Duration::from_secs(6 * 60 * 60);

/// Below this many tokens the store is swept only by time; above it, also by size,
/// amortized (the next sweep when it has doubled).
const MIN_SWEEP_LEN: usize = 1024;
/// The token store is swept at least this often.
const SWEEP_INTERVAL: Duration = Duration::from_secs(60);

/// The metadata session tokens, swept of expired ones in amortized constant time per token
/// (it used to scan every token for each new one).
#[derive(Default)]
struct Tokens {
    valid_until: HashMap<String, Instant>,
    sweep_at_len: usize,
    next_sweep: Option<Instant>,
}

impl Tokens {
    fn insert(&mut self, token: String, now: Instant, ttl: Duration) {
        if self.valid_until.len() >= self.sweep_at_len.max(MIN_SWEEP_LEN)
            || self.next_sweep.is_none_or(|at| now >= at)
        {
            self.valid_until.retain(|_, until| *until > now);
            self.sweep_at_len = self.valid_until.len().saturating_mul(2);
            self.next_sweep = now.checked_add(SWEEP_INTERVAL);
        }
        if let Some(until) = now.checked_add(ttl) {
            self.valid_until.insert(token, until);
        }
    }
}

/// The metadata service of one emulator.
pub(crate) struct Imds {
    role: String,
    require_token: bool,
    sts: Arc<Sts>,
    /// Session tokens and when they stop being valid (real time, not the skewed clock).
    tokens: Mutex<Tokens>,
    served: AtomicU64,
}

impl Imds {
    pub(crate) fn new(role: String, require_token: bool, sts: Arc<Sts>) -> Self {
        Imds {
            role,
            require_token,
            sts,
            tokens: Mutex::new(Tokens::default()),
            served: AtomicU64::new(0),
        }
    }

    /// How many credential documents were served.
    pub(crate) fn served(&self) -> u64 {
        self.served.load(Ordering::SeqCst)
    }

    pub(crate) fn handle(&self, method: &Method, path: &str, headers: &HeaderMap) -> Response {
        if path == TOKEN_PATH {
            return if method == Method::PUT {
                self.new_token(headers)
            } else {
                self.text(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed")
            };
        }
        if method != Method::GET {
            return self.text(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed");
        }
        if !self.token_ok(headers) {
            return self.text(StatusCode::UNAUTHORIZED, "Unauthorized");
        }
        match path.strip_prefix(CREDENTIALS_PATH) {
            Some("" | "/") => self.text(StatusCode::OK, &self.role),
            Some(role) if role.strip_prefix('/') == Some(self.role.as_str()) => self.credentials(),
            _ => self.text(StatusCode::NOT_FOUND, "Not Found"),
        }
    }

    fn new_token(&self, headers: &HeaderMap) -> Response {
        let ttl = headers
            .get(TTL_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|ttl| (1..=MAX_TOKEN_TTL).contains(ttl));
        let Some(ttl) = ttl else {
            return self.text(StatusCode::BAD_REQUEST, "Bad Request");
        };
        let token = random_alphanumeric(56);
        let now = Instant::now();
        lock(&self.tokens).insert(token.clone(), now, Duration::from_secs(ttl));
        self.text(StatusCode::OK, &token)
    }

    /// A token, when sent, must be valid; without one the request passes unless
    /// `require_token` is on.
    fn token_ok(&self, headers: &HeaderMap) -> bool {
        match headers.get(TOKEN_HEADER) {
            None => !self.require_token,
            Some(sent) => {
                let tokens = lock(&self.tokens);
                sent.to_str()
                    .ok()
                    .and_then(|t| tokens.valid_until.get(t))
                    .is_some_and(|until| *until > Instant::now())
            }
        }
    }

    /// A fresh set of credentials every time; earlier ones stay valid until they expire.
    fn credentials(&self) -> Response {
        let issued = self.sts.issue(CREDENTIALS_LIFETIME);
        self.served.fetch_add(1, Ordering::SeqCst);
        let document = json!({
            "AccessKeyId": issued.access_key_id,
            "AccessKeySecret": issued.access_key_secret,
            "SecurityToken": issued.security_token,
            "Expiration": format_timestamp(issued.expiration),
            "LastUpdated": format_timestamp(self.sts.clock().now()),
            "Code": "Success",
        });
        self.text(StatusCode::OK, &document.to_string())
    }

    /// Metadata answers are `text/plain`, JSON documents included, as on ECS.
    fn text(&self, status: StatusCode, body: &str) -> Response {
        let mut response = (status, body.to_owned()).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        let date = httpdate::fmt_http_date(system_time(self.sts.clock().now()));
        if let Ok(date) = HeaderValue::from_str(&date) {
            headers.insert(header::DATE, date);
        }
        response
    }
}
