//! The `Authorization` header of signature V3: built by a signer, parsed by a verifier.
//!
//! A verifier parses bytes that anyone can send, so the parser bounds what it accepts
//! ([`MAX_AUTHORIZATION_LEN`], [`MAX_SIGNED_HEADERS`]), looks at each byte once, allocates
//! only for what it keeps, and reports the first thing wrong precisely.

use std::fmt;
use std::ops::Range;

use super::{ALGORITHM, MANDATORY_HEADERS};
use crate::wire::REDACTED;

/// The longest `Authorization` value [`Authorization::parse`] reads, in bytes. The header of
/// a request that signs every header the official SDKs send is under 400 bytes.
///
/// ```
/// use aliyun_rpc::signing::v3::{Authorization, ParseAuthorizationError, MAX_AUTHORIZATION_LEN};
///
/// let huge = format!("ACS3-HMAC-SHA256 Credential={}", "a".repeat(MAX_AUTHORIZATION_LEN));
/// assert!(matches!(Authorization::parse(&huge), Err(ParseAuthorizationError::TooLong { .. })));
/// ```
pub const MAX_AUTHORIZATION_LEN: usize = 4096;

/// The most names a `SignedHeaders` list may hold for [`Authorization::parse`].
///
/// ```
/// use aliyun_rpc::signing::v3::{Authorization, ParseAuthorizationError, MAX_SIGNED_HEADERS};
///
/// let names = vec!["x-acs-a"; MAX_SIGNED_HEADERS + 1].join(";");
/// let sig = "0".repeat(64);
/// let text = format!("ACS3-HMAC-SHA256 Credential=id,SignedHeaders={names},Signature={sig}");
/// assert_eq!(
///     Authorization::parse(&text),
///     Err(ParseAuthorizationError::TooManySignedHeaders { max: MAX_SIGNED_HEADERS })
/// );
/// ```
pub const MAX_SIGNED_HEADERS: usize = 64;

/// The longest text of the input an error quotes, in bytes.
const QUOTE_MAX: usize = 64;

/// The value of a V3 `Authorization` header:
/// `ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<a;b;…>,Signature=<hex>`.
///
/// A signer builds it with [`new`](Self::new) and sends [`as_str`](Self::as_str); a verifier
/// reads the received header with [`parse`](Self::parse), checks
/// [`missing_mandatory_headers`](Self::missing_mandatory_headers), rebuilds the canonical
/// headers from [`signed_header_names`](Self::signed_header_names) and compares its own
/// signature with [`signature_matches`](Self::signature_matches).
///
/// `Debug` shows the credential and the signed headers but not the signature.
///
/// ```
/// use aliyun_rpc::signing::v3::Authorization;
///
/// let sig = "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0";
/// let built = Authorization::new("YourAccessKeyId", "host;x-acs-action", sig);
/// assert_eq!(
///     built.as_str(),
///     format!("ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action,Signature={sig}")
/// );
///
/// // As some clients send it: spaces after the commas.
/// let received = format!("ACS3-HMAC-SHA256 Credential=YourAccessKeyId, SignedHeaders=host;x-acs-action, Signature={sig}");
/// let parsed = Authorization::parse(&received)?;
/// assert_eq!(parsed, built);
/// assert_eq!(parsed.credential(), "YourAccessKeyId");
/// assert_eq!(parsed.signed_header_names().collect::<Vec<_>>(), ["host", "x-acs-action"]);
/// assert!(parsed.signature_matches(sig));
/// assert_eq!(
///     parsed.missing_mandatory_headers().collect::<Vec<_>>(),
///     ["x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"]
/// );
/// # Ok::<(), aliyun_rpc::signing::v3::ParseAuthorizationError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The header value as [`new`](Self::new) writes it.
    text: String,
    credential: Range<usize>,
    signed_headers: Range<usize>,
    signature: Range<usize>,
}

