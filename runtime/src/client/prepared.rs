//! A signed request, ready to send, and what can be shown of it.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use reqwest::header::HeaderValue;

use crate::encoding::percent_decode;
use crate::error::{ApiError, BoxError, Error, SignatureMismatch};
use crate::format::Format;
use crate::keys::Credentials;
use crate::redact::Redactor;
use crate::request::Method;
use crate::response;
use crate::signing::{self, v3};
use crate::wire::{self, param, REDACTED};

use super::SignatureVersion;

/// A signed request, ready to send: what [`Client::prepare`](super::Client::prepare) returns.
///
/// Its `Display` is a `curl` command with the signature, the security token and the values
/// of secret params redacted; its accessors give the request as it is sent, secrets and all.
pub struct PreparedRequest {
    pub(super) method: Method,
    pub(super) url: String,
    /// `x-acs-action` and `x-acs-version`, made when the request type was compiled.
    pub(super) action: HeaderValue,
    pub(super) version: HeaderValue,
    /// Built as a `String` (so always UTF-8), kept as `Bytes` so that every send of it is a
    /// reference count, not a copy.
    pub(super) body: Option<bytes::Bytes>,
    pub(super) format: Format,
    /// Where the encoded values of secret params sit in `url`, in ascending order.
    pub(super) url_secrets: Vec<Range<usize>>,
    /// Where the encoded values of secret params sit in `body`, in ascending order.
    pub(super) body_secrets: Vec<Range<usize>>,
    /// What it was signed with: their secret and token are scrubbed from what the server
    /// echoes. (A clone is a reference count.)
    pub(super) credentials: Credentials,
    /// The signature and what a diagnosis needs of it.
    pub(super) signature: Signature,
}

/// How a [`PreparedRequest`] is signed.
// The V3 headers are kept inline: a prepared request is made once per attempt and moved,
// not copied around, and a box would cost an allocation per attempt.
#[allow(clippy::large_enum_variant)]
pub(super) enum Signature {
    /// Signature v1: the `Signature` param follows the canonical query.
    V1 {
        /// Where the canonical query sits: in `body` for `POST`, in `url` for `GET`.
        canonical: Range<usize>,
        /// Built from the canonical query on first use: only diagnostics need it.
        string_to_sign: OnceLock<String>,
    },
    /// Signature V3: headers, one of them `Authorization`.
    V3(V3Headers),
}

/// The headers a V3 request sends besides `x-acs-action` and `x-acs-version` (and
/// `content-type` with a body), and what its diagnosis needs.
pub(super) struct V3Headers {
    /// Where the canonical query sits in `url` (empty without one).
    pub(super) query: Range<usize>,
    pub(super) host: HeaderValue,
    pub(super) date: HeaderValue,
    pub(super) nonce: HeaderValue,
    pub(super) content_sha256: HeaderValue,
    /// With STS credentials: `x-acs-accesskey-id` and `x-acs-security-token`.
    pub(super) sts: Option<(HeaderValue, HeaderValue)>,
    pub(super) authorization: HeaderValue,
    /// Where the signature sits in `authorization` (its end), for redaction.
    pub(super) signature_at: usize,
    pub(super) string_to_sign: [u8; v3::STRING_TO_SIGN_LEN],
    /// Built on first use: only diagnostics need it.
    pub(super) canonical_request: OnceLock<String>,
}

/// A header value made from a `&str`, as text again.
fn text(value: &HeaderValue) -> &str {
    std::str::from_utf8(value.as_bytes()).unwrap_or_default()
}

impl PreparedRequest {
    /// `GET` or `POST`.
    pub fn method(&self) -> Method {
        self.method
    }

    /// How the request is signed.
    pub fn signature_version(&self) -> SignatureVersion {
        match self.signature {
            Signature::V1 { .. } => SignatureVersion::V1,
            Signature::V3(_) => SignatureVersion::V3,
        }
    }

