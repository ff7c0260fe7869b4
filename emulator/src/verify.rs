//! Aliyun's checks on the common parameters of a signature v1 call, as pure functions: the
//! decoded params, the HTTP method, the keys and "now" go in; a [`Verified`] call or a typed
//! [`VerifyError`] comes out. Nothing here reads the clock or touches the network. The
//! checks V3 shares with v1 (the access key and its STS token, the time window) are here
//! too, for `verify_v3.rs`.
//!
//! The order is Aliyun's: mandatory params → `SignatureMethod`/`SignatureVersion` →
//! `SignatureNonce` length (ours) → access key (and STS token) → `Timestamp` → `Signature` → `SignatureNonce`. The nonce
//! check is the one that needs memory: the nonce store (`nonces.rs`) makes it, only for
//! requests that passed [`verify`], and [`VerifyError::NonceUsed`] is its answer.

use std::borrow::Cow;
use std::collections::HashMap;
use std::time::Duration;

use aliyun_rpc_runtime::signing::{sign, CanonicalQuery, StringToSign};
use time::OffsetDateTime;

use crate::keys::AccessKey;
use crate::limits::MAX_NONCE_LEN;
use crate::params::param;
use crate::refusal::{echoed, VerifyError};
use crate::wire::{self, param, SIGNATURE_METHOD, SIGNATURE_VERSION};

/// The common params every call must carry, in the order they are checked.
pub(crate) const MANDATORY_PARAMS: [&str; 8] = [
    param::ACTION,
    param::VERSION,
    param::ACCESS_KEY_ID,
    param::SIGNATURE,
    param::SIGNATURE_METHOD,
    param::SIGNATURE_VERSION,
    param::SIGNATURE_NONCE,
    param::TIMESTAMP,
];

/// A request whose signature passed every check but the nonce (v1 or V3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verified<'p> {
    pub(crate) action: &'p str,
    pub(crate) version: &'p str,
    /// Borrowed from the params (v1); V3's comes out of the parsed `Authorization` header.
    pub(crate) access_key_id: Cow<'p, str>,
    pub(crate) nonce: &'p str,
    pub(crate) timestamp: OffsetDateTime,
}

/// Parses an Aliyun `Timestamp` (UTC, with or without milliseconds).
fn parse_timestamp(value: &str) -> Result<OffsetDateTime, VerifyError> {
    wire::parse_timestamp(value).ok_or(VerifyError::TimestampFormat)
}

/// The key `access_key_id` names, if known, and its STS rule: an STS key needs its own,
/// unexpired token (`sent_token`, empty counting as absent); a permanent key takes none.
pub(crate) fn check_access_key<'k>(
    keys: &'k HashMap<String, AccessKey>,
    access_key_id: &str,
    sent_token: Option<&str>,
    now: OffsetDateTime,
) -> Result<&'k AccessKey, VerifyError> {
    let key = keys
        .get(access_key_id)
        .ok_or(VerifyError::AccessKeyNotFound)?;
    match (&key.sts, sent_token.filter(|t| !t.is_empty())) {
        (None, None) => {}
        (None, Some(_)) => return Err(VerifyError::SecurityTokenMalformed),
        (Some(_), None) => return Err(VerifyError::MissingSecurityToken),
        (Some(sts), Some(sent)) => {
            if !constant_time_eq(sts.token.as_bytes(), sent.as_bytes()) {
                return Err(VerifyError::SecurityTokenMismatch);
            }
            if sts.expires_at.is_some_and(|at| at <= now) {
                return Err(VerifyError::SecurityTokenExpired);
            }
        }
    }
    Ok(key)
}

/// Parses a call's time (`Timestamp`, `x-acs-date`) and checks that it is within `window`
/// of `now`, either way.
pub(crate) fn check_time(
    value: &str,
    window: Duration,
    now: OffsetDateTime,
) -> Result<OffsetDateTime, VerifyError> {
    let at = parse_timestamp(value)?;
    if (now - at).unsigned_abs() > window {
        return Err(VerifyError::TimestampExpired);
    }
    Ok(at)
}

