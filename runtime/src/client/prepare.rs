//! The one way a request gets signed. [`Call::new`] settles what is fixed for a call, once:
//! the request is validated, its endpoint chosen, its client token made. [`Call::sign`] signs
//! one attempt from one value of [`Inputs`] (credentials, time, nonce, client token), by the
//! client's [`SignatureVersion`]: v1 and V3 are two branches of this one function.
//! [`Client::prepare`], [`Client::prepare_with`] and every attempt of [`Client::call`] go
//! through these two, so they sign the same params.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use reqwest::header::HeaderValue;
use time::OffsetDateTime;

use super::prepared::{Signature, V3Headers};
use super::{Client, PreparedRequest, SignatureVersion};
use crate::endpoint;
use crate::error::Error;
use crate::keys::Credentials;
use crate::request::{Method, Request};
use crate::signing::{self, v3, ClientToken, CommonValues, SignedText};
use crate::wire;

/// What one attempt's signature depends on besides the call: the one value
/// [`Call::sign`] takes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Inputs<'a> {
    /// The credentials to sign with (and whose key id and token are sent).
    pub(super) credentials: &'a Credentials,
    /// The `Timestamp` (v1) or `x-acs-date` (V3).
    pub(super) time: OffsetDateTime,
    /// The `SignatureNonce` (v1) or `x-acs-signature-nonce` (V3).
    pub(super) nonce: &'a str,
    /// The client token's param name and value, when the request leaves its own unset.
    pub(super) client_token: Option<(&'static str, &'a str)>,
}

/// One call of `R`, checked and settled before its first attempt.
pub(super) struct Call<'c, R> {
    client: &'c Client,
    request: &'c R,
    /// Where the call goes: `scheme://host[:port]`, no trailing slash.
    base: Cow<'c, str>,
    /// For signature V3: the `host` header the HTTP client sends to `base`, which V3 signs.
    host: Option<Cow<'c, str>>,
    /// The client token's param name and the value every attempt sends.
    client_token: Option<(&'static str, Cow<'c, str>)>,
}

impl<'c, R: Request> Call<'c, R> {
    /// Validates `request` (nothing is sent if that fails), picks its endpoint, and, if it
    /// has a `#[rpc(client_token)]` field left unset, takes a value for it from `token`.
    pub(super) fn new(
        client: &'c Client,
        request: &'c R,
        token: impl FnOnce() -> Cow<'c, str>,
    ) -> Result<Self, Error> {
        request.validate()?;
        let settings = &client.inner.settings;
        let base = client.endpoint_for::<R>()?;
        let host = match settings.signature_version {
            SignatureVersion::V1 => None,
            SignatureVersion::V3 => Some(match &settings.endpoint_host {
                Some(host) => Cow::Borrowed(host.as_str()),
                None => Cow::Owned(endpoint::host_header(&base)?),
            }),
        };
        let client_token = request.missing_client_token().map(|name| (name, token()));
        Ok(Call {
            client,
            request,
            base,
            host,
            client_token,
        })
    }

    /// Where the call goes: `scheme://host[:port]`.
    pub(super) fn base(&self) -> &str {
        &self.base
    }

    /// Whether running the request twice has the effect of running it once, so that a
    /// failure after which it may have run can be retried: it is idempotent
    /// ([`Request::IDEMPOTENT`], by default a read), or it carries a client token (filled in
    /// by this call, or set by the caller under the wire name `ClientToken`).
    pub(super) fn safe_to_repeat(&self) -> bool {
        R::IDEMPOTENT
            || self.client_token.is_some()
            || self
                .request
                .to_params()
                .iter()
                .any(|(name, value)| name == CLIENT_TOKEN && !value.is_empty())
    }

