//! A request as read off the connection, before any check: its headers, its body (bounded in
//! size and time), its params (query and form body), how it is signed (v1 or V3) and the
//! format it asks its answer in.
//!
//! How the two signatures are told apart, on the one endpoint: a request whose
//! `Authorization` header starts with `ACS3-` (any case, after blanks) is V3; any other
//! request is v1, and an `Authorization` header of another kind means nothing to it. A request
//! with both an `ACS3-` header and v1's common params is V3: its `Signature`, `Action`, … are
//! plain query params (which the V3 signature covers), never a second signature. A repeated
//! `Authorization` header is read as its values joined with `, ` (HTTP's rule for a repeated
//! field), which no V3 parser accepts.

use axum::body::{Body, Bytes};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use http_body_util::{BodyExt as _, LengthLimitError, Limited};

use crate::error::ApiError;
use crate::limits::Limits;
use crate::params::{decode_params, param, DecodedParams};
use crate::request::SignatureVersion;
use crate::wire::{self, format_from_accept, Format, FORM_CONTENT_TYPE};

/// A request as read off the connection.
pub(crate) struct Incoming {
    /// The `Host` header.
    pub(crate) host: Option<String>,
    /// Every header, `(lower-case name, value)`, in the order received.
    pub(crate) headers: Vec<(String, String)>,
    /// Query and form body merged (the query's alone when the body could not be read).
    pub(crate) params: DecodedParams,
    /// The body, exactly as received, if it was read whole within the size and time limits.
    pub(crate) body: Result<Bytes, ApiError>,
    /// V1, or V3 with the `Authorization` header's value.
    pub(crate) signing: Signing,
    /// The format the answer is asked in.
    pub(crate) format: Format,
}

/// How a request is signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Signing {
    V1,
    V3 { authorization: String },
}

impl Signing {
    pub(crate) fn version(&self) -> SignatureVersion {
        match self {
            Signing::V1 => SignatureVersion::V1,
            Signing::V3 { .. } => SignatureVersion::V3,
        }
    }
}

impl Incoming {
    /// The API version the request names (the `Version` param, or V3's `x-acs-version`
    /// header), for the `Recommend` link of an error answer.
    pub(crate) fn version(&self) -> Option<&str> {
        match self.signing {
            Signing::V1 => param(&self.params.params, wire::param::VERSION),
            Signing::V3 { .. } => header(&self.headers, wire::X_ACS_VERSION),
        }
    }
}

/// Reads the body (bounded in size and time) and decodes the params of the query and, for
/// a form, the body.
pub(crate) async fn read(limits: &Limits, parts: &Parts, body: Body) -> Incoming {
    let headers = header_pairs(&parts.headers);
    let host = header(&headers, wire::HOST).map(str::to_owned);
    let is_form = header(&headers, header::CONTENT_TYPE.as_str()).is_some_and(|ct| {
        ct.split(';')
            .next()
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case(FORM_CONTENT_TYPE))
    });
    let body = read_body(limits, parts, body).await;
    let query = parts.uri.query().unwrap_or_default();
    let form: &[u8] = match (&body, is_form) {
        (Ok(bytes), true) => bytes,
        _ => b"",
    };
    let params = decode_params(query.as_bytes(), form);
    let signing = signing(&parts.headers);
    let format = answer_format(&signing, &params.params, &headers);
    Incoming {
        host,
        headers,
        params,
        body,
        signing,
        format,
    }
}

/// V3 if an `Authorization` header starts with `ACS3-` (see the module's rule).
fn signing(headers: &HeaderMap) -> Signing {
    let values: Vec<&HeaderValue> = headers.get_all(header::AUTHORIZATION).iter().collect();
    let is_v3 = values.iter().any(|value| {
        let bytes = value.as_bytes();
        let start = bytes
            .iter()
            .position(|b| *b != b' ' && *b != b'\t')
            .unwrap_or(bytes.len());
        bytes
            .get(start..start + 5)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case(b"ACS3-"))
    });
    if !is_v3 {
        return Signing::V1;
    }
    let authorization = values
        .iter()
        .map(|value| header_text(value))
        .collect::<Vec<_>>()
        .join(", ");
    Signing::V3 { authorization }
}