impl Authorization {
    /// Builds the header value from the access key id, the canonical request's
    /// `SignedHeaders` ([`CanonicalRequest::signed_headers`](super::CanonicalRequest::signed_headers))
    /// and the signature ([`sign`](super::sign)).
    pub fn new(access_key_id: &str, signed_headers: &str, signature: &str) -> Self {
        const CREDENTIAL: &str = " Credential=";
        const SIGNED_HEADERS: &str = ",SignedHeaders=";
        const SIGNATURE: &str = ",Signature=";
        let mut text = String::with_capacity(
            ALGORITHM.len()
                + CREDENTIAL.len()
                + access_key_id.len()
                + SIGNED_HEADERS.len()
                + signed_headers.len()
                + SIGNATURE.len()
                + signature.len(),
        );
        text.push_str(ALGORITHM);
        let credential = push_part(&mut text, CREDENTIAL, access_key_id);
        let signed_headers = push_part(&mut text, SIGNED_HEADERS, signed_headers);
        let signature = push_part(&mut text, SIGNATURE, signature);
        Authorization {
            text,
            credential,
            signed_headers,
            signature,
        }
    }

    /// Parses a received `Authorization` value, as a verifier must: it may come from anyone.
    ///
    /// Accepts the three parts in any order, separated by `,` with optional spaces or tabs
    /// around each part (some clients send `, `), and spaces or tabs around the whole value.
    /// Refuses, with the first problem found: an empty or over-long value
    /// ([`MAX_AUTHORIZATION_LEN`]), a byte that is not visible ASCII, space or tab, an
    /// algorithm other than [`ALGORITHM`], a part that is not `Name=value`, an unknown,
    /// repeated or missing part, an empty or ill-formed credential, a `SignedHeaders` name
    /// that is empty or not an HTTP token, more than [`MAX_SIGNED_HEADERS`] names, and a
    /// signature that is not 64 hex digits.
    ///
    /// An empty `SignedHeaders` list parses (the official TypeScript util can send one); a
    /// verifier then refuses it by [`missing_mandatory_headers`](Self::missing_mandatory_headers).
    ///
    /// ```
    /// use aliyun_rpc::signing::v3::{Authorization, AuthorizationPart, ParseAuthorizationError};
    ///
    /// let v1ish = Authorization::parse("HMAC-SHA1 Credential=id,SignedHeaders=host,Signature=00");
    /// assert!(matches!(v1ish, Err(ParseAuthorizationError::UnknownAlgorithm { .. })));
    ///
    /// let no_signature = Authorization::parse("ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host");
    /// assert_eq!(
    ///     no_signature,
    ///     Err(ParseAuthorizationError::MissingPart { part: AuthorizationPart::Signature })
    /// );
    /// ```
    pub fn parse(value: &str) -> Result<Self, ParseAuthorizationError> {
        if value.len() > MAX_AUTHORIZATION_LEN {
            return Err(ParseAuthorizationError::TooLong {
                len: value.len(),
                max: MAX_AUTHORIZATION_LEN,
            });
        }
        if let Some(at) = value
            .bytes()
            .position(|b| !(b.is_ascii_graphic() || is_blank(b)))
        {
            return Err(ParseAuthorizationError::InvalidCharacter { at });
        }
        // From here on the value is ASCII: every byte index is a char boundary.
        let value = value.trim_matches(is_blank_char);
        if value.is_empty() {
            return Err(ParseAuthorizationError::Empty);
        }
        let (algorithm, rest) = match value.find(is_blank_char) {
            Some(at) => (value.get(..at).unwrap_or(""), value.get(at..).unwrap_or("")),
            None => (value, ""),
        };
        if algorithm != ALGORITHM {
            return Err(ParseAuthorizationError::UnknownAlgorithm {
                algorithm: quote(algorithm),
            });
        }
        let rest = rest.trim_matches(is_blank_char);

        let mut credential = None;
        let mut signed_headers = None;
        let mut signature = None;
        if !rest.is_empty() {
            for item in rest.split(',') {
                let item = item.trim_matches(is_blank_char);
                let Some((name, part_value)) = item.split_once('=') else {
                    return Err(ParseAuthorizationError::MalformedPart { text: quote(item) });
                };
                if name.is_empty() || item.bytes().any(is_blank) {
                    return Err(ParseAuthorizationError::MalformedPart { text: quote(item) });
                }
                let (part, slot) = match name {
                    "Credential" => (AuthorizationPart::Credential, &mut credential),
                    "SignedHeaders" => (AuthorizationPart::SignedHeaders, &mut signed_headers),
                    "Signature" => (AuthorizationPart::Signature, &mut signature),
                    _ => return Err(ParseAuthorizationError::UnknownPart { name: quote(name) }),
                };
                if slot.replace(part_value).is_some() {
                    return Err(ParseAuthorizationError::DuplicatePart { part });
                }
            }
        }
        let missing = |part| ParseAuthorizationError::MissingPart { part };
        let credential = credential.ok_or(missing(AuthorizationPart::Credential))?;
        let signed_headers = signed_headers.ok_or(missing(AuthorizationPart::SignedHeaders))?;
        let signature = signature.ok_or(missing(AuthorizationPart::Signature))?;

        if credential.is_empty() {
            return Err(ParseAuthorizationError::EmptyCredential);
        }
        if !credential.bytes().all(is_token_byte) {
            return Err(ParseAuthorizationError::InvalidCredential);
        }
        if !signed_headers.is_empty() {
            let mut count = 0;
            for name in signed_headers.split(';') {
                count += 1;
                if count > MAX_SIGNED_HEADERS {
                    return Err(ParseAuthorizationError::TooManySignedHeaders {
                        max: MAX_SIGNED_HEADERS,
                    });
                }
                if name.is_empty() {
                    return Err(ParseAuthorizationError::EmptyHeaderName);
                }
                if !name.bytes().all(is_token_byte) {
                    return Err(ParseAuthorizationError::InvalidHeaderName { name: quote(name) });
                }
            }
        }
        if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ParseAuthorizationError::InvalidSignature);
        }
        Ok(Authorization::new(credential, signed_headers, signature))
    }

    /// The header value: `ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…` (for a
    /// parsed one, rewritten in this form, without the spaces it may have had).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The `Credential`: the access key id.
    pub fn credential(&self) -> &str {
        self.text.get(self.credential.clone()).unwrap_or("")
    }

    /// The `SignedHeaders` list as written: names joined with `;`.
    pub fn signed_headers(&self) -> &str {
        self.text.get(self.signed_headers.clone()).unwrap_or("")
    }

    /// The names of the signed headers, in the order written (none for an empty list).
    pub fn signed_header_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.signed_headers()
            .split(';')
            .filter(|name| !name.is_empty())
    }

    /// `true` if the `SignedHeaders` list names `header` (compared without regard to case).
    pub fn signs(&self, header: &str) -> bool {
        self.signed_header_names()
            .any(|name| name.eq_ignore_ascii_case(header))
    }

    /// The [`MANDATORY_HEADERS`] that the `SignedHeaders` list does not name, in their order:
    /// none for a request that a verifier may go on checking.
    pub fn missing_mandatory_headers(&self) -> impl Iterator<Item = &'static str> + '_ {
        MANDATORY_HEADERS
            .into_iter()
            .filter(move |header| !self.signs(header))
    }

    /// The `Signature`: hex digits, as sent.
    pub fn signature(&self) -> &str {
        self.text.get(self.signature.clone()).unwrap_or("")
    }

    /// `true` if the signature is exactly `expected` (the verifier's own [`sign`](super::sign)),
    /// compared in time that does not depend on where they differ.
    pub fn signature_matches(&self, expected: &str) -> bool {
        let (ours, theirs) = (self.signature().as_bytes(), expected.as_bytes());
        ours.len() == theirs.len()
            && ours
                .iter()
                .zip(theirs)
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }
}

