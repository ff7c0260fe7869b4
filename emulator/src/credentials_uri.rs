//! An optional credentials URI, what `ALIBABA_CLOUD_CREDENTIALS_URI` (or a CLI profile of
//! mode `CredentialsURI`) points a client at: `GET <path>` answers a JSON document of fresh
//! temporary credentials that the RPC side accepts until they expire, as aliyun-cli expects
//! it:
//!
//! ```json
//! {"Code": "Success", "AccessKeyId": "STS.…", "AccessKeySecret": "…",
//!  "SecurityToken": "CAIS…", "Expiration": "2026-11-27T06:00:00Z",
//!  "LastUpdated": "2026-11-27T05:00:00Z"}
//! ```
//!
//! Fault injection reaches it as it reaches the RPC calls (see [`Faults`](crate::Faults)):
//! a dropped connection, a throttling answer, an injected error (as a JSON error document
//! with the injected status).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::clock::system_time;
use crate::error::ApiError;
use crate::faults::{throttle_headers, throttling_error, Fault, Faults};
use crate::response::Answer;
use crate::sts::Sts;
use crate::wire::{format_timestamp, Format};

/// How long the credentials served live (unless `sts_duration_override` says otherwise).
const CREDENTIALS_LIFETIME: Duration = Duration::from_secs(60 * 60);

/// The credentials URI of one emulator.
pub(crate) struct CredentialsUri {
    path: String,
    sts: Arc<Sts>,
    faults: Arc<Faults>,
    served: AtomicU64,
}

impl CredentialsUri {
    pub(crate) fn new(path: String, sts: Arc<Sts>, faults: Arc<Faults>) -> Self {
        CredentialsUri {
            path,
            sts,
            faults,
            served: AtomicU64::new(0),
        }
    }

    /// The path it answers at (`/…`, never `/` alone).
    pub(crate) fn path(&self) -> &str {
        &self.path
    }

    /// How many credential documents were served.
    pub(crate) fn served(&self) -> u64 {
        self.served.load(Ordering::SeqCst)
    }

    /// Answers a request for the path: `GET` only, faults first.
    pub(crate) async fn handle(&self, method: &Method) -> Response {
        let (latency, fault) = self.faults.decide();
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        let now = self.sts.clock().now();
        let mut answer = Answer::new(Format::Json, None);
        answer.date = system_time(now);
        match fault {
            Some(Fault::Drop) => return answer.dropped(),
            Some(Fault::Throttle { time_left }) => {
                return answer
                    .error_with_headers(&throttling_error(), throttle_headers(time_left, now))
            }
            Some(Fault::Fail(err)) => return answer.error(&err),
            None => {}
        }
        if method != Method::GET {
            return answer.error(&ApiError::new(
                405,
                "MethodNotAllowed",
                "The credentials URI answers GET only.",
            ));
        }
        let issued = self.sts.issue(CREDENTIALS_LIFETIME);
        self.served.fetch_add(1, Ordering::SeqCst);
        let document = json!({
            "Code": "Success",
            "AccessKeyId": issued.access_key_id,
            "AccessKeySecret": issued.access_key_secret,
            "SecurityToken": issued.security_token,
            "Expiration": format_timestamp(issued.expiration),
            "LastUpdated": format_timestamp(now),
        });
        let mut response = (StatusCode::OK, document.to_string()).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json;charset=utf-8"),
        );
        if let Ok(date) = HeaderValue::from_str(&httpdate::fmt_http_date(answer.date)) {
            headers.insert(header::DATE, date);
        }
        response
    }
}
