//! The facts of Aliyun's RPC wire format that the emulator needs: the runtime's
//! [`aliyun_rpc_runtime::wire`] (and signature V3's algorithm name), the project's one home
//! for them, re-exported for the emulator's modules; and how an `Accept` header asks for a
//! format.

use time::OffsetDateTime;

pub(crate) use aliyun_rpc_runtime::signing::v3::ALGORITHM as V3_ALGORITHM;
pub(crate) use aliyun_rpc_runtime::wire::{
    param, parse_timestamp, AUTHORIZATION, COMMON_PARAMS, FORM_CONTENT_TYPE, HOST, REDACTED,
    SIGNATURE_METHOD, SIGNATURE_VERSION, X_ACS_REQUEST_ID, X_ACS_SECURITY_TOKEN, X_ACS_VERSION,
    X_RATELIMIT_USER, X_RATELIMIT_USER_API,
};
#[cfg(test)]
pub(crate) use aliyun_rpc_runtime::wire::{
    X_ACS_ACTION, X_ACS_CONTENT_SHA256, X_ACS_DATE, X_ACS_SIGNATURE_NONCE,
};
pub(crate) use aliyun_rpc_runtime::Format;

/// The format an `Accept` header asks for: the first media type it lists that is JSON
/// (`application/json`) or XML (`application/xml`, `text/xml`), compared without regard to
/// case, parameters (`;q=…`, `;charset=…`) ignored; `None` when it names neither (absent,
/// `*/*`, …). What the official V3 SDKs send is `accept: application/json`.
pub(crate) fn format_from_accept(accept: &str) -> Option<Format> {
    accept.split(',').find_map(|item| {
        let media = item.split(';').next().unwrap_or_default().trim();
        if media.eq_ignore_ascii_case("application/json") {
            Some(Format::Json)
        } else if media.eq_ignore_ascii_case("application/xml")
            || media.eq_ignore_ascii_case("text/xml")
        {
            Some(Format::Xml)
        } else {
            None
        }
    })
}

/// `at` as Aliyun writes times in answers (STS and metadata `Expiration`): the runtime's
/// [`format_timestamp`](aliyun_rpc_runtime::wire::format_timestamp), owned for a JSON value.
pub(crate) fn format_timestamp(at: OffsetDateTime) -> String {
    aliyun_rpc_runtime::wire::format_timestamp(at).to_string()
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
    fn accept_names_a_format_or_none() {
        assert_eq!(format_from_accept("application/json"), Some(Format::Json));
        assert_eq!(
            format_from_accept("Application/JSON; charset=utf-8"),
            Some(Format::Json)
        );
        assert_eq!(format_from_accept("text/xml"), Some(Format::Xml));
        assert_eq!(
            format_from_accept("text/html, application/xml;q=0.9, application/json"),
            Some(Format::Xml)
        );
        assert_eq!(format_from_accept("*/*"), None);
        assert_eq!(format_from_accept(""), None);
        assert_eq!(format_from_accept(",;,"), None);
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
