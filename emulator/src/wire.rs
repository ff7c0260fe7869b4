//! The facts of Aliyun's RPC wire format (signature v1) that the emulator needs, in one
//! place: the common params' names, the signature's method and version, the `Timestamp`
//! format, the response [`Format`] and the header names.
//!
//! The names mirror `aliyun_rpc_runtime::wire`, the project's one home for these facts,
//! item for item: once the runtime publishes that module, each item here becomes a
//! re-export of it.

use time::OffsetDateTime;

/// The names of the common params, one constant each.
pub(crate) mod param {
    pub(crate) const ACCESS_KEY_ID: &str = "AccessKeyId";
    pub(crate) const ACTION: &str = "Action";
    pub(crate) const FORMAT: &str = "Format";
    pub(crate) const SECURITY_TOKEN: &str = "SecurityToken";
    pub(crate) const SIGNATURE: &str = "Signature";
    pub(crate) const SIGNATURE_METHOD: &str = "SignatureMethod";
    pub(crate) const SIGNATURE_NONCE: &str = "SignatureNonce";
    pub(crate) const SIGNATURE_VERSION: &str = "SignatureVersion";
    pub(crate) const TIMESTAMP: &str = "Timestamp";
    pub(crate) const VERSION: &str = "Version";
}

/// Every common param of signature v1, in byte order (`SecurityToken` comes with STS
/// credentials only).
pub(crate) const COMMON_PARAMS: [&str; 10] = [
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
pub(crate) const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// The `SignatureVersion` value: `1.0`.
pub(crate) const SIGNATURE_VERSION: &str = "1.0";

/// Header of an answer carrying its request id.
pub(crate) const X_ACS_REQUEST_ID: &str = "x-acs-request-id";
/// Header of a throttled answer: the per-API limit.
pub(crate) const X_RATELIMIT_USER_API: &str = "x-ratelimit-user-api";
/// Header of a throttled answer: the per-user limit.
pub(crate) const X_RATELIMIT_USER: &str = "x-ratelimit-user";
/// The `content-type` of a form body, the only body read as params.
pub(crate) const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// The response format a call asked for with its `Format` param.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Xml,
}

impl Format {
    /// `Format=JSON` (any case) is JSON; anything else, or no `Format`, is XML, as Aliyun does.
    pub(crate) fn from_param(value: Option<&str>) -> Format {
        match value {
            Some(v) if v.eq_ignore_ascii_case("JSON") => Format::Json,
            _ => Format::Xml,
        }
    }
}

/// `YYYY-MM-DDThh:mm:ssZ`, what the API reference and the official SDKs send.
const TIMESTAMP: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
/// `YYYY-MM-DDThh:mm:ss.SSSZ`, also accepted by the gateway.
const TIMESTAMP_MILLIS: &[time::format_description::FormatItem<'static>] = time::macros::format_description!(
    "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
);

/// `at` as Aliyun writes times (`Timestamp`, STS and metadata `Expiration`): UTC,
/// `YYYY-MM-DDThh:mm:ssZ`, fractions of a second dropped.
pub(crate) fn format_timestamp(at: OffsetDateTime) -> String {
    // Formatting a valid date with a fixed, valid description does not fail.
    at.to_offset(time::UtcOffset::UTC)
        .format(TIMESTAMP)
        .unwrap_or_default()
}

/// Parses a `Timestamp` as the gateway accepts it: `YYYY-MM-DDThh:mm:ssZ`, or with
/// milliseconds, always UTC. `None` for anything else.
pub(crate) fn parse_timestamp(text: &str) -> Option<OffsetDateTime> {
    time::PrimitiveDateTime::parse(text, TIMESTAMP)
        .or_else(|_| time::PrimitiveDateTime::parse(text, TIMESTAMP_MILLIS))
        .ok()
        .map(time::PrimitiveDateTime::assume_utc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn format_defaults_to_xml() {
        assert_eq!(Format::from_param(None), Format::Xml);
        assert_eq!(Format::from_param(Some("XML")), Format::Xml);
        assert_eq!(Format::from_param(Some("json")), Format::Json);
        assert_eq!(Format::from_param(Some("JSON")), Format::Json);
    }

    #[test]
    fn timestamps_are_utc_whole_seconds() {
        let at = datetime!(2016-02-23 20:46:24.987 +08:00);
        assert_eq!(format_timestamp(at), "2016-02-23T12:46:24Z");
        assert_eq!(
            parse_timestamp("2016-02-23T12:46:24Z"),
            Some(datetime!(2016-02-23 12:46:24 UTC))
        );
        assert_eq!(
            parse_timestamp("2016-02-23T12:46:24.123Z"),
            Some(datetime!(2016-02-23 12:46:24.123 UTC))
        );
        assert_eq!(parse_timestamp("2016-02-23T12:46:24+08:00"), None);
    }

    #[test]
    fn common_params_are_in_byte_order() {
        let mut sorted = COMMON_PARAMS;
        sorted.sort_unstable();
        assert_eq!(sorted, COMMON_PARAMS);
    }
}