impl std::str::FromStr for Authorization {
    type Err = ParseAuthorizationError;

    /// [`Authorization::parse`].
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Authorization::parse(value)
    }
}

impl fmt::Debug for Authorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authorization")
            .field("credential", &self.credential())
            .field("signed_headers", &self.signed_headers())
            .field("signature", &REDACTED)
            .finish()
    }
}

/// One of the three parts of an `Authorization` value.
///
/// ```
/// use aliyun_rpc::signing::v3::AuthorizationPart;
/// assert_eq!(AuthorizationPart::SignedHeaders.to_string(), "SignedHeaders");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthorizationPart {
    /// `Credential=<AccessKeyId>`.
    Credential,
    /// `SignedHeaders=<a;b;…>`.
    SignedHeaders,
    /// `Signature=<hex>`.
    Signature,
}

impl AuthorizationPart {
    /// The part's name as written in the header.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthorizationPart::Credential => "Credential",
            AuthorizationPart::SignedHeaders => "SignedHeaders",
            AuthorizationPart::Signature => "Signature",
        }
    }
}

impl fmt::Display for AuthorizationPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why [`Authorization::parse`] refused a value. Text it quotes from the input is cut to
/// 64 bytes.
///
/// ```
/// use aliyun_rpc::signing::v3::{Authorization, ParseAuthorizationError};
///
/// let err = Authorization::parse("ACS3-HMAC-SHA256 Credential=,SignedHeaders=host,Signature=00");
/// assert_eq!(err, Err(ParseAuthorizationError::EmptyCredential));
/// assert_eq!(
///     ParseAuthorizationError::EmptyCredential.to_string(),
///     "the Authorization `Credential` is empty; expected the access key id"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseAuthorizationError {
    /// Nothing but spaces.
    #[error("the Authorization header is empty")]
    Empty,
    /// Longer than [`MAX_AUTHORIZATION_LEN`].
    #[error("the Authorization header has {len} bytes, more than the {max} accepted")]
    TooLong {
        /// The value's length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A byte that is neither visible ASCII, space nor tab.
    #[error("the Authorization header has a byte that is not visible ASCII at {at}")]
    InvalidCharacter {
        /// The byte's index in the value.
        at: usize,
    },
    /// The first word is not [`ALGORITHM`].
    #[error("unknown signature algorithm `{algorithm}`; expected `ACS3-HMAC-SHA256`")]
    UnknownAlgorithm {
        /// The first word of the value.
        algorithm: String,
    },
    /// A comma-separated part that is not `Name=value` (or holds a space).
    #[error("malformed Authorization part `{text}`; expected `Name=value`")]
    MalformedPart {
        /// The part as sent.
        text: String,
    },
    /// A part other than `Credential`, `SignedHeaders` and `Signature`.
    #[error(
        "unknown Authorization part `{name}`; expected `Credential`, `SignedHeaders` or `Signature`"
    )]
    UnknownPart {
        /// The part's name.
        name: String,
    },
    /// A part given twice.
    #[error("the Authorization part `{part}` is given twice")]
    DuplicatePart {
        /// The repeated part.
        part: AuthorizationPart,
    },
    /// A part not given.
    #[error("the Authorization header has no `{part}`")]
    MissingPart {
        /// The missing part.
        part: AuthorizationPart,
    },
    /// `Credential=` with nothing after it.
    #[error("the Authorization `Credential` is empty; expected the access key id")]
    EmptyCredential,
    /// A credential with characters that no access key id has.
    #[error("the Authorization `Credential` is not a valid access key id")]
    InvalidCredential,
    /// `SignedHeaders` with an empty name (`a;;b`, a trailing `;`).
    #[error("the Authorization `SignedHeaders` has an empty header name")]
    EmptyHeaderName,
    /// A `SignedHeaders` name that is not an HTTP token.
    #[error("the Authorization `SignedHeaders` names `{name}`, which is not a header name")]
    InvalidHeaderName {
        /// The name as sent.
        name: String,
    },
    /// More than [`MAX_SIGNED_HEADERS`] names.
    #[error("the Authorization `SignedHeaders` has more than {max} names")]
    TooManySignedHeaders {
        /// The limit.
        max: usize,
    },
    /// A signature that is not 64 hex digits.
    #[error("the Authorization `Signature` is not 64 hexadecimal digits")]
    InvalidSignature,
}