    /// The full URL, with the query string: for v1 `GET`, every param and the `Signature`;
    /// for V3, the params that do not travel in the body.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The headers sent besides `User-Agent` (which the HTTP client sets), as they are sent:
    /// with V3 they include `Authorization` and the security token, so don't log them (the
    /// `curl` rendering redacts both). V3 headers come sorted by name; `host` is the value
    /// the HTTP client sends for the URL.
    pub fn headers(&self) -> Vec<(&'static str, &str)> {
        let action = (wire::X_ACS_ACTION, text(&self.action));
        let version = (wire::X_ACS_VERSION, text(&self.version));
        let content_type = (wire::CONTENT_TYPE, wire::FORM_CONTENT_TYPE);
        match &self.signature {
            Signature::V1 { .. } => {
                let mut headers = vec![action, version];
                if self.method == Method::Post {
                    headers.push(content_type);
                }
                headers
            }
            Signature::V3(v3) => {
                let mut headers = Vec::with_capacity(11);
                headers.push((wire::ACCEPT, self.format.media_type()));
                headers.push((wire::AUTHORIZATION, text(&v3.authorization)));
                let signed = self.v3_signed_headers(v3);
                let (list, n) = signed.list();
                headers.extend(list.iter().take(n).copied());
                headers
            }
        }
    }

    /// The form body: for v1 `POST`, every param and the `Signature`; for V3 `POST`, the
    /// `#[rpc(body)]` params, if there are any.
    pub fn body(&self) -> Option<&str> {
        // Always UTF-8: the body was a `String` before it became `Bytes`.
        self.body
            .as_deref()
            .map(|b| std::str::from_utf8(b).unwrap_or_default())
    }

    /// The string to sign, for comparing with a server's: for v1 `METHOD&%2F&…` (which holds
    /// the security token, double-encoded, for STS credentials, and the values of secret
    /// params: don't log it); for V3 `ACS3-HMAC-SHA256\n` and the hex SHA-256 of the
    /// [canonical request](Self::canonical_request).
    pub fn string_to_sign(&self) -> &str {
        match &self.signature {
            Signature::V1 {
                canonical,
                string_to_sign,
            } => string_to_sign.get_or_init(|| {
                let encoded = match self.body() {
                    Some(body) => body,
                    None => &self.url,
                };
                let canonical = encoded.get(canonical.clone()).unwrap_or_default();
                signing::string_to_sign_of_canonical(self.method.as_str(), canonical)
            }),
            Signature::V3(v3) => std::str::from_utf8(&v3.string_to_sign).unwrap_or_default(),
        }
    }

    /// Signature V3: the canonical request that the string to sign hashes (`None` for v1).
    /// It holds the security token for STS credentials and the values of secret params in
    /// the query: don't log it.
    ///
    /// ```
    /// use aliyun_rpc::client::SignatureVersion;
    /// use aliyun_rpc::{Client, Credentials, Request};
    /// use time::macros::datetime;
    ///
    /// #[derive(Request)]
    /// #[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeRegions", response = ())]
    /// pub struct DescribeRegions {}
    ///
    /// let keys = Credentials::new("testid", "testsecret");
    /// let client = Client::builder()
    ///     .credentials(keys.clone())
    ///     .endpoint("http://127.0.0.1:8080")
    ///     .signature_version(SignatureVersion::V3)
    ///     .build()?;
    /// let at = datetime!(2026-11-30 10:00:00 UTC);
    /// let prepared = client.prepare_with(&DescribeRegions {}, &keys, at, "n-1")?;
    /// assert_eq!(
    ///     prepared.canonical_request(),
    ///     Some(
    ///         "POST\n/\n\nhost:127.0.0.1:8080\nx-acs-action:DescribeRegions\n\
    ///          x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
    ///          x-acs-date:2026-11-30T10:00:00Z\nx-acs-signature-nonce:n-1\nx-acs-version:2014-05-26\n\n\
    ///          host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n\
    ///          e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    ///     )
    /// );
    /// assert!(prepared.string_to_sign().starts_with("ACS3-HMAC-SHA256\n"));
    /// # Ok::<(), aliyun_rpc::Error>(())
    /// ```
    pub fn canonical_request(&self) -> Option<&str> {
        let Signature::V3(v3) = &self.signature else {
            return None;
        };
        Some(v3.canonical_request.get_or_init(|| {
            let mut out = String::new();
            let query = self.url.get(v3.query.clone()).unwrap_or_default();
            v3::write_canonical_request(&mut out, self.method, query, &self.v3_signed_headers(v3));
            out
        }))
    }

