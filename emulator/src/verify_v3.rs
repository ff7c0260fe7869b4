//! Aliyun's checks on a signature V3 (`ACS3-HMAC-SHA256`) call, as pure functions: the
//! method, the `Authorization` header, every header, the decoded query, the body bytes, the
//! keys and "now" go in; a [`Verified`] call or a typed [`VerifyError`] comes out. Nothing
//! here reads the clock or touches the network.
//!
//! The order (the first failing check answers): `Authorization` well formed, with the one
//! algorithm → access key (and the STS token of `x-acs-security-token`) → the mandatory
//! headers present and signed, and every signed header present → `x-acs-signature-nonce`
//! length → `x-acs-content-sha256` is the body's hash → `x-acs-date` format and window →
//! signature. The nonce replay check follows in the nonce store, shared with v1.
//!
//! The canonical request is rebuilt from the request's own `SignedHeaders` (the official
//! SDKs sign different header sets) with the runtime's pure V3 stages, the project's only
//! signer.

use std::borrow::Cow;
use std::collections::HashMap;
use std::time::Duration;

use aliyun_rpc_runtime::signing::v3::{
    hashed_payload, sign, Authorization, CanonicalHeaders, CanonicalRequest,
    ParseAuthorizationError, StringToSign, MANDATORY_HEADERS, RPC_CANONICAL_URI,
};
use aliyun_rpc_runtime::signing::CanonicalQuery;
use time::OffsetDateTime;

use crate::keys::AccessKey;
use crate::limits::MAX_NONCE_LEN;
use crate::refusal::{echoed, VerifyError};
use crate::verify::{check_access_key, check_time, constant_time_eq, Verified};
use crate::wire::X_ACS_SECURITY_TOKEN;

/// A V3 call as read off the wire.
#[derive(Debug, Clone, Copy)]
pub(crate) struct V3Request<'r> {
    /// The HTTP method, as sent (`GET`, `POST`).
    pub(crate) method: &'r str,
    /// The `Authorization` header's value.
    pub(crate) authorization: &'r str,
    /// Every header: `(lower-case name, value)`, a name sent twice appearing twice.
    pub(crate) headers: &'r [(String, String)],
    /// The query's pairs, decoded, in the order sent (a form body's params are not here:
    /// the body hash covers them).
    pub(crate) query: &'r [(String, String)],
    /// The body, exactly as received.
    pub(crate) body: &'r [u8],
}

impl<'r> V3Request<'r> {
    /// The value of header `name` (lower-case) if it was sent exactly once.
    fn single_header(&self, name: &str) -> Result<Option<&'r str>, VerifyError> {
        let mut values = self
            .headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str());
        let first = values.next();
        if values.next().is_some() {
            return Err(VerifyError::IncompleteSignature(format!(
                "the `{name}` header is sent more than once"
            )));
        }
        Ok(first)
    }
}

/// Runs every V3 check but the nonce replay one.
pub(crate) fn verify_v3<'r>(
    request: &V3Request<'r>,
    keys: &HashMap<String, AccessKey>,
    window: Duration,
    now: OffsetDateTime,
) -> Result<Verified<'r>, VerifyError> {
    let authorization = Authorization::parse(request.authorization).map_err(parse_error)?;

    let token = request.single_header(X_ACS_SECURITY_TOKEN)?;
    let key = check_access_key(keys, authorization.credential(), token, now)?;

    let mut mandatory = [""; MANDATORY_HEADERS.len()];
    for (slot, name) in mandatory.iter_mut().zip(MANDATORY_HEADERS) {
        let value = request.single_header(name)?.map(str::trim).unwrap_or("");
        if value.is_empty() {
            return Err(VerifyError::IncompleteSignature(format!(
                "the request has no `{name}` header, which signature V3 requires and signs"
            )));
        }
        if !authorization.signs(name) {
            return Err(unsigned(name));
        }
        *slot = value;
    }
    // In `MANDATORY_HEADERS`' (byte) order, which a test pins.
    let [_host, action, content_sha256, date, nonce, version] = mandatory;
    // Every common header the request carries must be signed (Aliyun's V3 rule); the token
    // is the one beyond the mandatory ones.
    if token.is_some() && !authorization.signs(X_ACS_SECURITY_TOKEN) {
        return Err(unsigned(X_ACS_SECURITY_TOKEN));
    }
    let headers = CanonicalHeaders::select(authorization.signed_header_names(), request.headers)
        .map_err(|missing| VerifyError::IncompleteSignature(missing.to_string()))?;

    if nonce.len() > MAX_NONCE_LEN {
        return Err(VerifyError::NonceTooLong);
    }

    let payload = hashed_payload(request.body);
    if !constant_time_eq(payload.as_bytes(), content_sha256.as_bytes()) {
        return Err(VerifyError::ContentSha256Mismatch {
            server_hashed_payload: payload,
        });
    }

    let timestamp = check_time(date, window, now)?;

    let canonical_request = CanonicalRequest::new(
        request.method,
        RPC_CANONICAL_URI,
        &CanonicalQuery::new(request.query),
        &headers,
        &payload,
    );
    let string_to_sign = StringToSign::new(&canonical_request);
    let expected = sign(string_to_sign.as_str(), &key.secret);
    if !authorization.signature_matches(&expected) {
        return Err(VerifyError::SignatureDoesNotMatchV3 {
            server_string_to_sign: echoed(string_to_sign.as_str()),
            server_canonical_request: echoed(canonical_request.as_str()),
        });
    }

    Ok(Verified {
        action,
        version,
        access_key_id: Cow::Owned(authorization.credential().to_owned()),
        nonce,
        timestamp,
    })
}

