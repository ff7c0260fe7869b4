//! Signature V3 (`ACS3-HMAC-SHA256`), as pure typed stages beside v1:
//! query params → [`CanonicalQuery`], signed headers → [`CanonicalHeaders`], both with the
//! method, the URI and the [`hashed_payload`] → [`CanonicalRequest`] → [`StringToSign`] →
//! [`sign`] → [`Authorization`].
//!
//! Nothing here reads the clock or makes a nonce: `x-acs-date` and `x-acs-signature-nonce`
//! come in with the other headers, so every stage is testable with fixed vectors. The rules
//! are Aliyun's ("Request syntax and signature method V3",
//! <https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature>),
//! as the official SDK utils implement them:
//!
//! - `CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n
//!   SignedHeaders \n HashedRequestPayload`, the URI being `/` for RPC APIs
//!   ([`RPC_CANONICAL_URI`]);
//! - the query is v1's [`CanonicalQuery`]: sorted by raw name in byte order, names and values
//!   percent-encoded by RFC 3986 (space `%20`, `*` `%2A`, `~` kept), an empty value as `name=`
//!   (the documented rule; the Python, Go and TypeScript utils leave names as they are, which
//!   comes to the same for Aliyun's param names, all made of unreserved characters);
//! - each signed header is `lower-case name:trimmed value\n`, sorted by name; a name sent
//!   twice (in any case) is one entry whose values are sorted and joined with `,`;
//!   `SignedHeaders` are the names joined with `;`;
//! - `StringToSign = "ACS3-HMAC-SHA256\n" + hex(SHA-256(CanonicalRequest))`;
//! - `Signature = hex(HMAC-SHA256(AccessKeySecret, StringToSign))`, keyed by the raw secret
//!   (no `&`, unlike v1);
//! - sent as `Authorization: ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<…>,Signature=<…>`.
//!
//! Which headers are signed is the signer's choice (Aliyun's Go and Java SDKs sign `host`,
//! `content-type` and the `x-acs-*` ones; the Python SDK every header it sends), within one
//! rule: the [`MANDATORY_HEADERS`] are always signed. A verifier therefore rebuilds the
//! canonical headers from the request's own `SignedHeaders`, with [`Authorization::parse`]
//! and [`CanonicalHeaders::select`].
//!
//! The worked example of Aliyun's documentation, stage by stage:
//!
//! ```
//! use aliyun_rpc::signing::v3::{
//!     hashed_payload, sign, Authorization, CanonicalHeaders, CanonicalRequest, StringToSign,
//!     RPC_CANONICAL_URI,
//! };
//! use aliyun_rpc::signing::CanonicalQuery;
//!
//! let query = CanonicalQuery::new(&[
//!     ("RegionId", "cn-shanghai"),
//!     ("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"),
//! ]);
//! let payload = hashed_payload(b"");
//! let headers = CanonicalHeaders::new(&[
//!     ("host", "ecs.cn-shanghai.aliyuncs.com"),
//!     ("x-acs-action", "RunInstances"),
//!     ("x-acs-version", "2014-05-26"),
//!     ("x-acs-date", "2023-10-26T10:22:32Z"),
//!     ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
//!     ("x-acs-content-sha256", payload.as_str()),
//! ]);
//! let request = CanonicalRequest::new("POST", RPC_CANONICAL_URI, &query, &headers, &payload);
//! assert_eq!(
//!     request.as_str(),
//!     "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n\
//!      host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n\
//!      x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
//!      x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n\
//!      x-acs-version:2014-05-26\n\n\
//!      host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n\
//!      e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
//! );
//!
//! let string_to_sign = StringToSign::new(&request);
//! assert_eq!(
//!     string_to_sign.as_str(),
//!     "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
//! );
//!
//! let signature = sign(string_to_sign.as_str(), "YourAccessKeySecret");
//! assert_eq!(signature, "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
//!
//! let authorization = Authorization::new("YourAccessKeyId", request.signed_headers(), &signature);
//! assert_eq!(
//!     authorization.as_str(),
//!     "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,\
//!      SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,\
//!      Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
//! );
//! ```

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::CanonicalQuery;
use crate::wire;

mod authorization;
mod fast;

pub use authorization::{
    Authorization, AuthorizationPart, ParseAuthorizationError, MAX_AUTHORIZATION_LEN,
    MAX_SIGNED_HEADERS,
};
pub(crate) use fast::{
    sign_request, write_canonical_request, Signed, SignedHeaders, Values, STRING_TO_SIGN_LEN,
};

