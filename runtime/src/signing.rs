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
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha1::{Digest, Sha1};

/// `true` for the bytes that stay as they are: `A-Z a-z 0-9 - _ . ~`.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] =
            matches!(b as u8, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~');
        b += 1;
    }
    table
};

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

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
    let bytes = s.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !UNRESERVED[b as usize] {
            // A non-empty run starts and ends beside ASCII bytes: always on char boundaries.
            if run < i {
                out.push_str(&s[run..i]);
            }
            out.push('%');
            out.push(HEX_UPPER[(b >> 4) as usize] as char);
            out.push(HEX_UPPER[(b & 0xf) as usize] as char);
            run = i + 1;
        }
    }
    if run < bytes.len() {
        out.push_str(&s[run..]);
    }
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
        write_canonical_query(
            &mut out,
            order.into_iter().map(|(k, v)| (k.as_ref(), v.as_ref())),
        );
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

/// Appends `enc(k)=enc(v)` for each pair, joined with `&`, to `out`. The pairs must come
/// sorted by raw key bytes already: this is [`CanonicalQuery::new`] without the sort, for
/// callers that sort their own storage.
pub fn write_canonical_query<'a>(
    out: &mut String,
    sorted: impl IntoIterator<Item = (&'a str, &'a str)>,
) {
    for (i, (k, v)) in sorted.into_iter().enumerate() {
        if i != 0 {
            out.push('&');
        }
        percent_encode_into(out, k);
        out.push('=');
        percent_encode_into(out, v);
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
pub fn string_to_sign_of_canonical(method: &str, canonical: &str) -> String {
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
    base64::engine::general_purpose::STANDARD.encode(hmac_sha1(string_to_sign, access_key_secret))
}

/// The raw HMAC-SHA1 digest behind [`sign`].
pub fn hmac_sha1(string_to_sign: &str, access_key_secret: &str) -> [u8; 20] {
    let mut mac = SigningKey::new(access_key_secret).0;
    mac.update(string_to_sign.as_bytes());
    mac.finalize().into_bytes().into()
}

/// Appends the canonical query of `sorted` to `out`, like [`write_canonical_query`], and
/// returns the HMAC-SHA1 of its string to sign, `METHOD&%2F&enc(canonical)`, computed in
/// the same pass: each raw byte is encoded once for the query and once more for the MAC, so
/// the string to sign is never built. The pairs must come sorted by raw key bytes already.
pub fn write_signed_canonical_query<'a>(
    out: &mut String,
    method: &str,
    sorted: impl IntoIterator<Item = (&'a str, &'a str)>,
    access_key_secret: &str,
) -> [u8; 20] {
    let key = SigningKey::new(access_key_secret);
    let mut query = SignedQuery::new(out, method, &key);
    for (k, v) in sorted {
        query.pair(k, v);
    }
    query.finish()
}

/// `true` if percent-encoding leaves `s` as it is; usable in constants, so that the
/// client knows at compile time that an action or version needs no encoding.
pub(crate) const fn is_unreserved(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !UNRESERVED[bytes[i] as usize] {
            return false;
        }
        i += 1;
    }
    true
}

/// The HMAC-SHA1 keyed with `secret&`, before any input: keying hashes two blocks, so
/// [`Credentials`](crate::Credentials) keep one and every signature starts from a copy.
#[derive(Clone)]
pub(crate) struct SigningKey(Hmac<Sha1>);

impl SigningKey {
    /// Keys the HMAC with `access_key_secret` + `&`. HMAC (RFC 2104) zero-pads a key to
    /// the 64-byte block, or first hashes it if it is longer; done here, so that the key
    /// always has the block's size and keying cannot fail.
    pub(crate) fn new(access_key_secret: &str) -> Self {
        let secret = access_key_secret.as_bytes();
        let mut block = [0u8; 64];
        if secret.len() < block.len() {
            block[..secret.len()].copy_from_slice(secret);
            block[secret.len()] = b'&';
        } else {
            let mut hash = Sha1::new();
            Digest::update(&mut hash, secret);
            Digest::update(&mut hash, b"&");
            block[..20].copy_from_slice(&hash.finalize());
        }
        SigningKey(<Hmac<Sha1> as KeyInit>::new(&block.into()))
    }
}

/// A canonical query being written pair by pair, with the HMAC of its string to sign fed
/// in the same pass (see [`write_signed_canonical_query`]). Pairs must come in key order.
pub(crate) struct SignedQuery<'o> {
    out: &'o mut String,
    feed: MacFeed,
    first: bool,
}

impl<'o> SignedQuery<'o> {
    /// Starts the canonical query at the end of `out`, for `method`, signed with `key`.
    pub(crate) fn new(out: &'o mut String, method: &str, key: &SigningKey) -> Self {
        let mut feed = MacFeed::new(key.0.clone());
        feed.push(method.as_bytes());
        feed.push(b"&%2F&");
        SignedQuery {
            out,
            feed,
            first: true,
        }
    }

    /// Appends `enc(key)=enc(value)` (after a `&` unless it is the first pair).
    pub(crate) fn pair(&mut self, key: &str, value: &str) {
        self.pair_with(key, false, value, false);
    }