    /// The inputs of an attempt with `credentials`, `time` and `nonce`, and this call's
    /// client token.
    pub(super) fn inputs<'a>(
        &'a self,
        credentials: &'a Credentials,
        time: OffsetDateTime,
        nonce: &'a str,
    ) -> Inputs<'a> {
        Inputs {
            credentials,
            time,
            nonce,
            client_token: self
                .client_token
                .as_ref()
                .map(|(name, value)| (*name, value.as_ref())),
        }
    }

    /// One attempt's request: fresh credentials from the provider, a fresh nonce, the
    /// current time by the server's clock as far as we know it, signed.
    pub(super) async fn next_attempt(&self) -> Result<PreparedRequest, Error> {
        let credentials = self.client.inner.credentials.provide_credentials().await?;
        credentials.check_usable()?;
        let mut nonce = [0; uuid::fmt::Hyphenated::LENGTH];
        let nonce = fresh_nonce(&mut nonce);
        self.sign(self.inputs(&credentials, self.client.now(), nonce))
    }

    /// Signs the call for one attempt, by the client's signature version: the business
    /// params and the client token (where its field says), with v1's common params in
    /// canonical order and the `Signature`, as a URL (`GET`) or a form body (`POST`); or with
    /// V3's headers and `Authorization`, params in the query and `#[rpc(body)]` ones in a form
    /// body (`POST`).
    ///
    /// Fails only for V3, when a value that must travel in a header cannot (a nonce or
    /// credentials with a control character).
    pub(super) fn sign(&self, inputs: Inputs<'_>) -> Result<PreparedRequest, Error> {
        let settings = &self.client.inner.settings;
        let method = R::METHOD.unwrap_or(settings.method);
        let creds = inputs.credentials;
        let timestamp = wire::format_timestamp(inputs.time);
        let client_token = inputs.client_token.map(|(name, value)| ClientToken {
            name,
            value,
            in_body: R::CLIENT_TOKEN_IN_BODY,
        });
        let (url, body, url_secrets, body_secrets, signature) = match &self.host {
            None => {
                let common = CommonValues {
                    format: settings.format,
                    access_key_id: creds.access_key_id(),
                    security_token: creds.security_token(),
                    nonce: inputs.nonce,
                    timestamp: timestamp.as_str(),
                };
                // A `GET` carries the query in its URL, after `base/?`.
                let url_head = [self.base(), "/?"];
                let prefix: &[&str] = match method {
                    Method::Get => &url_head,
                    Method::Post => &[],
                };
                let SignedText {
                    text,
                    canonical,
                    secrets,
                } = signing::sign_request(
                    self.request,
                    client_token,
                    method,
                    prefix,
                    &common,
                    creds.signing_key(),
                );
                let signature = Signature::V1 {
                    canonical,
                    string_to_sign: OnceLock::new(),
                };
                match method {
                    Method::Get => (text, None, secrets, Vec::new(), signature),
                    Method::Post => {
                        let mut url = String::with_capacity(self.base.len() + 1);
                        url.push_str(&self.base);
                        url.push('/');
                        (url, Some(text), Vec::new(), secrets, signature)
                    }
                }
            }
            Some(host) => {
                for (what, value) in [
                    ("the nonce", Some(inputs.nonce)),
                    ("the access key id", Some(creds.access_key_id())),
                    ("the security token", creds.security_token()),
                ] {
                    if value.is_some_and(|v| !header_safe(v)) {
                        return Err(unsendable(what));
                    }
                }
                let values = v3::Values {
                    base: self.base(),
                    host,
                    date: timestamp.as_str(),
                    nonce: inputs.nonce,
                    access_key_id: creds.access_key_id(),
                    security_token: creds.security_token(),
                };
                let signed = v3::sign_request(
                    self.request,
                    client_token,
                    method,
                    &values,
                    creds.v3_signing_key(),
                );
                let headers = v3_headers(&signed, &values)?;
                let v3::Signed {
                    url,
                    body,
                    url_secrets,
                    body_secrets,
                    ..
                } = signed;
                (url, body, url_secrets, body_secrets, Signature::V3(headers))
            }
        };
        Ok(PreparedRequest {
            method,
            url,
            // Checked when `R` is compiled: an action or version that cannot be a header
            // value fails the build instead of every call.
            action: const { HeaderValue::from_static(R::ACTION) },
            version: const { HeaderValue::from_static(R::VERSION) },
            body: body.map(bytes::Bytes::from),
            format: settings.format,
            url_secrets,
            body_secrets,
            credentials: creds.clone(),
            signature,
        })
    }
}

