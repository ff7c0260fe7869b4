//! A signed request, ready to send, and what can be shown of it.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use crate::encoding::percent_decode;
use crate::error::{ApiError, BoxError, Error, SignatureMismatch};
use crate::format::Format;
use crate::keys::Credentials;
use crate::redact::Redactor;
use crate::request::Method;
use crate::response;
use crate::signing;
use crate::wire::{self, param, REDACTED};

/// A signed request, ready to send: what [`Client::prepare`](super::Client::prepare) returns.
pub struct PreparedRequest {
    pub(super) method: Method,
    pub(super) url: String,
    /// `x-acs-action` and `x-acs-version`, made when the request type was compiled.
    pub(super) action: reqwest::header::HeaderValue,
    pub(super) version: reqwest::header::HeaderValue,
    /// Built as a `String` (so always UTF-8), kept as `Bytes` so that every send of it is a
    /// reference count, not a copy.
    pub(super) body: Option<bytes::Bytes>,
    pub(super) format: Format,
    /// Where the canonical query sits: in `body` for `POST`, in `url` for `GET`.
    pub(super) canonical: Range<usize>,
    /// Where the encoded values of secret params sit, in ascending order, in the same text
    /// as `canonical`.
    pub(super) secrets: Vec<Range<usize>>,
    /// Built from the canonical query on first use: only diagnostics need it.
    pub(super) string_to_sign: OnceLock<String>,
    /// What it was signed with: their secret and token are scrubbed from what the server
    /// echoes. (A clone is a reference count.)
    pub(super) credentials: Credentials,
}

impl PreparedRequest {
    /// `GET` or `POST`.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The full URL (with the signed query string for `GET`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The headers sent besides `User-Agent`.
    pub fn headers(&self) -> Vec<(&'static str, &str)> {
        let mut headers = vec![
            (wire::X_ACS_ACTION, super::header_str(Some(&self.action))),
            (wire::X_ACS_VERSION, super::header_str(Some(&self.version))),
        ];
        if self.method == Method::Post {
            headers.push(("content-type", wire::FORM_CONTENT_TYPE));
        }
        headers
    }

    /// The form body, for `POST`.
    pub fn body(&self) -> Option<&str> {
        // Always UTF-8: the body was a `String` before it became `Bytes`.
        self.body
            .as_deref()
            .map(|b| std::str::from_utf8(b).unwrap_or_default())
    }

    /// The string to sign, for comparing with a server's. It contains the security token
    /// (double-encoded) for STS credentials, and the values of secret params: don't log it.
    pub fn string_to_sign(&self) -> &str {
        self.string_to_sign.get_or_init(|| {
            let encoded = match self.body() {
                Some(body) => body,
                None => &self.url,
            };
            let canonical = encoded.get(self.canonical.clone()).unwrap_or_default();
            signing::string_to_sign_of_canonical(self.method.as_str(), canonical)
        })
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
        // Diagnosed from the whole message (the server's string to sign may be long), both
        // strings scrubbed alike.
        let mismatch = (answer.code == "SignatureDoesNotMatch")
            .then(|| {
                let (_, server) = answer.message.split_once("server string to sign is:")?;
                let server = redactor.redact(server.trim());
                let ours = redactor.redact(self.string_to_sign());
                Some(SignatureMismatch::diagnose(&ours, &server))
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
        let signed = self.signed_text();
        for range in &self.secrets {
            if let Some(encoded) = signed.get(range.clone()) {
                redactor.push(percent_decode(encoded));
            }
        }
        redactor
    }

    /// The text that holds the signed params: the body for `POST`, the URL for `GET`.
    fn signed_text(&self) -> &str {
        self.body().unwrap_or(&self.url)
    }

    /// `text` (the URL or body) with the values of secret params replaced by the marker.
    fn without_secrets<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.secrets.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut from = 0;
        for range in &self.secrets {
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

    /// A query string or body with the `Signature` and `SecurityToken` values redacted.
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
        let body = self.body().map(|body| self.without_secrets(body));
        let url = match body {
            Some(_) => Cow::Borrowed(self.url.as_str()),
            None => self.without_secrets(&self.url),
        };
        let url = match url.split_once('?') {
            Some((base, query)) => format!("{base}?{}", Self::redacted_params(query)),
            None => url.into_owned(),
        };
        write!(f, "curl -X {} {}", self.method.as_str(), shell_quote(&url))?;
        for (name, value) in self.headers() {
            write!(f, " -H {}", shell_quote(&format!("{name}: {value}")))?;
        }
        if let Some(body) = body {
            write!(f, " --data {}", shell_quote(&Self::redacted_params(&body)))?;
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
