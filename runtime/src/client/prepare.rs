//! The one way a request gets signed. [`Call::new`] settles what is fixed for a call, once:
//! the request is validated, its endpoint chosen, its client token made. [`Call::sign`] signs
//! one attempt from one value of [`Inputs`] (credentials, time, nonce, client token).
//! [`Client::prepare`], [`Client::prepare_with`] and every attempt of [`Client::call`] go
//! through these two, so they sign the same params.

use std::borrow::Cow;
use std::sync::OnceLock;

use reqwest::header::HeaderValue;
use time::OffsetDateTime;

use super::{Client, PreparedRequest};
use crate::endpoint;
use crate::error::Error;
use crate::keys::Credentials;
use crate::request::{Method, Request};
use crate::signing::{self, CommonValues, SignedText};
use crate::wire;

/// What one attempt's signature depends on besides the call: the one value
/// [`Call::sign`] takes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Inputs<'a> {
    /// The credentials to sign with (and whose key id and token are sent).
    pub(super) credentials: &'a Credentials,
    /// The `Timestamp`.
    pub(super) time: OffsetDateTime,
    /// The `SignatureNonce`.
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
        let base = client.endpoint_for::<R>()?;
        let client_token = request.missing_client_token().map(|name| (name, token()));
        Ok(Call {
            client,
            request,
            base,
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
        Ok(self.sign(self.inputs(&credentials, self.client.now(), nonce)))
    }

    /// Signs the call for one attempt: the business params, the client token and the
    /// common params, in canonical order, with the signature, as a URL (`GET`) or a form
    /// body (`POST`).
    pub(super) fn sign(&self, inputs: Inputs<'_>) -> PreparedRequest {
        let settings = &self.client.inner.settings;
        let method = R::METHOD.unwrap_or(settings.method);
        let creds = inputs.credentials;
        let timestamp = wire::format_timestamp(inputs.time);
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
            inputs.client_token,
            method,
            prefix,
            &common,
            creds.signing_key(),
        );
        let (url, body) = match method {
            Method::Get => (text, None),
            Method::Post => {
                let mut url = String::with_capacity(self.base.len() + 1);
                url.push_str(&self.base);
                url.push('/');
                (url, Some(bytes::Bytes::from(text)))
            }
        };
        PreparedRequest {
            method,
            url,
            // Checked when `R` is compiled: an action or version that cannot be a header
            // value fails the build instead of every call.
            action: const { HeaderValue::from_static(R::ACTION) },
            version: const { HeaderValue::from_static(R::VERSION) },
            body,
            format: settings.format,
            canonical,
            secrets,
            string_to_sign: OnceLock::new(),
            credentials: creds.clone(),
        }
    }
}

impl Client {
    /// Validates, adds the common params with the current time and a fresh nonce, and signs,
    /// without sending. Its `Display` is a `curl` command with the signature, the token and
    /// the values of secret params redacted. A `#[rpc(client_token)]` field left unset gets a
    /// fresh UUID, as in [`call`](Self::call).
    pub async fn prepare<R: Request>(&self, request: &R) -> Result<PreparedRequest, Error> {
        Call::new(self, request, fresh_client_token)?
            .next_attempt()
            .await
    }

    /// [`prepare`](Self::prepare) with given credentials, timestamp and nonce: a pure function
    /// of its inputs, for tests and benchmarks. It signs the same params as
    /// [`call`](Self::call) sends; a `#[rpc(client_token)]` field left unset gets `nonce` as
    /// its value (where `call` makes a fresh UUID), so that the output depends on the inputs
    /// only. Credentials with an empty access key id or secret are refused.
    pub fn prepare_with<R: Request>(
        &self,
        request: &R,
        credentials: &Credentials,
        timestamp: OffsetDateTime,
        nonce: &str,
    ) -> Result<PreparedRequest, Error> {
        credentials.check_usable()?;
        let call = Call::new(self, request, || Cow::Borrowed(nonce))?;
        Ok(call.sign(call.inputs(credentials, timestamp, nonce)))
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