/// The refusal for an `Authorization` header that does not parse: an algorithm other than
/// ours is `InvalidSignatureMethod` (when it looks like one: a word without `=` or `,`), the
/// rest `IncompleteSignature`.
fn parse_error(err: ParseAuthorizationError) -> VerifyError {
    match err {
        ParseAuthorizationError::UnknownAlgorithm { algorithm }
            if !algorithm.is_empty() && !algorithm.contains(['=', ',']) =>
        {
            VerifyError::UnsupportedAlgorithm(algorithm)
        }
        other => VerifyError::IncompleteSignature(other.to_string()),
    }
}

fn unsigned(name: &str) -> VerifyError {
    VerifyError::IncompleteSignature(format!(
        "the Authorization `SignedHeaders` does not name `{name}`, which must be signed"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::StsToken;
    use time::macros::datetime;

    const WINDOW: Duration = Duration::from_secs(15 * 60);
    /// The documented example's time, nonce, host and key (Aliyun's V3 signature page).
    const DATE: &str = "2023-10-26T10:22:32Z";
    const NOW: OffsetDateTime = datetime!(2023-10-26 10:25:00 UTC);
    const NONCE: &str = "3156853299f313e23d1673dc12e1703d";

    fn keys() -> HashMap<String, AccessKey> {
        let mut keys = HashMap::new();
        keys.insert(
            "YourAccessKeyId".to_owned(),
            AccessKey {
                secret: "YourAccessKeySecret".to_owned(),
                sts: None,
            },
        );
        keys.insert(
            "STS.id".to_owned(),
            AccessKey {
                secret: "stssecret".to_owned(),
                sts: Some(StsToken {
                    token: "the-token".to_owned(),
                    expires_at: Some(datetime!(2023-10-26 11:00:00 UTC)),
                }),
            },
        );
        keys
    }

    fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// The documented example: POST, `ImageId`/`RegionId` in the query, no body.
    struct Call {
        method: &'static str,
        query: Vec<(String, String)>,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
        authorization: String,
    }

    impl Call {
        fn documented() -> Call {
            let empty = hashed_payload(b"");
            let mut call = Call {
                method: "POST",
                query: owned(&[
                    (
                        "ImageId",
                        "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
                    ),
                    ("RegionId", "cn-shanghai"),
                ]),
                headers: owned(&[
                    ("host", "ecs.cn-shanghai.aliyuncs.com"),
                    ("x-acs-action", "RunInstances"),
                    ("x-acs-version", "2014-05-26"),
                    ("x-acs-date", DATE),
                    ("x-acs-signature-nonce", NONCE),
                    ("x-acs-content-sha256", &empty),
                ]),
                body: Vec::new(),
                authorization: String::new(),
            };
            call.sign("YourAccessKeyId", "YourAccessKeySecret");
            call
        }

        /// Signs every header the call carries, as the Python SDK does.
        fn sign(&mut self, id: &str, secret: &str) {
            let headers = CanonicalHeaders::new(&self.headers);
            let request = CanonicalRequest::new(
                self.method,
                RPC_CANONICAL_URI,
                &CanonicalQuery::new(&self.query),
                &headers,
                &hashed_payload(&self.body),
            );
            let signature = sign(StringToSign::new(&request).as_str(), secret);
            self.authorization = Authorization::new(id, request.signed_headers(), &signature)
                .as_str()
                .to_owned();
        }

        fn set_header(&mut self, name: &str, value: &str) {
            self.headers.retain(|(n, _)| n != name);
            self.headers.push((name.to_owned(), value.to_owned()));
        }

        fn verify(&self, now: OffsetDateTime) -> Result<Verified<'_>, VerifyError> {
            let request = V3Request {
                method: self.method,
                authorization: &self.authorization,
                headers: &self.headers,
                query: &self.query,
                body: &self.body,
            };
            verify_v3(&request, &keys(), WINDOW, now)
        }
    }

    fn code(result: Result<Verified<'_>, VerifyError>) -> String {
        match result {
            Ok(_) => "verified".to_owned(),
            Err(err) => err.to_api_error().code().to_owned(),
        }
    }

    /// `verify_v3` takes the mandatory headers' values by position.
    #[test]
    fn mandatory_headers_are_in_the_order_destructured() {
        use crate::wire::{
            HOST, X_ACS_ACTION, X_ACS_CONTENT_SHA256, X_ACS_DATE, X_ACS_SIGNATURE_NONCE,
            X_ACS_VERSION,
        };
        assert_eq!(
            MANDATORY_HEADERS,
            [
                HOST,
                X_ACS_ACTION,
                X_ACS_CONTENT_SHA256,
                X_ACS_DATE,
                X_ACS_SIGNATURE_NONCE,
                X_ACS_VERSION
            ]
        );
    }

    #[test]
    fn the_documented_example_verifies_with_its_signature() {
        let call = Call::documented();
        assert!(call.authorization.ends_with(
            "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        ));
        let verified = call.verify(NOW).expect("verifies");
        assert_eq!(verified.action, "RunInstances");
        assert_eq!(verified.version, "2014-05-26");
        assert_eq!(verified.access_key_id, "YourAccessKeyId");
        assert_eq!(verified.nonce, NONCE);
        assert_eq!(verified.timestamp, datetime!(2023-10-26 10:22:32 UTC));
    }

    #[test]
    fn malformed_authorization_is_incomplete_signature() {
        for bad in [
            "",
            "ACS3-HMAC-SHA256",
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host",
            "Credential=YourAccessKeyId,SignedHeaders=host,Signature=00",
        ] {
            let mut call = Call::documented();
            call.authorization = bad.to_owned();
            assert_eq!(code(call.verify(NOW)), "IncompleteSignature", "{bad:?}");
        }
        let mut call = Call::documented();
        call.authorization = call
            .authorization
            .replace("ACS3-HMAC-SHA256", "ACS3-HMAC-SM3");
        let err = call.verify(NOW).unwrap_err();
        assert_eq!(
            err,
            VerifyError::UnsupportedAlgorithm("ACS3-HMAC-SM3".into())
        );
    }

    #[test]
    fn unknown_key_then_mandatory_headers() {
        let mut call = Call::documented();
        call.sign("nobody", "YourAccessKeySecret");
        assert_eq!(code(call.verify(NOW)), "InvalidAccessKeyId.NotFound");

        for name in MANDATORY_HEADERS {
            let mut call = Call::documented();
            call.headers.retain(|(n, _)| n != name);
            call.sign("YourAccessKeyId", "YourAccessKeySecret");
            let err = call.verify(NOW).unwrap_err();
            assert_eq!(
                err,
                VerifyError::IncompleteSignature(format!(
                    "the request has no `{name}` header, which signature V3 requires and signs"
                ))
            );
        }
        // Sent, but left out of SignedHeaders.
        let mut call = Call::documented();
        call.authorization = call.authorization.replace("x-acs-content-sha256;", "");
        let err = call.verify(NOW).unwrap_err();
        assert_eq!(err, unsigned("x-acs-content-sha256"));
        // Signed, but not sent.
        let mut call = Call::documented();
        call.authorization = call.authorization.replace("host;", "host;x-acs-extra;");
        let err = call.verify(NOW).unwrap_err();
        assert_eq!(
            err,
            VerifyError::IncompleteSignature(
                "signed header `x-acs-extra` is not in the request".into()
            )
        );
        // Sent twice.
        let mut call = Call::documented();
        call.headers.push(("x-acs-date".into(), DATE.into()));
        assert_eq!(code(call.verify(NOW)), "IncompleteSignature");
    }

    #[test]
    fn nonce_length_body_hash_date_and_signature() {
        let mut call = Call::documented();
        call.set_header("x-acs-signature-nonce", &"n".repeat(MAX_NONCE_LEN + 1));
        call.sign("YourAccessKeyId", "YourAccessKeySecret");
        assert_eq!(code(call.verify(NOW)), "InvalidSignatureNonce");

        // A body the hash does not cover.
        let mut call = Call::documented();
        call.body = b"RegionId=cn-hangzhou".to_vec();
        let err = call.verify(NOW).unwrap_err();
        assert_eq!(
            err,
            VerifyError::ContentSha256Mismatch {
                server_hashed_payload: hashed_payload(b"RegionId=cn-hangzhou")
            }
        );

        let mut call = Call::documented();
        call.set_header("x-acs-date", "2023-10-26 10:22:32");
        call.sign("YourAccessKeyId", "YourAccessKeySecret");
        assert_eq!(code(call.verify(NOW)), "InvalidTimeStamp.Format");
        let call = Call::documented();
        assert_eq!(
            code(call.verify(datetime!(2023-10-26 10:37:33 UTC))),
            "InvalidTimeStamp.Expired"
        );
        assert!(call.verify(datetime!(2023-10-26 10:37:32 UTC)).is_ok());
        assert_eq!(
            code(call.verify(datetime!(2023-10-26 10:07:31 UTC))),
            "InvalidTimeStamp.Expired"
        );

        // A tampered query: the server's canonical request shows the value it saw.
        let mut call = Call::documented();
        call.query[1].1 = "cn-hangzhou".into();
        let err = call.verify(NOW).unwrap_err();
        let VerifyError::SignatureDoesNotMatchV3 {
            server_string_to_sign,
            server_canonical_request,
        } = err
        else {
            panic!("{err:?}");
        };
        assert!(server_string_to_sign.starts_with("ACS3-HMAC-SHA256\n"));
        assert_eq!(server_string_to_sign.len(), 17 + 64);
        assert!(
            server_canonical_request.starts_with(
                "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd\
                 &RegionId=cn-hangzhou\nhost:ecs.cn-shanghai.aliyuncs.com\n"
            ),
            "{server_canonical_request}"
        );
        // Another method.
        let mut call = Call::documented();
        call.method = "GET";
        assert_eq!(code(call.verify(NOW)), "SignatureDoesNotMatch");
    }

    #[test]
    fn sts_token_rules() {
        let sts = |token: Option<&str>| {
            let mut call = Call::documented();
            if let Some(token) = token {
                call.set_header("x-acs-security-token", token);
            }
            call.sign("STS.id", "stssecret");
            call
        };
        assert_eq!(code(sts(None).verify(NOW)), "MissingSecurityToken");
        assert_eq!(
            code(sts(Some("another")).verify(NOW)),
            "InvalidSecurityToken.MismatchWithAccessKey"
        );
        assert!(sts(Some("the-token")).verify(NOW).is_ok());
        assert_eq!(
            code(sts(Some("the-token")).verify(datetime!(2023-10-26 11:00:00 UTC))),
            "InvalidSecurityToken.Expired"
        );
        // The token must be signed.
        let mut call = sts(Some("the-token"));
        call.authorization = call.authorization.replace("x-acs-security-token;", "");
        assert_eq!(
            call.verify(NOW).unwrap_err(),
            unsigned("x-acs-security-token")
        );
        // A permanent key with a token.
        let mut call = Call::documented();
        call.set_header("x-acs-security-token", "the-token");
        call.sign("YourAccessKeyId", "YourAccessKeySecret");
        assert_eq!(code(call.verify(NOW)), "InvalidSecurityToken.Malformed");
    }

    /// Headers beyond the mandatory ones are signed if named, in any case, and others are
    /// ignored: what the Node SDK (no `accept`, `user-agent`) and the Python SDK (every
    /// header) send both verify.
    #[test]
    fn the_signer_chooses_the_extra_headers() {
        let mut call = Call::documented();
        call.set_header("accept", "application/json");
        call.set_header("user-agent", "AlibabaCloud (Linux) Python/3.11");
        call.sign("YourAccessKeyId", "YourAccessKeySecret");
        assert!(call.verify(NOW).is_ok());
        // Unsigned extra headers change nothing.
        let mut call = Call::documented();
        call.set_header("user-agent", "anything");
        assert!(call.verify(NOW).is_ok());
        // Upper-case names in SignedHeaders.
        let mut call = Call::documented();
        call.authorization = call.authorization.replace("host;", "Host;");
        assert!(call.verify(NOW).is_ok());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Values that stress the encoders, or anything at all.
        fn text() -> impl Strategy<Value = String> {
            prop_oneof![
                3 => "[ +%&=~*/a-zA-Z0-9._\\-😀杭]{0,16}",
                1 => any::<String>(),
            ]
        }

        /// Header values as HTTP carries them: visible ASCII and spaces inside.
        fn header_value() -> impl Strategy<Value = String> {
            "[!-~]([ !-~]{0,20}[!-~])?"
        }

        /// A signed call with these query params, extra signed headers and body.
        fn signed(
            query: Vec<(String, String)>,
            extra: Vec<(String, String)>,
            body: Vec<u8>,
        ) -> Call {
            let mut call = Call::documented();
            call.query = query;
            for (name, value) in extra {
                call.set_header(&format!("x-acs-meta-{name}"), &value);
            }
            call.body = body;
            let hash = hashed_payload(&call.body);
            call.set_header("x-acs-content-sha256", &hash);
            call.sign("YourAccessKeyId", "YourAccessKeySecret");
            call
        }

        fn query() -> impl Strategy<Value = Vec<(String, String)>> {
            proptest::collection::vec(("[A-Za-z][A-Za-z0-9.]{0,8}", text()), 0..6)
        }

        fn extra() -> impl Strategy<Value = Vec<(String, String)>> {
            proptest::collection::btree_map("[a-z]{1,6}", header_value(), 0..4)
                .prop_map(|m| m.into_iter().collect())
        }

        proptest! {
            /// Whatever the runtime's V3 stages sign, the emulator verifies.
            #[test]
            fn what_the_runtime_signs_verifies(
                query in query(),
                extra in extra(),
                body in proptest::collection::vec(any::<u8>(), 0..64),
            ) {
                let call = signed(query, extra, body);
                let verified = call.verify(NOW);
                prop_assert!(verified.is_ok(), "{:?}", verified.err());
            }

            /// Changing one query value, one signed header or the body of a signed call
            /// makes it fail — and never panics.
            #[test]
            fn a_mutated_signed_call_does_not_verify(
                query in query(),
                extra in extra(),
                body in proptest::collection::vec(any::<u8>(), 0..64),
                which in any::<prop::sample::Index>(),
                what in 0..3u8,
                added in "[a-z0-9+%&=😀]{1,4}",
            ) {
                let mut call = signed(query, extra, body);
                match what {
                    0 if !call.query.is_empty() => {
                        let at = which.index(call.query.len());
                        call.query[at].1.push_str(&added);
                    }
                    1 => {
                        let at = which.index(call.headers.len());
                        call.headers[at].1.push_str(&added);
                    }
                    _ => call.body.extend_from_slice(added.as_bytes()),
                }
                prop_assert!(call.verify(NOW).is_err());
            }

            /// Anything at all in the Authorization header, the headers and the body: an
            /// answer, never a panic.
            #[test]
            fn random_inputs_never_panic(
                authorization in prop_oneof![
                    any::<String>(),
                    "ACS3-HMAC-SHA256 [ -~]{0,80}",
                ],
                headers in proptest::collection::vec(
                    (prop::sample::select(MANDATORY_HEADERS.to_vec()), text()), 0..10),
                body in proptest::collection::vec(any::<u8>(), 0..32),
                skew in any::<i32>(),
            ) {
                let headers: Vec<(String, String)> =
                    headers.into_iter().map(|(n, v)| (n.to_owned(), v)).collect();
                let request = V3Request {
                    method: "POST",
                    authorization: &authorization,
                    headers: &headers,
                    query: &[],
                    body: &body,
                };
                let now = NOW + time::Duration::seconds(i64::from(skew));
                let _ = verify_v3(&request, &keys(), WINDOW, now);
                let _ = verify_v3(&request, &keys(), Duration::MAX, now);
            }
        }
    }
}
