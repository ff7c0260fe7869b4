//! Signature version 1.0 (HMAC-SHA1) for RPC-style APIs, as pure typed stages:
//! params → [`CanonicalQuery`] → [`StringToSign`] → [`sign`]. Signature V3
//! (`ACS3-HMAC-SHA256`) is in [`v3`], and shares [`CanonicalQuery`].
//!
//! Nothing here reads the clock or makes a nonce: the caller passes `Timestamp` and
//! `SignatureNonce` in with the other params, so every stage is testable with fixed vectors.
//! The rules are Aliyun's (<https://help.aliyun.com/document_detail/25492.html>):
//!
//! - percent-encode the UTF-8 bytes; `A-Z a-z 0-9 - _ . ~` stay, everything else becomes
//!   upper-case `%XX` (so space is `%20`, `*` is `%2A`, `~` stays);
//! - sort the params by key, in byte order of the raw (unencoded) key, and join
//!   `enc(key)=enc(value)` with `&`;
//! - StringToSign = `METHOD&%2F&` + enc(canonicalized query);
//! - Signature = base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)).
//!
//! ```
//! use aliyun_rpc::signing::{sign, string_to_sign};
//!
//! let params: Vec<(String, String)> = [
//!     ("Timestamp", "2016-02-23T12:46:24Z"), ("Format", "XML"), ("AccessKeyId", "testid"),
//!     ("Action", "DescribeRegions"), ("SignatureMethod", "HMAC-SHA1"),
//!     ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"), ("Version", "2014-05-26"),
//!     ("SignatureVersion", "1.0"),
//! ].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
//!
//! let sts = string_to_sign("GET", &params);
//! assert_eq!(sign(&sts, "testsecret"), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
//! ```

use std::ops::Range;

use base64::Engine as _;

use crate::encoding::percent_encode_into;
use crate::params::ParamWriter;
use crate::request::{Method, Request};

mod arena;
mod common;
mod fast;
pub mod v3;

use arena::{ParamArena, Scratch};
use common::CommonParams;
pub(crate) use common::CommonValues;
use fast::SignedQuery;
pub(crate) use fast::SigningKey;

/// Percent-encodes `s` by Aliyun's rules (RFC 3986 unreserved characters stay).
///
/// ```
/// use aliyun_rpc::signing::percent_encode;
/// assert_eq!(percent_encode("a b*c~d/é"), "a%20b%2Ac~d%2F%C3%A9");
/// ```
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    percent_encode_into(&mut out, s);
    out
}

/// The canonicalized query: params sorted by raw key, `enc(k)=enc(v)` joined with `&`.
///
/// The same string is a valid query string or `application/x-www-form-urlencoded` body,
/// so the client sends it as it is, with `&Signature=…` appended.
///
/// ```
/// use aliyun_rpc::signing::CanonicalQuery;
///
/// let q = CanonicalQuery::new(&[("b", "2"), ("a", "x y"), ("B", "1")]);
/// assert_eq!(q.as_str(), "B=1&a=x%20y&b=2");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalQuery(String);

impl CanonicalQuery {
    /// Canonicalizes `params` (any order in; keys compared as bytes, equal keys kept in the
    /// order they came), by the same ordering rule the client signs with.
    pub fn new<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> Self {
        let text: usize = params
            .iter()
            .map(|(k, v)| k.as_ref().len() + v.as_ref().len())
            .sum();
        let mut arena = ParamArena::with_capacity(text, params.len());
        for (k, v) in params {
            crate::params::PairSink::push_pair(
                &mut arena,
                k.as_ref(),
                false,
                v.as_ref(),
                crate::params::PairFlags::default(),
            );
        }
        arena.sort_canonical();
        let mut out = String::with_capacity(text + 2 * params.len());
        for (i, pair) in arena.iter().enumerate() {
            if i != 0 {
                out.push('&');
            }
            percent_encode_into(&mut out, pair.key);
            out.push('=');
            percent_encode_into(&mut out, pair.value);
        }
        CanonicalQuery(out)
    }

    /// The canonical query string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The canonical query string, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

/// `METHOD&%2F&enc(canonicalized query)`: what the signature covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringToSign(String);

impl StringToSign {
    /// Builds the string to sign for `method` (`GET` or `POST`) over `query`.
    pub fn new(method: &str, query: &CanonicalQuery) -> Self {
        StringToSign(string_to_sign_of_canonical(method, query.as_str()))
    }

