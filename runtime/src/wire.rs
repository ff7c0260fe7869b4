//! The facts of Aliyun's RPC wire format (signature v1), in one place: the common params,
//! the signature's method and version, the `Timestamp` format, the headers (those of
//! signature V3 too), the redaction marker, and the rule that names a field's param. (The response format,
//! [`Format`](crate::Format), is at the crate root.)
//!
//! The client, the signer and the emulator all read them from here.
//!
//! ```
//! use aliyun_rpc::{wire, Format};
//! use time::macros::datetime;
//!
//! assert!(wire::COMMON_PARAMS.contains(&"SignatureNonce"));
//! let at = wire::format_timestamp(datetime!(2016-02-23 12:46:24 UTC));
//! assert_eq!(at.as_str(), "2016-02-23T12:46:24Z");
//! assert_eq!(wire::parse_timestamp("2016-02-23T12:46:24.500Z"), Some(datetime!(2016-02-23 12:46:24.5 UTC)));
//! assert_eq!(Format::from_param(Some("json")), Format::Json);
//! assert_eq!(wire::default_wire_name("region_id"), "RegionId");
//! assert_eq!(wire::X_ACS_CONTENT_SHA256, "x-acs-content-sha256");
//! ```

use std::fmt;

use time::OffsetDateTime;

/// The names of the common params, one constant each.
pub mod param {
    /// `AccessKeyId`: the access key id.
    pub const ACCESS_KEY_ID: &str = "AccessKeyId";
    /// `Action`: the API action.
    pub const ACTION: &str = "Action";
    /// `Format`: `JSON` or `XML`, the [`Format`](crate::Format) of the answer.
    pub const FORMAT: &str = "Format";
    /// `SecurityToken`: the STS token, sent with temporary credentials only.
    pub const SECURITY_TOKEN: &str = "SecurityToken";
    /// `Signature`: the signature itself, the one param it does not cover.
    pub const SIGNATURE: &str = "Signature";
    /// `SignatureMethod`: always [`SIGNATURE_METHOD`](super::SIGNATURE_METHOD).
    pub const SIGNATURE_METHOD: &str = "SignatureMethod";
    /// `SignatureNonce`: unique per attempt, so that a replay is refused.
    pub const SIGNATURE_NONCE: &str = "SignatureNonce";
    /// `SignatureVersion`: always [`SIGNATURE_VERSION`](super::SIGNATURE_VERSION).
    pub const SIGNATURE_VERSION: &str = "SignatureVersion";
    /// `Timestamp`: UTC, as [`format_timestamp`](super::format_timestamp) writes it.
    pub const TIMESTAMP: &str = "Timestamp";
    /// `Version`: the API version, `YYYY-MM-DD`.
    pub const VERSION: &str = "Version";
}

/// Every common param of signature v1, in byte order: what each call sends besides its
/// business params (`SecurityToken` only with STS credentials). A request's own param may
/// not use one of these names.
pub const COMMON_PARAMS: [&str; 10] = [
    param::ACCESS_KEY_ID,
    param::ACTION,
    param::FORMAT,
    param::SECURITY_TOKEN,
    param::SIGNATURE,
    param::SIGNATURE_METHOD,
    param::SIGNATURE_NONCE,
    param::SIGNATURE_VERSION,
    param::TIMESTAMP,
    param::VERSION,
];

/// The `SignatureMethod` value: `HMAC-SHA1`.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";

/// The `SignatureVersion` value: `1.0`.
pub const SIGNATURE_VERSION: &str = "1.0";

/// What shows in place of a secret (an access key secret, a security token, a signature) in
/// `Debug`, `Display`, errors and logs.
pub const REDACTED: &str = "** redacted **";