/// The signature algorithm's name, the first word of the `Authorization` header.
///
/// ```
/// use aliyun_rpc::signing::v3::{Authorization, ALGORITHM};
/// assert!(Authorization::new("id", "host", "00").as_str().starts_with(ALGORITHM));
/// ```
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// The canonical URI of every RPC-style API: `/` (ROA-style APIs sign their encoded path).
///
/// ```
/// assert_eq!(aliyun_rpc::signing::v3::RPC_CANONICAL_URI, "/");
/// ```
pub const RPC_CANONICAL_URI: &str = "/";

/// [`hashed_payload`] of an empty body, what a request without one signs and sends as
/// `x-acs-content-sha256`.
///
/// ```
/// use aliyun_rpc::signing::v3::{hashed_payload, EMPTY_PAYLOAD_HASH};
/// assert_eq!(hashed_payload(b""), EMPTY_PAYLOAD_HASH);
/// ```
pub const EMPTY_PAYLOAD_HASH: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The headers every V3 request must sign, in canonical (byte) order: `host`, `x-acs-action`,
/// `x-acs-content-sha256`, `x-acs-date`, `x-acs-signature-nonce`, `x-acs-version`.
///
/// A verifier refuses a request whose `SignedHeaders` lacks one of them
/// ([`Authorization::missing_mandatory_headers`]). With STS credentials,
/// [`X_ACS_SECURITY_TOKEN`](crate::wire::X_ACS_SECURITY_TOKEN) is sent and signed as well.
///
/// ```
/// use aliyun_rpc::signing::v3::MANDATORY_HEADERS;
/// assert!(MANDATORY_HEADERS.contains(&"x-acs-content-sha256"));
/// assert!(MANDATORY_HEADERS.windows(2).all(|w| w[0] < w[1]));
/// ```
pub const MANDATORY_HEADERS: [&str; 6] = [
    wire::HOST,
    wire::X_ACS_ACTION,
    wire::X_ACS_CONTENT_SHA256,
    wire::X_ACS_DATE,
    wire::X_ACS_SIGNATURE_NONCE,
    wire::X_ACS_VERSION,
];

/// The lower-case hex SHA-256 of `body`: the `HashedRequestPayload` of the canonical request
/// and the value of `x-acs-content-sha256`. A request without a body hashes the empty string
/// ([`EMPTY_PAYLOAD_HASH`]).
///
/// ```
/// use aliyun_rpc::signing::v3::hashed_payload;
/// assert_eq!(
///     hashed_payload(b"test"),
///     "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
/// );
/// ```
pub fn hashed_payload(body: &[u8]) -> String {
    hex_lower(&Sha256::digest(body))
}

/// The canonical headers: each signed header as `name:value\n`, names lower-cased, values
/// trimmed, sorted by name; plus their names joined with `;` (`SignedHeaders`).
///
/// Every header given is signed: the signer passes the ones it chooses to sign (at least
/// the [`MANDATORY_HEADERS`]). A name given twice, in any case, is one entry whose values are
/// sorted and joined with `,`, as the official Python, Go and TypeScript utils do.
///
/// ```
/// use aliyun_rpc::signing::v3::CanonicalHeaders;
///
/// let h = CanonicalHeaders::new(&[("X-Acs-Meta", " b "), ("host", "h"), ("x-acs-meta", "a")]);
/// assert_eq!(h.as_str(), "host:h\nx-acs-meta:a,b\n");
/// assert_eq!(h.signed_headers(), "host;x-acs-meta");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalHeaders {
    text: String,
    signed: String,
}