/// Runs every check on the common params but the nonce one.
///
/// `params` are the decoded params of the request, `Signature` included; the signature
/// is recomputed over all the others, sorted by raw key, with `method`.
pub(crate) fn verify<'p>(
    params: &'p [(String, String)],
    method: &str,
    keys: &HashMap<String, AccessKey>,
    window: Duration,
    now: OffsetDateTime,
) -> Result<Verified<'p>, VerifyError> {
    let mut values = [""; MANDATORY_PARAMS.len()];
    for (slot, name) in values.iter_mut().zip(MANDATORY_PARAMS) {
        *slot = param(params, name)
            .filter(|v| !v.is_empty())
            .ok_or(VerifyError::Missing(name))?;
    }
    let [action, version, access_key_id, signature, signature_method, signature_version, nonce, timestamp] =
        values;

    if signature_method != SIGNATURE_METHOD {
        return Err(VerifyError::SignatureMethod);
    }
    if signature_version != SIGNATURE_VERSION {
        return Err(VerifyError::SignatureVersion);
    }
    if nonce.len() > MAX_NONCE_LEN {
        return Err(VerifyError::NonceTooLong);
    }

    let key = check_access_key(
        keys,
        access_key_id,
        param(params, param::SECURITY_TOKEN),
        now,
    )?;
    let timestamp = check_time(timestamp, window, now)?;

    let signed: Vec<(&str, &str)> = params
        .iter()
        .filter(|(k, _)| k != param::SIGNATURE)
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let string_to_sign = StringToSign::new(method, &CanonicalQuery::new(&signed));
    let expected = sign(string_to_sign.as_str(), &key.secret);
    if !constant_time_eq(expected.as_bytes(), signature.as_bytes()) {
        return Err(VerifyError::SignatureDoesNotMatch {
            server_string_to_sign: echoed(string_to_sign.as_str()),
        });
    }

    Ok(Verified {
        action,
        version,
        access_key_id: Cow::Borrowed(access_key_id),
        nonce,
        timestamp,
    })
}

