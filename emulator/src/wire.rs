//! The facts of Aliyun's RPC wire format that the emulator needs: the runtime's
//! [`aliyun_rpc_runtime::wire`], the project's one home for them, re-exported for the
//! emulator's modules.

use time::OffsetDateTime;

pub(crate) use aliyun_rpc_runtime::wire::{
    param, parse_timestamp, COMMON_PARAMS, FORM_CONTENT_TYPE, SIGNATURE_METHOD, SIGNATURE_VERSION,
    X_ACS_REQUEST_ID, X_RATELIMIT_USER, X_RATELIMIT_USER_API,
};
pub(crate) use aliyun_rpc_runtime::Format;

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