impl CanonicalHeaders {
    /// Canonicalizes `headers` (any order, any case in), signing every one of them.
    pub fn new<N: AsRef<str>, V: AsRef<str>>(headers: &[(N, V)]) -> Self {
        let mut entries: Vec<(Cow<'_, str>, &str)> = headers
            .iter()
            .map(|(n, v)| (ascii_lowercase(n.as_ref()), v.as_ref().trim()))
            .collect();
        // Sorting by value too orders the values within a name, as the utils do before joining.
        entries.sort_unstable();
        let len: usize = entries.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
        let mut text = String::with_capacity(len);
        let mut signed = String::with_capacity(len / 2);
        let mut previous: Option<&str> = None;
        for (name, value) in &entries {
            if previous == Some(name.as_ref()) {
                text.pop();
                text.push(',');
            } else {
                if previous.is_some() {
                    signed.push(';');
                }
                signed.push_str(name);
                text.push_str(name);
                text.push(':');
            }
            text.push_str(value);
            text.push('\n');
            previous = Some(name.as_ref());
        }
        CanonicalHeaders { text, signed }
    }

    /// For a verifier: the canonical headers of a received request, over the headers its
    /// `SignedHeaders` names (`signed`, e.g. [`Authorization::signed_header_names`]), taken
    /// from all of the request's `headers` (any case).
    ///
    /// Names are compared without regard to case, and a name listed twice counts once. Fails
    /// on the first signed name that no header of the request has. The work grows with the
    /// product of the two counts: pass the names of a parsed [`Authorization`], which holds at
    /// most [`MAX_SIGNED_HEADERS`] of them.
    ///
    /// ```
    /// use aliyun_rpc::signing::v3::CanonicalHeaders;
    ///
    /// let received = [("Host", "h"), ("User-Agent", "x"), ("X-Acs-Date", "d")];
    /// let h = CanonicalHeaders::select(["host", "x-acs-date"], &received)?;
    /// assert_eq!(h.as_str(), "host:h\nx-acs-date:d\n");
    ///
    /// let missing = CanonicalHeaders::select(["host", "x-acs-action"], &received).unwrap_err();
    /// assert_eq!(missing.name(), "x-acs-action");
    /// # Ok::<(), aliyun_rpc::signing::v3::MissingSignedHeader>(())
    /// ```
    pub fn select<'s, N: AsRef<str>, V: AsRef<str>>(
        signed: impl IntoIterator<Item = &'s str>,
        headers: &[(N, V)],
    ) -> Result<Self, MissingSignedHeader> {
        let mut chosen: Vec<(&str, &str)> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for name in signed {
            if seen.iter().any(|s| s.eq_ignore_ascii_case(name)) {
                continue;
            }
            seen.push(name);
            let before = chosen.len();
            chosen.extend(
                headers
                    .iter()
                    .filter(|(n, _)| n.as_ref().eq_ignore_ascii_case(name))
                    .map(|(n, v)| (n.as_ref(), v.as_ref())),
            );
            if chosen.len() == before {
                return Err(MissingSignedHeader {
                    name: name.to_ascii_lowercase(),
                });
            }
        }
        Ok(Self::new(&chosen))
    }

    /// The canonical headers: `name:value\n` for each, the last line ending with `\n` too.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// `SignedHeaders`: the lower-case names, sorted, joined with `;`.
    pub fn signed_headers(&self) -> &str {
        &self.signed
    }
}

/// A header that a request's `SignedHeaders` names but that the request does not carry
/// (from [`CanonicalHeaders::select`]).
///
/// ```
/// use aliyun_rpc::signing::v3::CanonicalHeaders;
///
/// let err = CanonicalHeaders::select(["x-acs-date"], &[("host", "h")]).unwrap_err();
/// assert_eq!(err.name(), "x-acs-date");
/// assert_eq!(err.to_string(), "signed header `x-acs-date` is not in the request");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("signed header `{name}` is not in the request")]
pub struct MissingSignedHeader {
    name: String,
}

impl MissingSignedHeader {
    /// The missing header's name, lower-cased.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// The canonical request: method, canonical URI, canonical query, canonical headers, signed
/// headers and hashed payload, each on its line.
///
/// See the [module](self) for a whole example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalRequest {
    text: String,
    signed_headers: Range<usize>,
}

impl CanonicalRequest {
    /// Assembles the canonical request. `method` is the HTTP method in upper case;
    /// `canonical_uri` is [`RPC_CANONICAL_URI`] for RPC APIs; `hashed_payload` is
    /// [`hashed_payload`] of the body, the value sent as `x-acs-content-sha256`.
    ///
    /// ```
    /// use aliyun_rpc::signing::v3::{CanonicalHeaders, CanonicalRequest, EMPTY_PAYLOAD_HASH};
    /// use aliyun_rpc::signing::CanonicalQuery;
    ///
    /// let query = CanonicalQuery::new(&[("RegionId", "cn-hangzhou")]);
    /// let headers = CanonicalHeaders::new(&[("host", "ecs.aliyuncs.com")]);
    /// let request = CanonicalRequest::new("GET", "/", &query, &headers, EMPTY_PAYLOAD_HASH);
    /// assert_eq!(
    ///     request.as_str(),
    ///     format!("GET\n/\nRegionId=cn-hangzhou\nhost:ecs.aliyuncs.com\n\nhost\n{EMPTY_PAYLOAD_HASH}")
    /// );
    /// assert_eq!(request.signed_headers(), "host");
    /// ```
    pub fn new(
        method: &str,
        canonical_uri: &str,
        query: &CanonicalQuery,
        headers: &CanonicalHeaders,
        hashed_payload: &str,
    ) -> Self {
        let parts = [
            method,
            canonical_uri,
            query.as_str(),
            headers.as_str(),
            headers.signed_headers(),
            hashed_payload,
        ];
        let mut text = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
        let mut signed_headers = 0..0;
        for (i, part) in parts.iter().enumerate() {
            if i != 0 {
                text.push('\n');
            }
            let start = text.len();
            text.push_str(part);
            if i == 4 {
                signed_headers = start..text.len();
            }
        }
        CanonicalRequest {
            text,
            signed_headers,
        }
    }

