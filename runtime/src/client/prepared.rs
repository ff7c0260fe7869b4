//! A signed request, ready to send, and what can be shown of it.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

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
    /// (double-encoded) for STS credentials: don't log it.
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
    /// secret and security token scrubbed from everything the server sent back.
    pub(super) fn api_error(&self, status: u16, body: &[u8]) -> ApiError {
        let redactor = self.redactor();
        let mut answer = response::parse_error(self.format, status, body);
        answer.redact(&redactor);
        // Diagnosed from the whole message: the server's string to sign may be long.
        let mismatch = (answer.code == "SignatureDoesNotMatch")
            .then(|| {
                let (_, server) = answer.message.split_once("server string to sign is:")?;
                let ours = redactor.redact(self.string_to_sign());
                Some(SignatureMismatch::diagnose(&ours, server.trim()))
            })
            .flatten();
        let mut error = answer.into_api_error(status);
        if let Some(mismatch) = mismatch {
            error.set_signature_mismatch(mismatch);
        }
        error
    }

    /// A decode error with our secret and security token scrubbed from the body's start and
    /// the parser's message (which may quote a value).
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

    /// `text` from the server with our secret and security token scrubbed.
    pub(super) fn redact<'t>(&self, text: &'t str) -> Cow<'t, str> {
        self.redactor().redact(text)
    }

    fn redactor(&self) -> Redactor<'_> {
        Redactor::new(
            Some(self.credentials.access_key_secret()),
            self.credentials.security_token(),
        )
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

/// A `curl` command line for the request, with the signature and security token redacted.
impl fmt::Display for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = match self.url.split_once('?') {
            Some((base, query)) => format!("{base}?{}", Self::redacted_params(query)),
            None => self.url.clone(),
        };
        write!(f, "curl -X {} {}", self.method.as_str(), shell_quote(&url))?;
        for (name, value) in self.headers() {
            write!(f, " -H {}", shell_quote(&format!("{name}: {value}")))?;
        }
        if let Some(body) = self.body() {
            write!(f, " --data {}", shell_quote(&Self::redacted_params(body)))?;
        }
        Ok(())
    }
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}
