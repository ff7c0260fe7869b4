//! Rendering answers as Aliyun does: the requested `Format` (XML unless `Format=JSON`),
//! a `RequestId` in every body, error documents `{RequestId, HostId, Code, Message,
//! Recommend}`, and a `Date` header on every response.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aliyun_rpc_runtime::signing::percent_encode;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::ids::new_request_id;
use crate::wire::{Format, X_ACS_REQUEST_ID};
use crate::xml;

/// The host Aliyun reports as `HostId` when the request carried no `Host` header.
pub(crate) const DEFAULT_HOST_ID: &str = "ecs.aliyuncs.com";

/// How many promised body bytes a dropped response never sends.
const DROPPED_MISSING_BYTES: usize = 1024;
/// How long a dropped response waits after its first bytes before the connection dies.
const DROP_PAUSE: Duration = Duration::from_millis(50);

/// The `Content-Type` of an answer in `format`.
fn content_type(format: Format) -> &'static str {
    match format {
        Format::Json => "application/json;charset=utf-8",
        Format::Xml => "text/xml;charset=utf-8",
    }
}

/// What every answer to one request shares.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) format: Format,
    pub(crate) request_id: String,
    pub(crate) host_id: String,
    /// The product for the `Recommend` link, when the call names one the emulator knows.
    pub(crate) product: Option<Arc<str>>,
    /// The `Date` header: the emulator's clock, skewed if asked to.
    pub(crate) date: SystemTime,
}

impl Answer {
    pub(crate) fn new(format: Format, host: Option<&str>) -> Self {
        Answer {
            format,
            request_id: new_request_id(),
            host_id: host.unwrap_or(DEFAULT_HOST_ID).to_owned(),
            product: None,
            date: SystemTime::now(),
        }
    }

    /// A success: `body` with `RequestId` set, under root `<{action}Response>` in XML.
    pub(crate) fn success(&self, action: &str, mut body: Map<String, Value>) -> Response {
        body.remove("RequestId");
        let text = match self.format {
            Format::Json => {
                body.insert(
                    "RequestId".to_owned(),
                    Value::String(self.request_id.clone()),
                );
                Value::Object(body).to_string()
            }
            Format::Xml => {
                let request_id = Value::String(self.request_id.clone());
                let fields = std::iter::once(("RequestId", &request_id))
                    .chain(body.iter().map(|(k, v)| (k.as_str(), v)));
                xml::document(&format!("{action}Response"), fields)
            }
        };
        self.respond(StatusCode::OK, text)
    }

    /// An error document for `err`, with its status.
    pub(crate) fn error(&self, err: &ApiError) -> Response {
        let fields: [(&str, Value); 5] = [
            ("RequestId", self.request_id.clone().into()),
            ("HostId", self.host_id.clone().into()),
            ("Code", err.code().into()),
            ("Message", err.message().into()),
            ("Recommend", self.recommend(err.code()).into()),
        ];
        let text = match self.format {
            Format::Json => {
                let map: Map<String, Value> =
                    fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
                Value::Object(map).to_string()
            }
            Format::Xml => xml::document("Error", fields.iter().map(|(k, v)| (*k, v))),
        };
        // An error document never comes with a success (or informational) status.
        let status = Some(err.http_status())
            .filter(|s| (400..=599).contains(s))
            .and_then(|s| StatusCode::from_u16(s).ok())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        self.respond(status, text)
    }

    /// An error document for `err`, with these extra headers (rate-limit ones, for
    /// throttling); a header whose value is not a valid header value is left out.
    pub(crate) fn error_with_headers(
        &self,
        err: &ApiError,
        headers: impl IntoIterator<Item = (&'static str, String)>,
    ) -> Response {
        let mut response = self.error(err);
        for (name, value) in headers {
            if let Ok(value) = HeaderValue::from_str(&value) {
                response.headers_mut().insert(name, value);
            }
        }
        response
    }

    /// A response that breaks off: `200` headers promising a `Content-Length` larger than
    /// the start of a document that follows, then the connection is closed (the body
    /// stream fails after a short pause, so the headers and first bytes reach the client).
    pub(crate) fn dropped(&self) -> Response {
        let start = match self.format {
            Format::Json => format!("{{\"RequestId\":\"{}\",", self.request_id),
            Format::Xml => format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><RequestId>{}</RequestId>",
                self.request_id
            ),
        };
        let promised = start.len() + DROPPED_MISSING_BYTES;
        let body = futures_util::stream::unfold(Some(start), |start| async move {
            match start {
                Some(start) => Some((Ok(Bytes::from(start)), None)),
                None => {
                    tokio::time::sleep(DROP_PAUSE).await;
                    let err = std::io::Error::new(
                        std::io::ErrorKind::ConnectionAborted,
                        "connection dropped by fault injection",
                    );
                    Some((Err(err), None))
                }
            }
        });
        let mut response = Response::new(Body::from_stream(body));
        self.add_headers(&mut response);
        if let Ok(length) = HeaderValue::from_str(&promised.to_string()) {
            response
                .headers_mut()
                .insert(header::CONTENT_LENGTH, length);
        }
        response
    }

    /// Aliyun's diagnosis link for an error code.
    fn recommend(&self, code: &str) -> String {
        let mut url = format!(
            "https://api.aliyun.com/troubleshoot?q={}",
            percent_encode(code)
        );
        if let Some(product) = &self.product {
            url.push_str("&product=");
            url.push_str(product);
        }
        url.push_str("&requestId=");
        url.push_str(&self.request_id);
        url
    }

    fn respond(&self, status: StatusCode, body: String) -> Response {
        let mut response = (status, body).into_response();
        self.add_headers(&mut response);
        response
    }

    fn add_headers(&self, response: &mut Response) {
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(content_type(self.format)),
        );
        if let Ok(date) = HeaderValue::from_str(&httpdate::fmt_http_date(self.date)) {
            headers.insert(header::DATE, date);
        }
        if let Ok(id) = HeaderValue::from_str(&self.request_id) {
            headers.insert(X_ACS_REQUEST_ID, id);
        }
    }
}