    /// The string to sign.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for StringToSign {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `METHOD&%2F&enc(canonical)` for an already canonical query string.
pub(crate) fn string_to_sign_of_canonical(method: &str, canonical: &str) -> String {
    let mut out = String::with_capacity(method.len() + 6 + canonical.len() * 5 / 4);
    out.push_str(method);
    out.push_str("&%2F&");
    percent_encode_into(&mut out, canonical);
    out
}

/// The string to sign for `method` over `params` (unsorted in; this function canonicalizes).
pub fn string_to_sign(method: &str, params: &[(String, String)]) -> String {
    StringToSign::new(method, &CanonicalQuery::new(params)).0
}

/// base64(HMAC-SHA1(key = `access_key_secret` + `"&"`, `string_to_sign`)).
pub fn sign(string_to_sign: &str, access_key_secret: &str) -> String {
    let digest = SigningKey::new(access_key_secret).mac(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(digest)
}

/// A signed request's text: whatever came before the canonical query (a `GET`'s URL up to
/// its `?`), the canonical query, then `&Signature=…`.
#[derive(Debug)]
pub(crate) struct SignedText {
    /// The whole text.
    pub(crate) text: String,
    /// Where the canonical query sits in `text`.
    pub(crate) canonical: Range<usize>,
    /// Where the (encoded) values of secret params sit in `text`; empty, so not allocated,
    /// for a request without secrets.
    pub(crate) secrets: Vec<Range<usize>>,
}

/// A client token that the client fills in for a request that left its field unset: sent
/// under the field's wire name, in the form body if the field is a body field (which only
/// signature V3 sends apart).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClientToken<'a> {
    /// The field's wire name.
    pub(crate) name: &'a str,
    /// The token.
    pub(crate) value: &'a str,
    /// The field is `#[rpc(body)]` ([`Request::CLIENT_TOKEN_IN_BODY`]).
    pub(crate) in_body: bool,
}

impl ClientToken<'_> {
    /// Writes the token as its field would have written it.
    pub(crate) fn write(&self, writer: &mut ParamWriter<'_>) {
        if self.in_body {
            writer.body_field(self.name, self.value);
        } else {
            writer.field(self.name, self.value);
        }
    }
}

/// Signs `request` by signature v1, on the fast path: flattens its params (and
/// `client_token`, when the client fills one in) into this thread's arena, sorts them, merges
/// the common params in, and writes `prefix` (pieces written first, in order), the
/// canonical query and `&Signature=…` in one pass that feeds the HMAC as it encodes.
pub(crate) fn sign_request<R: Request>(
    request: &R,
    client_token: Option<ClientToken<'_>>,
    method: Method,
    prefix: &[&str],
    common: &CommonValues<'_>,
    key: &SigningKey,
) -> SignedText {
    let Scratch {
        mut arena,
        key: key_buf,
        value: value_buf,
    } = Scratch::take();
    let mut writer = ParamWriter::with_buffers(&mut arena, key_buf, value_buf);
    request.write_params(&mut writer);
    if let Some(token) = client_token {
        token.write(&mut writer);
    }
    let (key_buf, value_buf) = writer.into_buffers();
    arena.sort_canonical();
    let common = CommonParams::new::<R>(common);

    let prefix_len: usize = prefix.iter().map(|p| p.len()).sum();
    // Room for typical escaping (`:` in timestamps, `.` is kept) and the signature.
    let text_len = arena.text_len() + common.text_len();
    let capacity = prefix_len + text_len + text_len / 4 + 2 * arena.len() + 48;
    let mut text = String::with_capacity(capacity);
    for piece in prefix {
        text.push_str(piece);
    }
    let mut query = SignedQuery::new(&mut text, method.as_str(), key);
    let mut secrets = Vec::new();
    common.merge_into(&arena, &mut query, &mut secrets);
    let digest = query.finish();
    let canonical = prefix_len..text.len();
    text.push('&');
    text.push_str(crate::wire::param::SIGNATURE);
    text.push('=');
    fast::write_encoded_signature(&mut text, &digest);

    Scratch {
        arena,
        key: key_buf,
        value: value_buf,
    }
    .give_back();
    SignedText {
        text,
        canonical,
        secrets,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{PairFlags, Secret};

    #[derive(aliyun_rpc_macros::Params)]
    #[rpc(crate = "crate")]
    struct Listener {
        port: u16,
    }

    #[derive(aliyun_rpc_macros::Request)]
    #[rpc(crate = "crate", product = "Nlb", version = "2022-04-30", action = "CreateListener",
          response = ())]
    struct CreateListener {
        region_id: String,
        #[rpc(body)]
        description: Option<String>,
        #[rpc(body, json)]
        config: Option<Vec<u8>>,
        #[rpc(body, simple)]
        ports: Vec<u16>,
        #[rpc(body)]
        listener: Option<Listener>,
        #[rpc(body, secret)]
        password: Option<Secret<String>>,
        #[rpc(body, client_token)]
        client_token: Option<String>,
        dry_run: Option<bool>,
    }

