//! Why a signed call is refused before it reaches its action ([`VerifyError`]), for v1 and
//! V3 alike, and the answer Aliyun's gateway gives for each: code, status and message, with
//! the server's side of a signature mismatch echoed, bounded ([`echoed`]).

use crate::error::ApiError;
use crate::limits::{MAX_NONCE_LEN, STRING_TO_SIGN_ECHO_LIMIT};
use crate::wire::{param, V3_ALGORITHM};

/// The start of every `SignatureDoesNotMatch` message, before the server's side.
pub(crate) const SIGNATURE_MISMATCH_MESSAGE: &str =
    "Specified signature is not matched with our calculation.";

/// The message of `IncompleteSignature`, before what was wrong.
pub(crate) const INCOMPLETE_SIGNATURE_MESSAGE: &str =
    "The request signature does not conform to Aliyun standards.";

/// Why a request was refused before reaching its action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum VerifyError {
    /// A mandatory common param is absent or empty.
    Missing(&'static str),
    SignatureMethod,
    SignatureVersion,
    /// `SignatureNonce` (v1) or `x-acs-signature-nonce` (V3) is longer than
    /// [`MAX_NONCE_LEN`].
    NonceTooLong,
    AccessKeyNotFound,
    MissingSecurityToken,
    SecurityTokenMismatch,
    SecurityTokenExpired,
    SecurityTokenMalformed,
    TimestampFormat,
    TimestampExpired,
    SignatureDoesNotMatch {
        server_string_to_sign: String,
    },
    /// Reported by the nonce store, after the checks passed.
    NonceUsed,
    /// V3: the `Authorization` header, the `SignedHeaders` list or a mandatory header is not
    /// as the algorithm requires; says what (text quoted from the request is bounded).
    IncompleteSignature(String),
    /// V3: an `Authorization` algorithm other than `ACS3-HMAC-SHA256` (quoted, bounded).
    UnsupportedAlgorithm(String),
    /// V3: `x-acs-content-sha256` is not the hex SHA-256 of the body received.
    ContentSha256Mismatch {
        server_hashed_payload: String,
    },
    /// V3: the signature is not the server's; both strings already [`echoed`].
    SignatureDoesNotMatchV3 {
        server_string_to_sign: String,
        server_canonical_request: String,
    },
}

impl VerifyError {
    /// The answer Aliyun gives for this error.
    pub(crate) fn to_api_error(&self) -> ApiError {
        use VerifyError::*;
        match self {
            Missing(name) => ApiError::missing_parameter(name),
            SignatureMethod => ApiError::bad_request(
                "InvalidSignatureMethod",
                "Specified signature method is not supported.",
            ),
            SignatureVersion => ApiError::bad_request(
                "InvalidSignatureVersion",
                "Specified signature version is not supported.",
            ),
            NonceTooLong => ApiError::bad_request(
                "InvalidSignatureNonce",
                format!("Specified signature nonce is longer than {MAX_NONCE_LEN} bytes."),
            ),
            AccessKeyNotFound => ApiError::not_found(
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
            ),
            MissingSecurityToken => ApiError::missing_parameter(param::SECURITY_TOKEN),
            SecurityTokenMismatch => ApiError::bad_request(
                "InvalidSecurityToken.MismatchWithAccessKey",
                "Specified SecurityToken mismatch with the AccessKey.",
            ),
            SecurityTokenExpired => ApiError::bad_request(
                "InvalidSecurityToken.Expired",
                "Specified SecurityToken is expired.",
            ),
            SecurityTokenMalformed => ApiError::bad_request(
                "InvalidSecurityToken.Malformed",
                "Specified SecurityToken is malformed.",
            ),
            TimestampFormat => ApiError::bad_request(
                "InvalidTimeStamp.Format",
                "Specified time stamp or date value is not well formatted.",
            ),
            TimestampExpired => ApiError::bad_request(
                "InvalidTimeStamp.Expired",
                "Specified time stamp or date value is expired.",
            ),
            SignatureDoesNotMatch {
                server_string_to_sign,
            } => ApiError::bad_request(
                "SignatureDoesNotMatch",
                format!(
                    "{SIGNATURE_MISMATCH_MESSAGE} server string to sign is:{server_string_to_sign}"
                ),
            ),
            NonceUsed => ApiError::bad_request(
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
            ),
            IncompleteSignature(what) => ApiError::bad_request(
                "IncompleteSignature",
                format!("{INCOMPLETE_SIGNATURE_MESSAGE} ({what})"),
            ),
            UnsupportedAlgorithm(algorithm) => ApiError::bad_request(
                "InvalidSignatureMethod",
                format!(
                    "Specified signature method is not supported. \
                     (`{algorithm}`; the emulator verifies {V3_ALGORITHM})"
                ),
            ),
            ContentSha256Mismatch {
                server_hashed_payload,
            } => ApiError::bad_request(
                "XAcsContentSHA256Mismatch",
                format!(
                    "The provided x-acs-content-sha256 header does not match what was computed. \
                     server hashed payload is:{server_hashed_payload}"
                ),
            ),
            SignatureDoesNotMatchV3 {
                server_string_to_sign,
                server_canonical_request,
            } => ApiError::bad_request(
                "SignatureDoesNotMatch",
                format!(
                    "{SIGNATURE_MISMATCH_MESSAGE} server string to sign is:{server_string_to_sign} \
                     server canonical request is:{server_canonical_request}"
                ),
            ),
        }
    }
}