    /// The canonical request.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The `SignedHeaders` line: what the `Authorization` header names.
    pub fn signed_headers(&self) -> &str {
        self.text.get(self.signed_headers.clone()).unwrap_or("")
    }

    /// The canonical request, owned.
    pub fn into_string(self) -> String {
        self.text
    }
}

impl fmt::Display for CanonicalRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// `ACS3-HMAC-SHA256\n` + the lower-case hex SHA-256 of the canonical request: what the
/// signature covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringToSign(String);

impl StringToSign {
    /// Hashes `request` into its string to sign.
    ///
    /// ```
    /// use aliyun_rpc::signing::v3::{CanonicalHeaders, CanonicalRequest, StringToSign};
    /// use aliyun_rpc::signing::CanonicalQuery;
    ///
    /// let none: [(&str, &str); 0] = [];
    /// let request = CanonicalRequest::new(
    ///     "GET", "/", &CanonicalQuery::new(&none), &CanonicalHeaders::new(&none), "",
    /// );
    /// let sts = StringToSign::new(&request);
    /// assert_eq!(sts.as_str(), format!("ACS3-HMAC-SHA256\n{}", sts.hashed_canonical_request()));
    /// ```
    pub fn new(request: &CanonicalRequest) -> Self {
        let mut text = String::with_capacity(ALGORITHM.len() + 1 + 64);
        text.push_str(ALGORITHM);
        text.push('\n');
        push_hex_lower(&mut text, &Sha256::digest(request.as_str().as_bytes()));
        StringToSign(text)
    }

    /// The string to sign.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its second line, `HashedCanonicalRequest`: the hex SHA-256 of the canonical request.
    pub fn hashed_canonical_request(&self) -> &str {
        self.0.get(ALGORITHM.len() + 1..).unwrap_or("")
    }
}

impl fmt::Display for StringToSign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The V3 signature: the lower-case hex HMAC-SHA256 of `string_to_sign`, keyed with the raw
/// `access_key_secret` (no `&` appended, unlike v1's [`sign`](super::sign)).
///
/// ```
/// use aliyun_rpc::signing::v3::sign;
/// assert_eq!(
///     sign("ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259", "YourAccessKeySecret"),
///     "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
/// );
/// ```
pub fn sign(string_to_sign: &str, access_key_secret: &str) -> String {
    hex_lower(&SigningKey::new(access_key_secret).mac(string_to_sign.as_bytes()))
}

/// The HMAC-SHA256 keyed with a raw secret, before any input: keying hashes two blocks, so a
/// signer that signs often keeps one per secret and starts every signature from a copy.
#[derive(Clone)]
pub(crate) struct SigningKey(Hmac<Sha256>);

impl SigningKey {
    /// Keys the HMAC with `access_key_secret`. HMAC (RFC 2104) zero-pads a key to the 64-byte
    /// block, or first hashes it if it is longer; done here, so that the key always has the
    /// block's size and keying cannot fail.
    pub(crate) fn new(access_key_secret: &str) -> Self {
        let secret = access_key_secret.as_bytes();
        let mut block = [0u8; 64];
        if secret.len() <= block.len() {
            block[..secret.len()].copy_from_slice(secret);
        } else {
            block[..32].copy_from_slice(&Sha256::digest(secret));
        }
        SigningKey(<Hmac<Sha256> as KeyInit>::new(&block.into()))
    }