/// Compares secrets without stopping at the first differing byte.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::StsToken;
    use time::macros::datetime;

    const FIFTEEN_MINUTES: Duration = Duration::from_secs(15 * 60);

    fn keys() -> HashMap<String, AccessKey> {
        let mut keys = HashMap::new();
        keys.insert(
            "testid".to_owned(),
            AccessKey {
                secret: "testsecret".to_owned(),
                sts: None,
            },
        );
        keys.insert(
            "STS.id".to_owned(),
            AccessKey {
                secret: "stssecret".to_owned(),
                sts: Some(StsToken {
                    token: "the-token".to_owned(),
                    expires_at: Some(datetime!(2016-02-23 13:00:00 UTC)),
                }),
            },
        );
        keys
    }

    /// The documented vector (DESIGN.md, "Documented check").
    fn vector() -> Vec<(String, String)> {
        [
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("Format", "XML"),
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("Version", "2014-05-26"),
            ("SignatureVersion", "1.0"),
            ("Signature", "OLeaidS1JvxuMvnyHOwuJ+uX5qY="),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    fn set(params: &mut Vec<(String, String)>, key: &str, value: &str) {
        params.retain(|(k, _)| k != key);
        params.push((key.to_owned(), value.to_owned()));
    }

    /// Re-signs `params` for `method` with `secret`, as a well-behaved client would.
    fn resign(params: &mut Vec<(String, String)>, method: &str, secret: &str) {
        params.retain(|(k, _)| k != "Signature");
        let sts = StringToSign::new(method, &CanonicalQuery::new(params));
        let signature = sign(sts.as_str(), secret);
        params.push(("Signature".to_owned(), signature));
    }

    const NOW: OffsetDateTime = datetime!(2016-02-23 12:50:00 UTC);

    #[test]
    fn documented_vector_verifies() {
        let params = vector();
        let verified = verify(&params, "GET", &keys(), FIFTEEN_MINUTES, NOW).expect("verifies");
        assert_eq!(verified.action, "DescribeRegions");
        assert_eq!(verified.version, "2014-05-26");
        assert_eq!(verified.access_key_id, "testid");
        assert_eq!(verified.nonce, "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf");
        assert_eq!(verified.timestamp, datetime!(2016-02-23 12:46:24 UTC));
    }

    #[test]
    fn same_params_with_post_do_not_verify() {
        let err = verify(&vector(), "POST", &keys(), FIFTEEN_MINUTES, NOW).unwrap_err();
        let VerifyError::SignatureDoesNotMatch {
            server_string_to_sign,
        } = err
        else {
            panic!("expected SignatureDoesNotMatch, got {err:?}");
        };
        assert!(server_string_to_sign.starts_with("POST&%2F&AccessKeyId%3Dtestid%26Action%3D"));
    }

    #[test]
    fn tampered_value_reports_server_string_to_sign() {
        let mut params = vector();
        set(&mut params, "Action", "DescribeZones");
        let err = verify(&params, "GET", &keys(), FIFTEEN_MINUTES, NOW).unwrap_err();
        let api = err.to_api_error();
        assert_eq!(api.code(), "SignatureDoesNotMatch");
        assert_eq!(
            api.message(),
            "Specified signature is not matched with our calculation. server string to sign is:\
             GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeZones%26Format%3DXML\
             %26SignatureMethod%3DHMAC-SHA1\
             %26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf\
             %26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z\
             %26Version%3D2014-05-26"
        );
    }

    #[test]
    fn mandatory_params_are_common_params() {
        for name in MANDATORY_PARAMS {
            assert!(wire::COMMON_PARAMS.contains(&name), "{name}");
        }
    }

    #[test]
    fn each_missing_mandatory_param_is_named() {
        for name in MANDATORY_PARAMS {
            let mut params = vector();
            params.retain(|(k, _)| k != name);
            let err = verify(&params, "GET", &keys(), FIFTEEN_MINUTES, NOW).unwrap_err();
            assert_eq!(err, VerifyError::Missing(name));
            assert_eq!(err.to_api_error().code(), format!("Missing{name}"));
        }
    }

    #[test]
    fn empty_mandatory_param_counts_as_missing() {
        let mut params = vector();
        set(&mut params, "Timestamp", "");
        let err = verify(&params, "GET", &keys(), FIFTEEN_MINUTES, NOW).unwrap_err();
        assert_eq!(err, VerifyError::Missing("Timestamp"));
    }

    #[test]
    fn unsupported_signature_method_and_version() {
        let mut params = vector();
        set(&mut params, "SignatureMethod", "HMAC-SHA256");
        let err = verify(&params, "GET", &keys(), FIFTEEN_MINUTES, NOW).unwrap_err();
        assert_eq!(err, VerifyError::SignatureMethod);

        let mut params = vector();
        set(&mut params, "SignatureVersion", "2.0");
        let err = verify(&params, "GET", &keys(), FIFTEEN_MINUTES, NOW).unwrap_err();
        assert_eq!(err, VerifyError::SignatureVersion);
    }

    #[test]
    fn nonce_length_is_bounded() {
        let mut params = vector();
        set(&mut params, "SignatureNonce", &"n".repeat(MAX_NONCE_LEN));
        resign(&mut params, "GET", "testsecret");
        assert!(verify(&params, "GET", &keys(), FIFTEEN_MINUTES, NOW).is_ok());
        set(
            &mut params,
            "SignatureNonce",
            &"n".repeat(MAX_NONCE_LEN + 1),
        );
        resign(&mut params, "GET", "testsecret");
        let err = verify(&params, "GET", &keys(), FIFTEEN_MINUTES, NOW).unwrap_err();
        assert_eq!(err, VerifyError::NonceTooLong);
        assert_eq!(err.to_api_error().code(), "InvalidSignatureNonce");
    }

    #[test]
    fn unknown_access_key() {
        let mut params = vector();
        set(&mut params, "AccessKeyId", "nobody");
        let err = verify(&params, "GET", &keys(), FIFTEEN_MINUTES, NOW).unwrap_err();
        assert_eq!(err, VerifyError::AccessKeyNotFound);
        assert_eq!(err.to_api_error().http_status(), 404);
    }

    #[test]
    fn access_key_is_checked_before_timestamp() {
        let mut params = vector();
        set(&mut params, "AccessKeyId", "nobody");
        set(&mut params, "Timestamp", "yesterday");
        let err = verify(&params, "GET", &keys(), FIFTEEN_MINUTES, NOW).unwrap_err();
        assert_eq!(err, VerifyError::AccessKeyNotFound);
    }

    #[test]
    fn timestamp_format_and_window() {
        for bad in [
            "2016-02-23 12:46:24",
            "2016-02-23T12:46:24",
            "2016-02-23T12:46:24+08:00",
            "1456231584",
        ] {
            assert_eq!(
                parse_timestamp(bad),
                Err(VerifyError::TimestampFormat),
                "{bad}"
            );
        }
        assert_eq!(
            parse_timestamp("2016-02-23T12:46:24.123Z"),
            Ok(datetime!(2016-02-23 12:46:24.123 UTC))
        );

        let params = vector();
        let late = datetime!(2016-02-23 13:01:25 UTC);
        let err = verify(&params, "GET", &keys(), FIFTEEN_MINUTES, late).unwrap_err();
        assert_eq!(err, VerifyError::TimestampExpired);
        let early = datetime!(2016-02-23 12:31:23 UTC);
        let err = verify(&params, "GET", &keys(), FIFTEEN_MINUTES, early).unwrap_err();
        assert_eq!(err, VerifyError::TimestampExpired);
        let edge = datetime!(2016-02-23 13:01:24 UTC);
        assert!(verify(&params, "GET", &keys(), FIFTEEN_MINUTES, edge).is_ok());
    }

    #[test]
    fn timestamp_is_checked_before_signature() {
        let mut params = vector();
        set(&mut params, "Signature", "AAAA");
        let late = datetime!(2016-02-23 14:00:00 UTC);
        let err = verify(&params, "GET", &keys(), FIFTEEN_MINUTES, late).unwrap_err();
        assert_eq!(err, VerifyError::TimestampExpired);
    }

    #[test]
    fn sts_token_rules() {
        let base = || {
            let mut params = vector();
            set(&mut params, "AccessKeyId", "STS.id");
            params
        };

        let mut params = base();
        resign(&mut params, "GET", "stssecret");
        let err = verify(&params, "GET", &keys(), FIFTEEN_MINUTES, NOW).unwrap_err();
        assert_eq!(err, VerifyError::MissingSecurityToken);

        let mut params = base();
        set(&mut params, "SecurityToken", "another-token");
        resign(&mut params, "GET", "stssecret");
        let err = verify(&params, "GET", &keys(), FIFTEEN_MINUTES, NOW).unwrap_err();
        assert_eq!(err, VerifyError::SecurityTokenMismatch);

        let mut params = base();
        set(&mut params, "SecurityToken", "the-token");
        resign(&mut params, "GET", "stssecret");
        assert!(verify(&params, "GET", &keys(), FIFTEEN_MINUTES, NOW).is_ok());
        let after_expiry = datetime!(2016-02-23 13:00:00 UTC);
        let err = verify(&params, "GET", &keys(), FIFTEEN_MINUTES, after_expiry).unwrap_err();
        assert_eq!(err, VerifyError::SecurityTokenExpired);

        let mut params = vector();
        set(&mut params, "SecurityToken", "the-token");
        resign(&mut params, "GET", "testsecret");
        let err = verify(&params, "GET", &keys(), FIFTEEN_MINUTES, NOW).unwrap_err();
        assert_eq!(err, VerifyError::SecurityTokenMalformed);
    }

    mod properties {
        use super::*;
        use crate::params::decode_params;
        use aliyun_rpc_runtime::signing::{percent_encode, sign, string_to_sign};
        use proptest::prelude::*;

        /// Values that stress the encoders, or anything at all.
        fn text() -> impl Strategy<Value = String> {
            prop_oneof![
                3 => "[ +%&=~*/a-zA-Z0-9._\\-😀杭]{0,16}",
                1 => any::<String>(),
            ]
        }

        /// Business params: keys that are not common params, any values.
        fn business() -> impl Strategy<Value = Vec<(String, String)>> {
            proptest::collection::btree_map("[A-Z][A-Za-z0-9.]{0,10}", text(), 0..8).prop_map(
                |map| {
                    map.into_iter()
                        .filter(|(k, _)| !wire::COMMON_PARAMS.contains(&k.as_str()))
                        .collect()
                },
            )
        }

        /// A request signed by the runtime's signer, as the wire carries it: its query and
        /// its form body (POST sends everything in the body, GET in the query).
        fn signed_request(
            business: &[(String, String)],
            post: bool,
        ) -> (Vec<(String, String)>, String, String) {
            let mut params = vector();
            params.retain(|(k, _)| k != "Signature");
            params.extend(business.iter().cloned());
            let method = if post { "POST" } else { "GET" };
            let signature = sign(&string_to_sign(method, &params), "testsecret");
            params.push(("Signature".to_owned(), signature));
            let encoded = params
                .iter()
                .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
                .collect::<Vec<_>>()
                .join("&");
            let (query, body) = if post {
                (String::new(), encoded)
            } else {
                (encoded, String::new())
            };
            (params, query, body)
        }

        proptest! {
            /// Whatever the runtime signs, the emulator decodes and verifies.
            #[test]
            fn what_the_runtime_signs_verifies(business in business(), post in any::<bool>()) {
                let (_, query, body) = signed_request(&business, post);
                let decoded = decode_params(query.as_bytes(), body.as_bytes());
                let method = if post { "POST" } else { "GET" };
                let verified = verify(&decoded.params, method, &keys(), FIFTEEN_MINUTES, NOW);
                prop_assert!(verified.is_ok(), "{:?}", verified.err());
            }

            /// Changing any one value of a signed request breaks its signature (or, for a
            /// common param, one of the checks before it) — and never panics.
            #[test]
            fn a_mutated_signed_request_does_not_verify(
                business in business(),
                post in any::<bool>(),
                which in any::<prop::sample::Index>(),
                extra in "[a-z0-9 +%&=😀]{1,4}",
            ) {
                let (mut params, _, _) = signed_request(&business, post);
                let at = which.index(params.len());
                if params[at].0 == "Signature" {
                    params[at].1.insert(0, 'A');
                } else {
                    params[at].1.push_str(&extra);
                }
                let method = if post { "POST" } else { "GET" };
                let verified = verify(&params, method, &keys(), FIFTEEN_MINUTES, NOW);
                prop_assert!(verified.is_err(), "{} changed, still verified", params[at].0);
            }

            /// Random params and random methods: an answer, never a panic.
            #[test]
            fn random_params_never_panic(
                params in proptest::collection::vec((text(), text()), 0..12),
                common in proptest::collection::vec(
                    (prop::sample::select(MANDATORY_PARAMS.to_vec()), text()), 0..10),
                method in "[A-Z]{0,6}",
                skew in any::<i32>(),
            ) {
                let mut all: Vec<(String, String)> =
                    common.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
                all.extend(params);
                let now = NOW + time::Duration::seconds(i64::from(skew));
                let _ = verify(&all, &method, &keys(), FIFTEEN_MINUTES, now);
                let _ = verify(&all, &method, &keys(), Duration::MAX, now);
            }
        }
    }
}
