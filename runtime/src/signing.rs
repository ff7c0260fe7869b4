//! Signature version 1.0 (HMAC-SHA1) for RPC-style APIs, as pure typed stages:
//! params → [`CanonicalQuery`] → [`StringToSign`] → [`sign`].
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

use base64::Engine as _;
use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha1::Sha1;

/// Everything but `A-Z a-z 0-9 - _ . ~` is encoded.
const RPC_ENCODE_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

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

/// Appends the percent-encoding of `s` to `out`.
pub fn percent_encode_into(out: &mut String, s: &str) {
    out.extend(utf8_percent_encode(s, RPC_ENCODE_SET));
}

/// The canonicalized query: params sorted by raw key, `enc(k)=enc(v)` joined with `&`.
///
/// The same string is a valid query string or `application/x-www-form-urlencoded` body,
/// so the client sends it as it is, with `&Signature=…` appended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalQuery(String);

impl CanonicalQuery {
    /// Canonicalizes `params` (any order in; keys compared as bytes).
    pub fn new<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> Self {
        let mut order: Vec<&(K, V)> = params.iter().collect();
        order.sort_by(|a, b| a.0.as_ref().as_bytes().cmp(b.0.as_ref().as_bytes()));
        let capacity = params
            .iter()
            .map(|(k, v)| k.as_ref().len() + v.as_ref().len() + 2)
            .sum();
        let mut out = String::with_capacity(capacity);
        for (k, v) in order {
            if !out.is_empty() {
                out.push('&');
            }
            percent_encode_into(&mut out, k.as_ref());
            out.push('=');
            percent_encode_into(&mut out, v.as_ref());
        }
        CanonicalQuery(out)
    }

    /// Wraps a string that is already canonical (sorted and encoded).
    pub fn from_canonical(s: String) -> Self {
        CanonicalQuery(s)
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
        let mut out = String::with_capacity(method.len() + 6 + query.as_str().len() * 5 / 4);
        out.push_str(method);
        out.push_str("&%2F&");
        percent_encode_into(&mut out, query.as_str());
        StringToSign(out)
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

/// The string to sign for `method` over `params` (unsorted in; this function canonicalizes).
pub fn string_to_sign(method: &str, params: &[(String, String)]) -> String {
    StringToSign::new(method, &CanonicalQuery::new(params)).0
}

/// base64(HMAC-SHA1(key = `access_key_secret` + `"&"`, `string_to_sign`)).
pub fn sign(string_to_sign: &str, access_key_secret: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(hmac_sha1(string_to_sign, access_key_secret))
}

/// The raw HMAC-SHA1 digest behind [`sign`].
pub fn hmac_sha1(string_to_sign: &str, access_key_secret: &str) -> [u8; 20] {
    let mut key = Vec::with_capacity(access_key_secret.len() + 1);
    key.extend_from_slice(access_key_secret.as_bytes());
    key.push(b'&');
    // HMAC takes keys of any length, so `new_from_slice` cannot fail for it; a zero digest
    // (which no server accepts) keeps this path free of panics all the same.
    let Ok(mut mac) = <Hmac<Sha1> as Mac>::new_from_slice(&key) else {
        return [0; 20];
    };
    mac.update(string_to_sign.as_bytes());
    mac.finalize().into_bytes().into()
}