/// The format of the answer. v1: `Format=JSON` (any case) → JSON, anything else → XML, as
/// Aliyun does. V3: a `Format` param when sent (same rule), otherwise the `Accept` header
/// ([`format_from_accept`]: the official SDKs send `accept: application/json`), otherwise
/// XML.
fn answer_format(
    signing: &Signing,
    params: &[(String, String)],
    headers: &[(String, String)],
) -> Format {
    let format_param = param(params, wire::param::FORMAT);
    match signing {
        Signing::V1 => Format::from_param(format_param),
        Signing::V3 { .. } => match format_param.filter(|f| !f.is_empty()) {
            Some(format) => Format::from_param(Some(format)),
            None => headers
                .iter()
                .filter(|(name, _)| name == header::ACCEPT.as_str())
                .find_map(|(_, value)| format_from_accept(value))
                .unwrap_or(Format::Xml),
        },
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

/// Every header as `(lower-case name, value)`. The HTTP layer has bounded them
/// ([`MAX_HEAD_BYTES`](crate::MAX_HEAD_BYTES)).
fn header_pairs(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| (name.as_str().to_owned(), header_text(value)))
        .collect()
}

/// A header value as text: its bytes as ISO-8859-1, HTTP's historical charset (so visible
/// ASCII is itself, and other bytes are what a client that sent Latin-1 text meant; never
/// a failure).
fn header_text(value: &HeaderValue) -> String {
    match value.to_str() {
        Ok(text) => text.to_owned(),
        Err(_) => value.as_bytes().iter().map(|&b| char::from(b)).collect(),
    }
}

/// The first value of header `name` (lower-case).
pub(crate) fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&'static str, &'static [u8])]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            if let Ok(value) = HeaderValue::from_bytes(value) {
                map.append(*name, value);
            }
        }
        map
    }

    #[test]
    fn an_acs3_authorization_makes_a_v3_request() {
        assert_eq!(signing(&map(&[])), Signing::V1);
        assert_eq!(
            signing(&map(&[("authorization", b"Basic dXNlcg==")])),
            Signing::V1
        );
        assert_eq!(signing(&map(&[("authorization", b"ACS3")])), Signing::V1);
        assert_eq!(
            signing(&map(&[("authorization", b"  acs3-hmac-sm3 x")])),
            Signing::V3 {
                authorization: "  acs3-hmac-sm3 x".into()
            }
        );
        assert_eq!(
            signing(&map(&[
                ("authorization", b"Basic x"),
                ("authorization", b"ACS3-HMAC-SHA256 Credential=a")
            ])),
            Signing::V3 {
                authorization: "Basic x, ACS3-HMAC-SHA256 Credential=a".into()
            }
        );
    }

    #[test]
    fn header_values_are_latin1_text() {
        let pairs = header_pairs(&map(&[("x-acs-meta", b"caf\xe9"), ("Host", b"h")]));
        assert_eq!(
            pairs,
            [
                ("x-acs-meta".to_owned(), "café".to_owned()),
                ("host".to_owned(), "h".to_owned())
            ]
        );
    }

    #[test]
    fn v3_asks_by_format_param_then_accept_then_gets_xml() {
        let v3 = Signing::V3 {
            authorization: String::new(),
        };
        let accept = |value: &str| vec![("accept".to_owned(), value.to_owned())];
        let format = |name: &str| vec![("Format".to_owned(), name.to_owned())];
        assert_eq!(
            answer_format(&v3, &[], &accept("application/json")),
            Format::Json
        );
        assert_eq!(
            answer_format(&v3, &[], &accept("application/xml")),
            Format::Xml
        );
        assert_eq!(answer_format(&v3, &[], &accept("*/*")), Format::Xml);
        assert_eq!(answer_format(&v3, &[], &[]), Format::Xml);
        assert_eq!(
            answer_format(&v3, &format("XML"), &accept("application/json")),
            Format::Xml
        );
        assert_eq!(answer_format(&v3, &format("json"), &[]), Format::Json);
        // v1 keeps its rule: only `Format`.
        assert_eq!(
            answer_format(&Signing::V1, &[], &accept("application/json")),
            Format::Xml
        );
        assert_eq!(
            answer_format(&Signing::V1, &format("JSON"), &[]),
            Format::Json
        );
    }
}