/// A string to sign (or V3 canonical request) as a `SignatureDoesNotMatch` message echoes
/// it: whole up to [`STRING_TO_SIGN_ECHO_LIMIT`] bytes; longer, its first bytes up to there,
/// then `…[N bytes in all]`. (Both are ASCII on the wire, so `…` never occurs in one: a
/// client can tell a cut string from a whole one, and compare its own up to the cut.)
pub(crate) fn echoed(string_to_sign: &str) -> String {
    if string_to_sign.len() <= STRING_TO_SIGN_ECHO_LIMIT {
        return string_to_sign.to_owned();
    }
    let mut cut = STRING_TO_SIGN_ECHO_LIMIT;
    while !string_to_sign.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(
        "{}…[{} bytes in all]",
        string_to_sign.get(..cut).unwrap_or_default(),
        string_to_sign.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_string_to_sign_is_echoed_cut_and_marked() {
        let short = "GET&%2F&A%3D1";
        assert_eq!(echoed(short), short);
        let exact = "a".repeat(STRING_TO_SIGN_ECHO_LIMIT);
        assert_eq!(echoed(&exact), exact);
        let long = "b".repeat(40 * 1024 * 1024);
        let echo = echoed(&long);
        assert_eq!(
            echo,
            format!(
                "{}…[41943040 bytes in all]",
                "b".repeat(STRING_TO_SIGN_ECHO_LIMIT)
            )
        );
        // Not ASCII (it never is on the wire, but the cut must not split a character).
        let wide = "é".repeat(STRING_TO_SIGN_ECHO_LIMIT);
        assert!(echoed(&wide).starts_with(&"é".repeat(STRING_TO_SIGN_ECHO_LIMIT / 2)));
    }

    /// The V3 refusals: their codes, and messages that carry what the client needs.
    #[test]
    fn v3_refusals_have_their_codes_and_messages() {
        let err = VerifyError::IncompleteSignature("the Authorization header is empty".into())
            .to_api_error();
        assert_eq!(
            (err.code(), err.http_status()),
            ("IncompleteSignature", 400)
        );
        assert_eq!(
            err.message(),
            "The request signature does not conform to Aliyun standards. \
             (the Authorization header is empty)"
        );
        let err = VerifyError::UnsupportedAlgorithm("ACS3-HMAC-SM3".into()).to_api_error();
        assert_eq!(err.code(), "InvalidSignatureMethod");
        assert!(
            err.message().contains("`ACS3-HMAC-SM3`"),
            "{}",
            err.message()
        );
        let err = VerifyError::ContentSha256Mismatch {
            server_hashed_payload: "e3b0".into(),
        }
        .to_api_error();
        assert_eq!(err.code(), "XAcsContentSHA256Mismatch");
        assert!(err.message().ends_with("server hashed payload is:e3b0"));
        let err = VerifyError::SignatureDoesNotMatchV3 {
            server_string_to_sign: "ACS3-HMAC-SHA256\nabc".into(),
            server_canonical_request: "GET\n/\n".into(),
        }
        .to_api_error();
        assert_eq!(err.code(), "SignatureDoesNotMatch");
        assert_eq!(
            err.message(),
            "Specified signature is not matched with our calculation. server string to sign \
             is:ACS3-HMAC-SHA256\nabc server canonical request is:GET\n/\n"
        );
    }
}