/// The header values of a V3 request, made from one buffer: one allocation for all of them
/// (each value is a slice of it, shared by reference count).
fn v3_headers(signed: &v3::Signed, values: &v3::Values<'_>) -> Result<V3Headers, Error> {
    let token = values.security_token;
    let names = signed.signed_header_names(token.is_some());
    let id = values.access_key_id;
    let mut text = String::with_capacity(
        values.date.len()
            + values.nonce.len()
            + 64
            + values.host.len()
            + token.map_or(0, |t| t.len() + id.len())
            + v3::ALGORITHM.len()
            + 40
            + id.len()
            + names.len()
            + 64,
    );
    let mut put = |parts: &[&str]| {
        let start = text.len();
        for part in parts {
            text.push_str(part);
        }
        start..text.len()
    };
    let date = put(&[values.date]);
    let nonce = put(&[values.nonce]);
    let content_sha256 = put(&[signed.content_sha256()]);
    let host = put(&[values.host]);
    let sts = token.map(|token| (put(&[id]), put(&[token])));
    let parts = [
        v3::ALGORITHM,
        " Credential=",
        id,
        ",SignedHeaders=",
        names,
        ",Signature=",
        signed.signature(),
    ];
    let signature_at = parts.iter().take(6).map(|p| p.len()).sum();
    let authorization = put(&parts);
    let text = bytes::Bytes::from(text);
    let header = |range: Range<usize>, what: &'static str| {
        HeaderValue::from_maybe_shared(text.slice(range)).map_err(|_| unsendable(what))
    };
    // Sensitive: never indexed by HTTP/2's header compression, `Sensitive` in `Debug`.
    let secret = |range: Range<usize>, what: &'static str| {
        header(range, what).map(|mut value| {
            value.set_sensitive(true);
            value
        })
    };
    Ok(V3Headers {
        query: signed.query.clone(),
        host: header(host, "the endpoint's host")?,
        date: header(date, "the date")?,
        nonce: header(nonce, "the nonce")?,
        content_sha256: header(content_sha256, "the body's hash")?,
        sts: match sts {
            Some((id, token)) => Some((
                header(id, "the access key id")?,
                secret(token, "the security token")?,
            )),
            None => None,
        },
        authorization: secret(authorization, "the access key id")?,
        signature_at,
        string_to_sign: signed.string_to_sign,
        canonical_request: OnceLock::new(),
    })
}

/// Whether an HTTP header may carry `value` as it is: tabs and visible bytes (ASCII or not),
/// no other control character.
fn header_safe(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b == b'\t' || (b >= 0x20 && b != 0x7f))
}

/// The error for a value signature V3 must send in a header but cannot (never showing it).
fn unsendable(what: &str) -> Error {
    Error::config(format!(
        "signature V3 sends {what} in a header, which cannot carry its control characters"
    ))
}

impl Client {
    /// Validates, adds the common params (v1) or headers (V3) with the current time and a
    /// fresh nonce, and signs, without sending. Its `Display` is a `curl` command with the
    /// signature, the token and the values of secret params redacted. A
    /// `#[rpc(client_token)]` field left unset gets a fresh UUID, as in [`call`](Self::call).
    pub async fn prepare<R: Request>(&self, request: &R) -> Result<PreparedRequest, Error> {
        // A credentials provider may need Tokio (its timers, its HTTP client).
        super::handle::require_tokio()?;
        Call::new(self, request, fresh_client_token)?
            .next_attempt()
            .await
    }

    /// [`prepare`](Self::prepare) with given credentials, timestamp and nonce: a pure function
    /// of its inputs, for tests and benchmarks. It signs the same params as
    /// [`call`](Self::call) sends; a `#[rpc(client_token)]` field left unset gets `nonce` as
    /// its value (where `call` makes a fresh UUID), so that the output depends on the inputs
    /// only. Credentials with an empty access key id or secret are refused; with signature
    /// V3, so is a nonce or credentials that an HTTP header cannot carry (a control
    /// character).
    pub fn prepare_with<R: Request>(
        &self,
        request: &R,
        credentials: &Credentials,
        timestamp: OffsetDateTime,
        nonce: &str,
    ) -> Result<PreparedRequest, Error> {
        credentials.check_usable()?;
        let call = Call::new(self, request, || Cow::Borrowed(nonce))?;
        call.sign(call.inputs(credentials, timestamp, nonce))
    }

    /// The endpoint `R` goes to: the override, or the product's for the client's region.
    fn endpoint_for<R: Request>(&self) -> Result<Cow<'_, str>, Error> {
        let settings = &self.inner.settings;
        match &settings.endpoint {
            Some(endpoint) => Ok(Cow::Borrowed(endpoint)),
            None => endpoint::resolve_with(
                R::PRODUCT,
                settings.region.as_deref(),
                settings.network,
                settings.endpoint_suffix.as_deref(),
            )
            .map(Cow::Owned),
        }
    }
}

/// The wire name Aliyun gives the client token of every action that has one.
const CLIENT_TOKEN: &str = "ClientToken";

/// A new `SignatureNonce` (a v4 UUID), written into `buf`: no allocation per attempt.
fn fresh_nonce(buf: &mut [u8; uuid::fmt::Hyphenated::LENGTH]) -> &str {
    uuid::Uuid::new_v4().hyphenated().encode_lower(buf)
}

/// A new client token (a v4 UUID): one per call, the same for all its attempts, so that
/// Aliyun executes a create at most once.
pub(super) fn fresh_client_token<'a>() -> Cow<'a, str> {
    Cow::Owned(uuid::Uuid::new_v4().to_string())
}