    /// `#[rpc(body)]` fields reach the signer's arena flagged body, whatever their form;
    /// the others do not. (Signature v1 signs and sends both alike.)
    #[test]
    fn body_fields_reach_the_arena_flagged() {
        let request = CreateListener::new("cn-hangzhou")
            .description("web")
            .config(vec![1u8])
            .ports([80, 443])
            .listener(Listener::new(8080u16))
            .password("p")
            .client_token("t")
            .dry_run(true);
        let mut arena = ParamArena::default();
        let mut writer = ParamWriter::with_buffers(&mut arena, String::new(), String::new());
        request.write_params(&mut writer);
        drop(writer);
        let flags: Vec<(&str, bool, bool)> = arena
            .iter()
            .map(|p| {
                (
                    p.key,
                    p.flags.has(PairFlags::BODY),
                    p.flags.has(PairFlags::SECRET),
                )
            })
            .collect();
        assert_eq!(
            flags,
            [
                ("RegionId", false, false),
                ("Description", true, false),
                ("Config", true, false),
                ("Ports", true, false),
                ("Listener.Port", true, false),
                ("Password", true, true),
                ("ClientToken", true, false),
                ("DryRun", false, false),
            ]
        );
        // `to_params` is unchanged: every pair, in field order.
        assert_eq!(request.to_params().len(), 8);
    }

    /// The MAC computed while encoding equals the MAC of the string to sign built from the
    /// same canonical query, across buffer boundaries (long runs, many escapes, non-ASCII).
    #[test]
    fn signed_canonical_query_matches_the_string_to_sign() {
        let long = "x".repeat(700);
        let escapes = "&=%/:".repeat(120);
        let cases: [&[(&str, &str)]; 5] = [
            &[],
            &[("A", "1")],
            &[
                ("AccessKeyId", "testid"),
                ("Timestamp", "2016-02-23T12:46:24Z"),
            ],
            &[("Long", long.as_str()), ("Z", escapes.as_str())],
            &[("Ké y", "v w*~"), ("Z", "é/é")],
        ];
        for pairs in cases {
            for secret in [
                "testsecret",
                "",
                &"s".repeat(63),
                &"s".repeat(64),
                &"s".repeat(200),
            ] {
                let mut out = String::new();
                let mut query = SignedQuery::new(&mut out, "POST", &SigningKey::new(secret));
                for (k, v) in pairs {
                    query.pair(k, v);
                }
                let digest = query.finish();
                assert_eq!(out, CanonicalQuery::new(pairs).as_str(), "canonical query");
                let sts = string_to_sign_of_canonical("POST", &out);
                assert_eq!(
                    sts,
                    StringToSign::new("POST", &CanonicalQuery::new(pairs)).as_str(),
                    "string to sign"
                );
                assert_eq!(
                    digest,
                    SigningKey::new(secret).mac(sts.as_bytes()),
                    "{pairs:?}, secret of {} bytes",
                    secret.len()
                );
            }
        }
    }

    #[test]
    fn encoded_signature_is_the_percent_encoded_base64() {
        let digest = SigningKey::new("testsecret").mac(b"GET&%2F&A%3D1");
        let mut out = String::new();
        fast::write_encoded_signature(&mut out, &digest);
        assert_eq!(out, percent_encode(&sign("GET&%2F&A%3D1", "testsecret")));
    }
}