/// Header naming the action (sent beside the `Action` param).
pub const X_ACS_ACTION: &str = "x-acs-action";
/// Header naming the API version (sent beside the `Version` param).
pub const X_ACS_VERSION: &str = "x-acs-version";
/// Header naming the host, signed by V3 (lower-case, as it appears in a canonical request).
pub const HOST: &str = "host";
/// Header of a V3 request: its time, `YYYY-MM-DDThh:mm:ssZ` in UTC, as
/// [`format_timestamp`] writes it.
pub const X_ACS_DATE: &str = "x-acs-date";
/// Header of a V3 request: unique per attempt, so that a replay is refused.
pub const X_ACS_SIGNATURE_NONCE: &str = "x-acs-signature-nonce";
/// Header of a V3 request: the lower-case hex SHA-256 of its body (of the empty string when
/// there is none).
pub const X_ACS_CONTENT_SHA256: &str = "x-acs-content-sha256";
/// Header of a V3 request made with STS credentials: the security token.
pub const X_ACS_SECURITY_TOKEN: &str = "x-acs-security-token";
/// Header of a V3 request made with STS credentials: the access key id (the official SDKs
/// send it beside [`X_ACS_SECURITY_TOKEN`]).
pub const X_ACS_ACCESSKEY_ID: &str = "x-acs-accesskey-id";
/// Header of a request with a body: its media type ([`FORM_CONTENT_TYPE`]), signed by V3.
pub const CONTENT_TYPE: &str = "content-type";
/// Header of a V3 request asking for the answer's format: `application/json` or
/// `application/xml` ([`Format::media_type`](crate::Format::media_type)).
pub const ACCEPT: &str = "accept";
/// Header carrying a V3 signature: `ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`.
pub const AUTHORIZATION: &str = "authorization";
/// Header of an answer carrying its request id.
pub const X_ACS_REQUEST_ID: &str = "x-acs-request-id";
/// Header of a throttled answer: the per-API limit (`Limit:…,Remain:…,TimeLeft:<ms>,Reset:…`).
pub const X_RATELIMIT_USER_API: &str = "x-ratelimit-user-api";
/// Header of a throttled answer: the per-user limit, in the form of [`X_RATELIMIT_USER_API`].
pub const X_RATELIMIT_USER: &str = "x-ratelimit-user";
/// The `User-Agent` of every request the runtime sends (calls, STS, the metadata service).
pub(crate) const USER_AGENT: &str = concat!("aliyun-rpc/", env!("CARGO_PKG_VERSION"), " (rust)");
/// The `content-type` of a `POST`'s form body.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// A `Timestamp` value as sent, `YYYY-MM-DDThh:mm:ssZ` in UTC, formatted on the stack (one
/// is made for every attempt). Made by [`format_timestamp`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    /// ASCII: an optional `-`, then `YYYY-MM-DDThh:mm:ssZ`.
    bytes: [u8; 21],
    len: u8,
}