    /// The headers a V3 request signed, as sent.
    fn v3_signed_headers<'s>(&'s self, v3: &'s V3Headers) -> v3::SignedHeaders<'s> {
        v3::SignedHeaders {
            form_body: self.body.is_some(),
            host: text(&v3.host),
            action: text(&self.action),
            version: text(&self.version),
            content_sha256: text(&v3.content_sha256),
            date: text(&v3.date),
            nonce: text(&v3.nonce),
            sts: v3.sts.as_ref().map(|(id, token)| (text(id), text(token))),
        }
    }

    pub(super) fn url_without_query(&self) -> &str {
        self.url.split_once('?').map_or(&self.url, |(base, _)| base)
    }

    /// An error answer, with the signature diagnosis for `SignatureDoesNotMatch`, and our
    /// secret, security token and secret params scrubbed from everything the server sent
    /// back.
    pub(super) fn api_error(&self, status: u16, body: &[u8]) -> ApiError {
        let redactor = self.redactor();
        let mut answer = response::parse_error(self.format, status, body);
        // Diagnosed from the whole message (the server's strings may be long), all strings
        // scrubbed alike.
        let mismatch = (answer.code == "SignatureDoesNotMatch")
            .then(|| {
                let (_, server) = answer.message.split_once("server string to sign is:")?;
                let ours = redactor.redact(self.string_to_sign());
                Some(match self.canonical_request() {
                    None => SignatureMismatch::diagnose(&ours, &redactor.redact(server.trim())),
                    Some(canonical) => {
                        let (server_sts, server_canonical) =
                            match server.split_once(" server canonical request is:") {
                                Some((sts, canonical)) => (sts, Some(canonical)),
                                None => (server, None),
                            };
                        let server_canonical = server_canonical.map(|c| redactor.redact(c));
                        SignatureMismatch::diagnose_v3(
                            &ours,
                            &redactor.redact(server_sts.trim()),
                            &redactor.redact(canonical),
                            server_canonical.as_deref(),
                        )
                    }
                })
            })
            .flatten();
        answer.redact(&redactor);
        let mut error = answer.into_api_error(status);
        if let Some(mismatch) = mismatch {
            error.set_signature_mismatch(mismatch);
        }
        error
    }

    /// A decode error with our secret, security token and secret params scrubbed from the
    /// body's start and the parser's message (which may quote a value).
    pub(super) fn redact_error(&self, error: Error) -> Error {
        let redactor = self.redactor();
        match error {
            Error::Decode {
                format,
                expected,
                http_status,
                mut body_prefix,
                source,
            } => {
                redactor.redact_string(&mut body_prefix);
                let said = source.to_string();
                let source: BoxError = match redactor.redact(&said) {
                    Cow::Borrowed(_) => source,
                    Cow::Owned(scrubbed) => scrubbed.into(),
                };
                Error::Decode {
                    format,
                    expected,
                    http_status,
                    body_prefix,
                    source,
                }
            }
            other => other,
        }
    }

    /// `text` from the server with our secret, security token and secret params scrubbed.
    pub(super) fn redact<'t>(&self, text: &'t str) -> Cow<'t, str> {
        self.redactor().redact(text)
    }

    /// The matcher for everything this request must not show: the access key secret, the
    /// security token, and the values of secret params (`Secret<T>`).
    fn redactor(&self) -> Redactor<'_> {
        let mut redactor = Redactor::new(
            Some(self.credentials.access_key_secret()),
            self.credentials.security_token(),
        );
        let texts = [
            (self.url.as_str(), &self.url_secrets),
            (self.body().unwrap_or_default(), &self.body_secrets),
        ];
        for (text, ranges) in texts {
            for range in ranges {
                if let Some(encoded) = text.get(range.clone()) {
                    redactor.push(percent_decode(encoded));
                }
            }
        }
        redactor
    }

    /// `text` (the URL or body) with the values of secret params at `ranges` replaced by the
    /// marker.
    fn without_secrets<'t>(text: &'t str, ranges: &[Range<usize>]) -> Cow<'t, str> {
        if ranges.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut from = 0;
        for range in ranges {
            let (Some(before), true) = (text.get(from..range.start), range.end <= text.len())
            else {
                continue;
            };
            out.push_str(before);
            out.push_str(REDACTED);
            from = range.end;
        }
        out.push_str(text.get(from..).unwrap_or_default());
        Cow::Owned(out)
    }

    /// A v1 query string or body with the `Signature` and `SecurityToken` values redacted.
    fn redacted_params(encoded: &str) -> String {
        encoded
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, _)) if k == param::SIGNATURE || k == param::SECURITY_TOKEN => {
                    format!("{k}={REDACTED}")
                }
                _ => pair.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    /// A header as the `curl` rendering shows it: the `Authorization` signature and the
    /// security token redacted.
    fn shown_header<'h>(&self, name: &str, value: &'h str) -> Cow<'h, str> {
        match (&self.signature, name) {
            (Signature::V3(v3), wire::AUTHORIZATION) => {
                let kept = value.get(..v3.signature_at).unwrap_or_default();
                Cow::Owned(format!("{kept}{REDACTED}"))
            }
            (_, wire::X_ACS_SECURITY_TOKEN) => Cow::Borrowed(REDACTED),
            _ => Cow::Borrowed(value),
        }
    }
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &self.url_without_query())
            .field("action", &self.action)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

