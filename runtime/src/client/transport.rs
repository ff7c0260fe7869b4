//! The HTTP exchange of one attempt over reqwest: the request as prepared, the whole answer
//! under one timer, and transport failures mapped to [`Error::Transport`] without the URL's
//! query (which holds a `GET`'s signature).

use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use super::prepared::Signature;
use super::{Client, PreparedRequest};
use crate::error::variants::is_dns_error;
use crate::error::{Error, TransportKind};
use crate::limits::{read_body, BodyError};
use crate::request::Method;
use crate::retry::rate_limit_wait;
use crate::wire;

/// Headers of every call, made once (static bytes: cloning one allocates nothing).
const X_ACS_ACTION: HeaderName = HeaderName::from_static(wire::X_ACS_ACTION);
const X_ACS_VERSION: HeaderName = HeaderName::from_static(wire::X_ACS_VERSION);
const X_ACS_REQUEST_ID: HeaderName = HeaderName::from_static(wire::X_ACS_REQUEST_ID);
const X_ACS_DATE: HeaderName = HeaderName::from_static(wire::X_ACS_DATE);
const X_ACS_SIGNATURE_NONCE: HeaderName = HeaderName::from_static(wire::X_ACS_SIGNATURE_NONCE);
const X_ACS_CONTENT_SHA256: HeaderName = HeaderName::from_static(wire::X_ACS_CONTENT_SHA256);
const X_ACS_ACCESSKEY_ID: HeaderName = HeaderName::from_static(wire::X_ACS_ACCESSKEY_ID);
const X_ACS_SECURITY_TOKEN: HeaderName = HeaderName::from_static(wire::X_ACS_SECURITY_TOKEN);
const FORM_CONTENT_TYPE: HeaderValue = HeaderValue::from_static(wire::FORM_CONTENT_TYPE);

/// What came back from one attempt, before decoding.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) body: bytes::Bytes,
    pub(super) retry_after: Option<Duration>,
    pub(super) date: Option<HeaderValue>,
    pub(super) request_id: Option<HeaderValue>,
    /// The `Location` of a redirect (3xx) answer.
    pub(super) location: Option<HeaderValue>,
}

impl Client {
    /// Sends `prepared` and reads its whole answer within the attempt timeout.
    pub(super) async fn send(&self, prepared: &PreparedRequest) -> Result<Answer, Error> {
        let url = prepared.url_without_query();
        // A turn on the wire (`max_in_flight`), held until the answer is read: waiting for
        // one is not part of the attempt's time. The semaphore is never closed.
        let _turn = self
            .inner
            .in_flight
            .acquire()
            .await
            .map_err(|e| Error::config(format!("the client's request limit is closed: {e}")))?;
        match tokio::time::timeout(self.inner.settings.attempt_timeout, self.exchange(prepared))
            .await
        {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(Failure::Http(e))) => Err(transport_error(
                url,
                e,
                self.inner.settings.endpoint.is_none(),
            )),
            Ok(Err(Failure::TooLarge { http_status, limit })) => Err(Error::ResponseTooLarge {
                url: url.to_owned(),
                http_status,
                limit,
                attempts: 1,
            }),
            Err(_) => Err(Error::Transport {
                kind: TransportKind::Timeout,
                attempts: 1,
                url: url.to_owned(),
                not_retried: None,
                dns_failure: false,
                derived_endpoint: self.inner.settings.endpoint.is_none(),
                source: format!(
                    "no whole answer within the attempt timeout ({:?})",
                    self.inner.settings.attempt_timeout
                )
                .into(),
            }),
        }
    }

    /// One request and its whole answer, its body read up to the client's limit.
    async fn exchange(&self, prepared: &PreparedRequest) -> Result<Answer, Failure> {
        let http = &self.inner.http;
        let mut builder = match prepared.method {
            Method::Get => http.get(&prepared.url),
            Method::Post => http.post(&prepared.url),
        };
        // v1 `POST`s always have a body; V3 ones when they have body params.
        if let Some(body) = &prepared.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, FORM_CONTENT_TYPE)
                .body(body.clone());
        } else if prepared.method == Method::Post {
            builder = builder.body(bytes::Bytes::new());
        }
        builder = builder
            .header(X_ACS_ACTION, prepared.action.clone())
            .header(X_ACS_VERSION, prepared.version.clone());
        // The `host` header V3 signs is the one the HTTP client derives from the URL.
        if let Signature::V3(v3) = &prepared.signature {
            builder = builder
                .header(
                    reqwest::header::ACCEPT,
                    HeaderValue::from_static(prepared.format.media_type()),
                )
                .header(reqwest::header::AUTHORIZATION, v3.authorization.clone())
                .header(X_ACS_DATE, v3.date.clone())
                .header(X_ACS_SIGNATURE_NONCE, v3.nonce.clone())
                .header(X_ACS_CONTENT_SHA256, v3.content_sha256.clone());
            if let Some((id, token)) = &v3.sts {
                builder = builder
                    .header(X_ACS_ACCESSKEY_ID, id.clone())
                    .header(X_ACS_SECURITY_TOKEN, token.clone());
            }
        }
        let response = builder.send().await.map_err(Failure::Http)?;
        let status = response.status().as_u16();
        let headers = response.headers();
        let retry_after = rate_limit_wait(headers);
        // Kept as they came (cloning a header value allocates nothing); read when needed.
        let date = headers.get(reqwest::header::DATE).cloned();
        let request_id = headers.get(X_ACS_REQUEST_ID).cloned();
        let location = response
            .status()
            .is_redirection()
            .then(|| headers.get(reqwest::header::LOCATION).cloned())
            .flatten();
        let body = match read_body(response, self.inner.settings.max_response_bytes).await {
            Ok(body) => body,
            Err(BodyError::Read(e)) => return Err(Failure::Http(e)),
            Err(BodyError::TooLarge { limit }) => {
                return Err(Failure::TooLarge {
                    http_status: status,
                    limit,
                })
            }
        };
        Ok(Answer {
            status,
            body,
            retry_after,
            date,
            request_id,
            location,
        })
    }
}

/// Why an exchange failed.
enum Failure {
    Http(reqwest::Error),
    /// The body passed the limit.
    TooLarge {
        http_status: u16,
        limit: usize,
    },
}

/// `e` as an [`Error::Transport`]; `derived_endpoint` when the URL came from the product and
/// region rather than an override.
fn transport_error(url: &str, e: reqwest::Error, derived_endpoint: bool) -> Error {
    // A failure to connect (refused, DNS, TLS, the connect timeout) sent nothing: it comes
    // first, so that a connect timeout counts as one and not as a timeout after sending.
    let kind = if e.is_connect() {
        TransportKind::Connect
    } else if e.is_timeout() {
        TransportKind::Timeout
    } else {
        TransportKind::Other
    };
    let dns_failure = is_dns_error(&e);
    // reqwest's messages can include the full URL, and so the signature of a GET: drop it.
    Error::Transport {
        kind,
        attempts: 1,
        url: url.to_owned(),
        not_retried: None,
        dns_failure,
        derived_endpoint,
        source: Box::new(e.without_url()),
    }
}