impl Timestamp {
    /// The timestamp's text.
    pub fn as_str(&self) -> &str {
        // Written from ASCII digits and punctuation only, so the fallback never shows.
        std::str::from_utf8(self.bytes.get(..usize::from(self.len)).unwrap_or_default())
            .unwrap_or_default()
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `at` as a `Timestamp` param: converted to UTC, `YYYY-MM-DDThh:mm:ssZ`, fractions of a
/// second dropped. A year before 1 AD is written as `time` writes it (`-0001-…`).
pub fn format_timestamp(at: OffsetDateTime) -> Timestamp {
    let t = at.to_offset(time::UtcOffset::UTC);
    let mut bytes = [0u8; 21];
    let negative = t.year() < 0;
    let start = usize::from(negative);
    if negative {
        bytes[0] = b'-';
    }
    // `time` keeps years within ±9999 (without its `large-dates` feature, which we do not enable).
    let year = t.year().unsigned_abs().min(9999);
    let mut two = |at: usize, n: u32| {
        bytes[start + at] = b'0' + (n / 10 % 10) as u8;
        bytes[start + at + 1] = b'0' + (n % 10) as u8;
    };
    two(0, year / 100);
    two(2, year % 100);
    two(5, u32::from(u8::from(t.month())));
    two(8, u32::from(t.day()));
    two(11, u32::from(t.hour()));
    two(14, u32::from(t.minute()));
    two(17, u32::from(t.second()));
    for (at, sep) in [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'Z'),
    ] {
        bytes[start + at] = sep;
    }
    Timestamp {
        bytes,
        len: (start + 20) as u8,
    }
}

/// Parses a `Timestamp` as servers accept it: `YYYY-MM-DDThh:mm:ssZ`, or with milliseconds,
/// `YYYY-MM-DDThh:mm:ss.SSSZ`, always UTC. `None` for anything else.
pub fn parse_timestamp(text: &str) -> Option<OffsetDateTime> {
    use time::macros::format_description;
    use time::PrimitiveDateTime;
    const SECONDS: &[time::format_description::FormatItem<'static>] =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    const MILLIS: &[time::format_description::FormatItem<'static>] =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    PrimitiveDateTime::parse(text, SECONDS)
        .or_else(|_| PrimitiveDateTime::parse(text, MILLIS))
        .ok()
        .map(PrimitiveDateTime::assume_utc)
}

/// The param name a field gets without `#[rpc(name = "…")]`: the field's name (without
/// `r#`) in PascalCase, each `_`-separated word with its first letter upper-cased
/// (`region_id` → `RegionId`, `ipv6_address` → `Ipv6Address`, `r#type` → `Type`).
///
/// This is the rule of the derive macros, which cannot depend on this crate; a test pins
/// the two equal.
pub fn default_wire_name(field: &str) -> String {
    let field = field.strip_prefix("r#").unwrap_or(field);
    let mut out = String::with_capacity(field.len());
    for word in field.split('_') {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// The derive macros keep their own list of common params (they cannot depend on this
    /// crate); it must name the same params.
    #[test]
    fn the_macros_know_the_same_common_params() {
        let macros: BTreeSet<&str> = aliyun_rpc_macros::__common_params!().into_iter().collect();
        let ours: BTreeSet<&str> = COMMON_PARAMS.into_iter().collect();
        assert_eq!(macros, ours);
        assert_eq!(ours.len(), COMMON_PARAMS.len(), "no name twice");
    }

    #[test]
    fn common_params_are_in_byte_order() {
        assert!(COMMON_PARAMS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn default_wire_names_follow_the_derive() {
        for (field, wire) in [
            ("region_id", "RegionId"),
            ("r#type", "Type"),
            ("ipv6_address", "Ipv6Address"),
            ("image_id", "ImageId"),
            ("x", "X"),
            ("already_Pascal", "AlreadyPascal"),
            ("db_instance_id", "DbInstanceId"),
            ("a1_b2", "A1B2"),
            ("double__underscore", "DoubleUnderscore"),
            ("trailing_", "Trailing"),
            ("_leading", "Leading"),
            ("é_x", "éX"),
        ] {
            assert_eq!(default_wire_name(field), wire, "{field}");
        }
    }

    /// The hand formatter writes what `time`'s formatter writes, offsets converted to UTC.
    #[test]
    fn timestamp_matches_the_time_formatter() {
        const FORMAT: &[time::format_description::FormatItem<'static>] =
            time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
        let utc = time::UtcOffset::UTC;
        let plus8 = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(utc);
        for (date, offset) in [
            (time::macros::datetime!(2016-02-23 12:46:24 UTC), utc),
            (time::macros::datetime!(0000-01-01 00:00:00 UTC), utc),
            (time::macros::datetime!(0999-12-31 23:59:59 UTC), utc),
            (time::macros::datetime!(9999-12-31 23:59:59.999 UTC), utc),
            (time::macros::datetime!(2026-01-01 03:04:05 UTC), plus8),
            (time::macros::datetime!(-0001-06-15 10:00:00 UTC), utc),
            (time::macros::datetime!(-9999-01-01 00:00:00 UTC), utc),
        ] {
            let t = date.to_offset(offset);
            let expected = t.to_offset(utc).format(FORMAT).ok();
            assert_eq!(
                Some(format_timestamp(t).as_str()),
                expected.as_deref(),
                "{t}"
            );
        }
    }

    #[test]
    fn timestamps_parse_with_and_without_milliseconds() {
        use time::macros::datetime;
        assert_eq!(
            parse_timestamp("2016-02-23T12:46:24Z"),
            Some(datetime!(2016-02-23 12:46:24 UTC))
        );
        assert_eq!(
            parse_timestamp("2016-02-23T12:46:24.123Z"),
            Some(datetime!(2016-02-23 12:46:24.123 UTC))
        );
        for bad in [
            "",
            "2016-02-23 12:46:24Z",
            "2016-02-23T12:46:24",
            "2016-02-23T12:46:24+08:00",
            "2016-02-23T12:46:24.1Z",
            "2016-02-30T12:46:24Z",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad:?}");
        }
        let now = datetime!(2026-05-01 01:02:03 UTC);
        assert_eq!(parse_timestamp(format_timestamp(now).as_str()), Some(now));
    }
}