/// Appends `label` and `value` to `text`, returning where `value` sits.
fn push_part(text: &mut String, label: &str, value: &str) -> Range<usize> {
    text.push_str(label);
    let start = text.len();
    text.push_str(value);
    start..text.len()
}

/// Space or tab: what may surround the value and its parts.
fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn is_blank_char(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// An HTTP token byte (RFC 9110 `tchar`): what header names, and access key ids, are made of.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// `text` (ASCII), cut to [`QUOTE_MAX`] bytes, for an error.
fn quote(text: &str) -> String {
    text.get(..QUOTE_MAX.min(text.len()))
        .unwrap_or("")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIG: &str = "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0";
    const SIGNED: &str =
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version";

    fn valid() -> String {
        format!(
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders={SIGNED},Signature={SIG}"
        )
    }

    #[test]
    fn parses_what_it_builds() {
        let built = Authorization::new("YourAccessKeyId", SIGNED, SIG);
        assert_eq!(built.as_str(), valid());
        let parsed = Authorization::parse(built.as_str());
        assert_eq!(parsed.as_ref(), Ok(&built));
        assert_eq!(valid().parse::<Authorization>().as_ref(), Ok(&built));
        assert_eq!(built.credential(), "YourAccessKeyId");
        assert_eq!(built.signed_headers(), SIGNED);
        assert_eq!(built.signature(), SIG);
        assert_eq!(built.missing_mandatory_headers().count(), 0);
    }

    /// What real clients vary: spaces after commas or around parts, tabs, the parts' order,
    /// spaces around the whole value, several spaces after the algorithm, upper-case hex.
    #[test]
    fn tolerates_the_spacing_and_order_clients_send() {
        let upper = SIG.to_ascii_uppercase();
        for text in [
            format!("ACS3-HMAC-SHA256 Credential=YourAccessKeyId, SignedHeaders={SIGNED}, Signature={SIG}"),
            format!("  ACS3-HMAC-SHA256   Credential=YourAccessKeyId ,\tSignedHeaders={SIGNED} ,Signature={SIG}\t"),
            format!("ACS3-HMAC-SHA256\tSignature={SIG},Credential=YourAccessKeyId,SignedHeaders={SIGNED}"),
            format!("ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders={SIGNED},Signature={upper}"),
        ] {
            let parsed = Authorization::parse(&text);
            let Ok(parsed) = parsed else {
                panic!("{text:?}: {parsed:?}");
            };
            assert_eq!(parsed.credential(), "YourAccessKeyId", "{text:?}");
            assert_eq!(parsed.signed_headers(), SIGNED, "{text:?}");
            assert!(parsed.signature().eq_ignore_ascii_case(SIG), "{text:?}");
        }
    }

    #[test]
    fn refuses_each_kind_of_mistake_precisely() {
        use AuthorizationPart::*;
        use ParseAuthorizationError as E;
        let head = "ACS3-HMAC-SHA256";
        let long = "a".repeat(MAX_AUTHORIZATION_LEN + 1);
        let many = vec!["x-acs-h"; MAX_SIGNED_HEADERS + 1].join(";");
        let cases: Vec<(String, E)> = vec![
            (String::new(), E::Empty),
            ("  \t ".into(), E::Empty),
            (
                long.clone(),
                E::TooLong {
                    len: long.len(),
                    max: MAX_AUTHORIZATION_LEN,
                },
            ),
            (
                format!("{head} Credential=é"),
                E::InvalidCharacter { at: 28 },
            ),
            (
                format!("{head}\nCredential=x"),
                E::InvalidCharacter { at: 16 },
            ),
            (
                format!("ACS3-HMAC-SM3 Credential=id,SignedHeaders=host,Signature={SIG}"),
                E::UnknownAlgorithm {
                    algorithm: "ACS3-HMAC-SM3".into(),
                },
            ),
            (
                "acs3-hmac-sha256 Credential=id".into(),
                E::UnknownAlgorithm {
                    algorithm: "acs3-hmac-sha256".into(),
                },
            ),
            (
                format!("Credential=id,SignedHeaders=host,Signature={SIG}"),
                E::UnknownAlgorithm {
                    algorithm: format!("Credential=id,SignedHeaders=host,Signature={SIG}")
                        [..QUOTE_MAX]
                        .into(),
                },
            ),
            (head.into(), E::MissingPart { part: Credential }),
            (
                format!("{head} Credential=id,SignedHeaders=host"),
                E::MissingPart { part: Signature },
            ),
            (
                format!("{head} Credential=id,Signature={SIG}"),
                E::MissingPart {
                    part: SignedHeaders,
                },
            ),
            (
                format!("{head} SignedHeaders=host,Signature={SIG}"),
                E::MissingPart { part: Credential },
            ),
            (
                format!("{head} Credential=id,SignedHeaders=host,Signature={SIG},"),
                E::MalformedPart {
                    text: String::new(),
                },
            ),
            (
                format!("{head} Credential=id,,SignedHeaders=host,Signature={SIG}"),
                E::MalformedPart {
                    text: String::new(),
                },
            ),
            (
                format!("{head} Credential id,SignedHeaders=host,Signature={SIG}"),
                E::MalformedPart {
                    text: "Credential id".into(),
                },
            ),
            (
                format!("{head} Credential= id,SignedHeaders=host,Signature={SIG}"),
                E::MalformedPart {
                    text: "Credential= id".into(),
                },
            ),
            (
                format!("{head} =id,SignedHeaders=host,Signature={SIG}"),
                E::MalformedPart { text: "=id".into() },
            ),
            (
                format!("{head} credential=id,SignedHeaders=host,Signature={SIG}"),
                E::UnknownPart {
                    name: "credential".into(),
                },
            ),
            (
                format!("{head} Credential=id,Scope=x,SignedHeaders=host,Signature={SIG}"),
                E::UnknownPart {
                    name: "Scope".into(),
                },
            ),
            (
                format!("{head} Credential=id,Credential=id,SignedHeaders=host,Signature={SIG}"),
                E::DuplicatePart { part: Credential },
            ),
            (
                format!("{head} Credential=,SignedHeaders=host,Signature={SIG}"),
                E::EmptyCredential,
            ),
            (
                format!("{head} Credential=a=b,SignedHeaders=host,Signature={SIG}"),
                E::InvalidCredential,
            ),
            (
                format!("{head} Credential=id,SignedHeaders=host;,Signature={SIG}"),
                E::EmptyHeaderName,
            ),
            (
                format!("{head} Credential=id,SignedHeaders=;host,Signature={SIG}"),
                E::EmptyHeaderName,
            ),
            (
                format!("{head} Credential=id,SignedHeaders=host;x:y,Signature={SIG}"),
                E::InvalidHeaderName { name: "x:y".into() },
            ),
            (
                format!("{head} Credential=id,SignedHeaders={many},Signature={SIG}"),
                E::TooManySignedHeaders {
                    max: MAX_SIGNED_HEADERS,
                },
            ),
            (
                format!("{head} Credential=id,SignedHeaders=host,Signature="),
                E::InvalidSignature,
            ),
            (
                format!(
                    "{head} Credential=id,SignedHeaders=host,Signature={}",
                    &SIG[1..]
                ),
                E::InvalidSignature,
            ),
            (
                format!(
                    "{head} Credential=id,SignedHeaders=host,Signature={}g",
                    &SIG[1..]
                ),
                E::InvalidSignature,
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(Authorization::parse(&text), Err(expected), "{text:?}");
        }
    }

    /// An empty `SignedHeaders` parses; the verifier's mandatory check refuses it.
    #[test]
    fn empty_signed_headers_parse_and_miss_every_mandatory_header() {
        let parsed = Authorization::parse(&format!(
            "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=,Signature={SIG}"
        ));
        let Ok(parsed) = parsed else {
            panic!("{parsed:?}");
        };
        assert_eq!(parsed.signed_header_names().count(), 0);
        assert_eq!(
            parsed.missing_mandatory_headers().collect::<Vec<_>>(),
            MANDATORY_HEADERS
        );
    }

    #[test]
    fn signs_ignores_case_and_signature_matches_is_exact() {
        let auth = Authorization::new("id", "Host;X-Acs-Date", SIG);
        assert!(auth.signs("host") && auth.signs("x-acs-date") && !auth.signs("x-acs"));
        assert!(auth.signature_matches(SIG));
        assert!(!auth.signature_matches(&SIG.to_ascii_uppercase()));
        assert!(!auth.signature_matches(&SIG[1..]));
        assert!(!auth.signature_matches(""));
    }

    /// Whole `Debug` pinned: the signature never shows.
    #[test]
    fn debug_redacts_the_signature() {
        let auth = Authorization::new("YourAccessKeyId", "host", SIG);
        assert_eq!(
            format!("{auth:?}"),
            "Authorization { credential: \"YourAccessKeyId\", signed_headers: \"host\", \
             signature: \"** redacted **\" }"
        );
    }

    #[test]
    fn errors_read_as_sentences_without_a_final_period() {
        let errors = [
            ParseAuthorizationError::MissingPart {
                part: AuthorizationPart::Signature,
            }
            .to_string(),
            ParseAuthorizationError::UnknownAlgorithm {
                algorithm: "HMAC-SHA1".into(),
            }
            .to_string(),
        ];
        assert_eq!(errors[0], "the Authorization header has no `Signature`");
        assert_eq!(
            errors[1],
            "unknown signature algorithm `HMAC-SHA1`; expected `ACS3-HMAC-SHA256`"
        );
    }

    /// Odd inputs, made by a fixed generator: parse never panics, and whatever it accepts
    /// it gives back in a form that parses to the same value. Also every prefix and every
    /// one-byte corruption of a valid header.
    #[test]
    fn odd_inputs_never_panic() {
        let valid = valid();
        let mut inputs: Vec<String> = Vec::new();
        for end in 0..=valid.len() {
            inputs.push(valid[..end].to_owned());
        }
        let alphabet: &[u8] = b" \t,;=-ACS3HMAC-SHA256CredentialSignedHeadersSignature0123456789abcdefxyz\x00\x7f\xff:";
        for at in 0..valid.len() {
            for &b in alphabet {
                let mut bytes = valid.clone().into_bytes();
                bytes[at] = b;
                inputs.push(String::from_utf8_lossy(&bytes).into_owned());
            }
        }
        // A small xorshift generator: the same odd strings on every run.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let pieces = [
            "ACS3-HMAC-SHA256",
            " ",
            "\t",
            ",",
            ";",
            "=",
            "Credential",
            "SignedHeaders",
            "Signature",
            "host",
            "x-acs-date",
            SIG,
            "é",
            "🚀",
            "\u{0}",
            ",,",
            "==",
            "  ",
        ];
        for _ in 0..5000 {
            let mut text = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let parts = (state % 12) as usize;
            for _ in 0..parts {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            inputs.push(text);
        }
        inputs.push("ACS3-HMAC-SHA256 ".repeat(300));
        inputs.push(format!("ACS3-HMAC-SHA256 {}", ",".repeat(4000)));
        inputs.push(format!(
            "ACS3-HMAC-SHA256 Credential=id,SignedHeaders={},Signature={SIG}",
            ";".repeat(4000)
        ));
        for input in &inputs {
            if let Ok(parsed) = Authorization::parse(input) {
                assert_eq!(
                    Authorization::parse(parsed.as_str()).as_ref(),
                    Ok(&parsed),
                    "{input:?}"
                );
            }
        }
    }
}