    /// [`pair`](Self::pair), where the caller knows which of the two strings are
    /// [unreserved](is_unreserved) only and so need no scan: they go in as they are.
    #[inline]
    pub(crate) fn pair_with(&mut self, key: &str, key_clean: bool, value: &str, value_clean: bool) {
        debug_assert!(!key_clean || is_unreserved(key), "{key:?} is not clean");
        debug_assert!(
            !value_clean || is_unreserved(value),
            "{value:?} is not clean"
        );
        if !self.first {
            self.out.push('&');
            self.feed.push(b"%26");
        }
        self.first = false;
        self.encode(key, key_clean);
        self.out.push('=');
        self.feed.push(b"%3D");
        self.encode(value, value_clean);
    }

    #[inline]
    fn encode(&mut self, s: &str, clean: bool) {
        if clean {
            self.out.push_str(s);
            self.feed.push(s.as_bytes());
        } else {
            encode_twice(self.out, &mut self.feed, s);
        }
    }

    /// The HMAC-SHA1 of the string to sign.
    pub(crate) fn finish(self) -> [u8; 20] {
        self.feed.finish()
    }
}

/// Appends `enc(s)` to `out` and feeds `enc(enc(s))` to the MAC: a byte that stays, stays
/// in both; an escape `%XX` is itself escaped to `%25XX` for the string to sign.
fn encode_twice(out: &mut String, feed: &mut MacFeed, s: &str) {
    let bytes = s.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !UNRESERVED[b as usize] {
            // A non-empty run starts and ends beside ASCII bytes: always on char boundaries.
            if run < i {
                out.push_str(&s[run..i]);
                feed.push(&bytes[run..i]);
            }
            let (hi, lo) = (HEX_UPPER[(b >> 4) as usize], HEX_UPPER[(b & 0xf) as usize]);
            out.push('%');
            out.push(hi as char);
            out.push(lo as char);
            feed.push(&[b'%', b'2', b'5', hi, lo]);
            run = i + 1;
        }
    }
    if run < bytes.len() {
        out.push_str(&s[run..]);
        feed.push(&bytes[run..]);
    }
}

/// Bytes on their way into a MAC, gathered on the stack so that the many short runs and
/// escapes of an encoding cost one `update` per buffer, not one each.
struct MacFeed {
    mac: Hmac<Sha1>,
    buf: [u8; 256],
    len: usize,
}

impl MacFeed {
    fn new(mac: Hmac<Sha1>) -> Self {
        MacFeed {
            mac,
            buf: [0; 256],
            len: 0,
        }
    }

    #[inline]
    fn push(&mut self, bytes: &[u8]) {
        if self.len + bytes.len() > self.buf.len() {
            self.flush();
            if bytes.len() > self.buf.len() {
                self.mac.update(bytes);
                return;
            }
        }
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    fn flush(&mut self) {
        self.mac.update(&self.buf[..self.len]);
        self.len = 0;
    }

    fn finish(mut self) -> [u8; 20] {
        self.flush();
        self.mac.finalize().into_bytes().into()
    }
}

/// Appends the percent-encoded base64 of `digest`: the `Signature` value as sent.
pub fn write_encoded_signature(out: &mut String, digest: &[u8; 20]) {
    let mut b64 = [0u8; 28];
    let written = base64::engine::general_purpose::STANDARD
        .encode_slice(digest, &mut b64)
        .unwrap_or(0);
    // base64 output is ASCII, so this never fails.
    if let Ok(b64) = std::str::from_utf8(&b64[..written]) {
        percent_encode_into(out, b64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                let digest =
                    write_signed_canonical_query(&mut out, "POST", pairs.iter().copied(), secret);
                assert_eq!(out, CanonicalQuery::new(pairs).as_str(), "canonical query");
                let sts = string_to_sign_of_canonical("POST", &out);
                assert_eq!(
                    digest,
                    hmac_sha1(&sts, secret),
                    "{pairs:?}, secret of {} bytes",
                    secret.len()
                );
            }
        }
    }

    /// Keying by hand (zero-pad, or hash a key longer than the block) gives the MAC that
    /// the `hmac` crate computes from the raw key, for every secret length around the block.
    #[test]
    fn signing_key_matches_hmac_keyed_from_the_raw_key() {
        for len in [0, 1, 10, 62, 63, 64, 65, 100, 200] {
            let secret = "k".repeat(len);
            let mut expected =
                <Hmac<Sha1> as Mac>::new_from_slice(format!("{secret}&").as_bytes()).unwrap();
            expected.update(b"GET&%2F&A%3D1");
            let mut ours = SigningKey::new(&secret).0;
            ours.update(b"GET&%2F&A%3D1");
            assert_eq!(
                ours.finalize().into_bytes(),
                expected.finalize().into_bytes(),
                "secret of {len} bytes"
            );
        }
    }

    #[test]
    fn encoded_signature_is_the_percent_encoded_base64() {
        let digest = hmac_sha1("GET&%2F&A%3D1", "testsecret");
        let mut out = String::new();
        write_encoded_signature(&mut out, &digest);
        assert_eq!(out, percent_encode(&sign("GET&%2F&A%3D1", "testsecret")));
    }
}