    /// The MAC of `message`.
    pub(crate) fn mac(&self, message: &[u8]) -> [u8; 32] {
        let mut mac = self.0.clone();
        mac.update(message);
        mac.finalize().into_bytes().into()
    }
}

/// `name` with ASCII letters lower-cased, borrowed when it has no upper-case letter (the
/// names signers send).
fn ascii_lowercase(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// `bytes` in lower-case hex.
fn hex_lower(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_hex_lower(&mut out, bytes);
    out
}

/// Appends `bytes` in lower-case hex.
fn push_hex_lower(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keying by hand (zero-pad, or hash a key longer than the block) gives the MAC that the
    /// `hmac` crate computes from the raw key, for every secret length around the block.
    #[test]
    fn signing_key_matches_hmac_keyed_from_the_raw_key() {
        for len in [0, 1, 10, 31, 32, 33, 63, 64, 65, 100, 200] {
            let secret = "k".repeat(len);
            let mut expected = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap();
            expected.update(b"ACS3-HMAC-SHA256\nabc");
            assert_eq!(
                SigningKey::new(&secret).mac(b"ACS3-HMAC-SHA256\nabc"),
                <[u8; 32]>::from(expected.finalize().into_bytes()),
                "secret of {len} bytes"
            );
        }
    }

    #[test]
    fn hex_is_lower_case_and_two_digits_a_byte() {
        assert_eq!(hex_lower(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
        assert_eq!(hex_lower(&[]), "");
    }

    #[test]
    fn empty_payload_hash_is_the_hash_of_nothing() {
        assert_eq!(hashed_payload(b""), EMPTY_PAYLOAD_HASH);
        assert_eq!(hashed_payload(&[]).len(), 64);
    }

    #[test]
    fn canonical_headers_of_nothing_are_empty() {
        let none: [(&str, &str); 0] = [];
        let h = CanonicalHeaders::new(&none);
        assert_eq!((h.as_str(), h.signed_headers()), ("", ""));
    }

    /// Repeated names in any case join their sorted values; values are trimmed, names
    /// lower-cased; the names sort by byte.
    #[test]
    fn canonical_headers_join_repeated_names() {
        let h = CanonicalHeaders::new(&[
            ("x-acs-b", "2"),
            ("X-ACS-A", "  z\t"),
            ("host", "h"),
            ("x-acs-a", "y"),
            ("X-Acs-A", ""),
        ]);
        assert_eq!(h.as_str(), "host:h\nx-acs-a:,y,z\nx-acs-b:2\n");
        assert_eq!(h.signed_headers(), "host;x-acs-a;x-acs-b");
    }

    /// A verifier's selection equals the signer's canonical headers over the same headers,
    /// whatever else the request carries and however the names are cased.
    #[test]
    fn select_rebuilds_what_the_signer_signed() {
        let signed = [("host", "h"), ("x-acs-date", "d"), ("x-acs-meta", "2")];
        let received = [
            ("Host", "h"),
            ("User-Agent", "u"),
            ("X-Acs-Date", "d"),
            ("accept", "a"),
            ("x-acs-meta", "2"),
        ];
        let signer = CanonicalHeaders::new(&signed);
        let names: Vec<&str> = signer.signed_headers().split(';').collect();
        let verifier = CanonicalHeaders::select(names.iter().copied(), &received);
        assert_eq!(verifier.as_ref(), Ok(&signer));
        let twice = CanonicalHeaders::select(["HOST", "host", "x-acs-date"], &received);
        assert_eq!(
            twice.map(|h| h.signed_headers().to_owned()),
            Ok("host;x-acs-date".to_owned())
        );
        let missing = CanonicalHeaders::select(["host", "X-Acs-Action"], &received);
        assert_eq!(
            missing.map_err(|e| e.to_string()),
            Err("signed header `x-acs-action` is not in the request".to_owned())
        );
    }

    #[test]
    fn string_to_sign_exposes_the_hashed_canonical_request() {
        let none: [(&str, &str); 0] = [];
        let request = CanonicalRequest::new(
            "POST",
            RPC_CANONICAL_URI,
            &CanonicalQuery::new(&none),
            &CanonicalHeaders::new(&none),
            EMPTY_PAYLOAD_HASH,
        );
        assert_eq!(request.signed_headers(), "");
        let sts = StringToSign::new(&request);
        assert_eq!(
            sts.hashed_canonical_request(),
            hashed_payload(request.as_str().as_bytes())
        );
        assert!(sts.as_str().starts_with("ACS3-HMAC-SHA256\n"));
    }
}