/// A `curl` command line for the request, with the signature, the security token and the
/// values of secret params redacted.
impl fmt::Display for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v1 = matches!(self.signature, Signature::V1 { .. });
        let body = self
            .body()
            .map(|body| Self::without_secrets(body, &self.body_secrets));
        let url = Self::without_secrets(&self.url, &self.url_secrets);
        let url = match url.split_once('?') {
            Some((base, query)) if v1 => format!("{base}?{}", Self::redacted_params(query)),
            _ => url.into_owned(),
        };
        write!(f, "curl -X {} {}", self.method.as_str(), shell_quote(&url))?;
        for (name, value) in self.headers() {
            let value = self.shown_header(name, value);
            write!(f, " -H {}", shell_quote(&format!("{name}: {value}")))?;
        }
        if let Some(body) = body {
            let body = if v1 {
                Cow::Owned(Self::redacted_params(&body))
            } else {
                body
            };
            write!(f, " --data {}", shell_quote(&body))?;
        }
        Ok(())
    }
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use time::OffsetDateTime;

    use super::*;
    use crate::error::Error;
    use crate::params::{ParamWriter, Secret};
    use crate::request::Request;
    use crate::{Client, Credentials};

    struct Reset;

    impl Request for Reset {
        const PRODUCT: &'static str = "Ecs";
        const VERSION: &'static str = "2014-05-26";
        const ACTION: &'static str = "ModifyInstanceAttribute";
        type Response = ();
        fn write_params(&self, w: &mut ParamWriter<'_>) {
            w.field("InstanceId", "i-1");
            w.field("Password", &Secret::new("hunter2 &é"));
        }
        fn validate(&self) -> Result<(), Error> {
            Ok(())
        }
    }

    /// A server that echoes its string to sign (where the value is encoded twice) and the
    /// raw value: neither reaches the error's `Display` or `Debug`, and the diagnosis
    /// still compares the two strings to sign.
    #[test]
    fn errors_never_echo_secret_params() -> Result<(), Error> {
        let creds = Credentials::new("id", "s");
        let client = Client::builder()
            .credentials(creds.clone())
            .region("cn-hangzhou")
            .build()?;
        let prepared = client.prepare_with(&Reset, &creds, OffsetDateTime::UNIX_EPOCH, "n")?;
        let server = prepared.string_to_sign().to_owned();
        assert!(server.contains("hunter2%2520%2526%25C3%25A9"), "{server}");
        let message = format!(
            "Specified signature is not matched with our calculation. server string to sign is:{server}"
        );
        let body = serde_json::json!({
            "Code": "SignatureDoesNotMatch",
            "Message": message,
            "Recommend": "hunter2 &é",
            "HostId": "hunter2%20%26%C3%A9",
        })
        .to_string();
        let error = prepared.api_error(400, body.as_bytes());
        assert_eq!(
            error.signature_mismatch(),
            Some(&SignatureMismatch::SameStringToSign)
        );
        assert!(error.message().contains("%26Password%3D** redacted **"));
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        Ok(())
    }
}
