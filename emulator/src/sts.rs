//! STS `2015-04-01` `AssumeRole` and `AssumeRoleWithOIDC`: issue temporary credentials (an
//! `STS.` access key, its secret, a security token and an `Expiration`) that the emulator
//! then accepts until they expire. The metadata service (`imds.rs`) and the credentials URI
//! (`credentials_uri.rs`) issue their credentials here too.
//!
//! Parameters and answer follow <https://help.aliyun.com/document_detail/371864.html> and
//! <https://help.aliyun.com/zh/ram/developer-reference/api-sts-2015-04-01-assumerolewithoidc>;
//! `AssumeRoleWithOIDC`'s error codes, the ones on
//! <https://help.aliyun.com/zh/ram/developer-reference/api-sts-2015-04-01-errorcodes>.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use serde_json::{json, Value};
use time::OffsetDateTime;

use crate::clock::Clock;
use crate::error::ApiError;
use crate::ids::{random_alphanumeric, random_digits};
use crate::keys::{AccessKey, KeyStore, StsToken};
use crate::request::EmulatorRequest;
use crate::wire::format_timestamp;

/// The product name, as the `Recommend` link spells it.
pub(crate) const PRODUCT: &str = "Sts";
/// The STS API version.
pub(crate) const VERSION: &str = "2015-04-01";

/// `OIDCToken` length bounds, per the API reference.
const MIN_OIDC_TOKEN: usize = 4;
const MAX_OIDC_TOKEN: usize = 20_000;

/// `DurationSeconds` bounds and default, per the API reference.
const MIN_DURATION: u64 = 900;
const MAX_DURATION: u64 = 43_200;
const DEFAULT_DURATION: u64 = 3_600;

/// One set of temporary credentials.
#[derive(Debug, Clone)]
pub(crate) struct Issued {
    pub(crate) access_key_id: String,
    pub(crate) access_key_secret: String,
    pub(crate) security_token: String,
    pub(crate) expiration: OffsetDateTime,
}

/// What issues and counts temporary credentials.
pub(crate) struct Sts {
    keys: Arc<KeyStore>,
    clock: Arc<Clock>,
    duration_override: Option<Duration>,
    assume_role_count: AtomicU64,
    /// The OIDC tokens `AssumeRoleWithOIDC` accepts.
    oidc_tokens: Vec<String>,
    oidc_assume_role_count: AtomicU64,
}

impl Sts {
    pub(crate) fn new(
        keys: Arc<KeyStore>,
        clock: Arc<Clock>,
        duration_override: Option<Duration>,
        oidc_tokens: Vec<String>,
    ) -> Self {
        Sts {
            keys,
            clock,
            duration_override,
            assume_role_count: AtomicU64::new(0),
            oidc_tokens,
            oidc_assume_role_count: AtomicU64::new(0),
        }
    }

    pub(crate) fn clock(&self) -> &Clock {
        &self.clock
    }

    pub(crate) fn assume_role_count(&self) -> u64 {
        self.assume_role_count.load(Ordering::SeqCst)
    }

    pub(crate) fn oidc_assume_role_count(&self) -> u64 {
        self.oidc_assume_role_count.load(Ordering::SeqCst)
    }

    /// New credentials valid for `lifetime` (or the override) from the emulator's now,
    /// accepted by the RPC side from this moment. `Expiration` has whole seconds, and so
    /// has the key's expiry, so the client and the emulator agree on it.
    pub(crate) fn issue(&self, lifetime: Duration) -> Issued {
        let lifetime = self.duration_override.unwrap_or(lifetime);
        let now = self.clock.now();
        let end = now
            .checked_add(time::Duration::try_from(lifetime).unwrap_or(time::Duration::MAX))
            .unwrap_or(time::PrimitiveDateTime::MAX.assume_utc());
        let expiration = end.replace_nanosecond(0).unwrap_or(end);
        let issued = Issued {
            access_key_id: format!("STS.{}", random_alphanumeric(28)),
            access_key_secret: random_alphanumeric(44),
            security_token: security_token(),
            expiration,
        };
        self.keys.issue(
            issued.access_key_id.clone(),
            AccessKey {
                secret: issued.access_key_secret.clone(),
                sts: Some(StsToken {
                    token: issued.security_token.clone(),
                    expires_at: Some(expiration),
                }),
            },
            now,
        );
        issued
    }

    /// `AssumeRole`: checks `RoleArn`, `RoleSessionName`, `DurationSeconds` and `Policy`,
    /// then issues credentials.
    pub(crate) fn assume_role(&self, req: &EmulatorRequest) -> Result<Value, ApiError> {
        let role_arn = role_arn(req)?;
        let session = session_name(req)?;
        let (duration, _) = duration_and_policy(req)?;
        let answer = self.assumed(role_arn, session, duration);
        self.assume_role_count.fetch_add(1, Ordering::SeqCst);
        Ok(answer)
    }

    /// `AssumeRoleWithOIDC`, an anonymous call: checks `RoleArn`, `OIDCProviderArn`,
    /// `OIDCToken`, `RoleSessionName`, `DurationSeconds` and `Policy`, then that the token is
    /// one registered with [`EmulatorBuilder::oidc_token`](crate::EmulatorBuilder::oidc_token),
    /// then issues credentials. The emulator verifies no JWT: a registered token is accepted
    /// whatever its shape, an unregistered one is refused as Aliyun refuses a bad one.
    pub(crate) fn assume_role_with_oidc(&self, req: &EmulatorRequest) -> Result<Value, ApiError> {
        let role_arn = role_arn(req)?;
        let provider = required(req, "OIDCProviderArn")?;
        if !is_oidc_provider_arn(provider) {
            return Err(ApiError::bad_request(
                "InvalidParameter.OIDCProviderArn",
                "The parameter OIDCProviderArn is wrong.",
            ));
        }
        let token = req.param("OIDCToken").unwrap_or_default();
        if token.is_empty() {
            return Err(oidc_token_invalid("The OIDCToken can not empty."));
        }
        if !(MIN_OIDC_TOKEN..=MAX_OIDC_TOKEN).contains(&token.chars().count()) {
            return Err(ApiError::bad_request(
                "InvalidParameter.OIDCToken",
                "The parameter OIDCToken is wrong.",
            ));
        }
        let session = session_name(req)?;
        let (duration, _) = duration_and_policy(req)?;
        let registered = self.oidc_tokens.iter().fold(false, |found, t| {
            found | constant_time_eq(t.as_bytes(), token.as_bytes())
        });
        if !registered {
            return Err(if token.split('.').count() != 3 {
                oidc_token_invalid(
                    "The number of Jwt field should be divided into 3 parts with '.' .",
                )
            } else {
                ApiError::new(
                    401,
                    "AuthenticationFail.OIDCToken.InvalidSignature",
                    "OIDC token validate failed: invalid signature.",
                )
            });
        }
        let answer = self.assumed(role_arn, session, duration);
        self.oidc_assume_role_count.fetch_add(1, Ordering::SeqCst);
        Ok(answer)
    }

    /// The answer of a successful assume-role call: new credentials for `session` of
    /// `role_arn`, asked to last `duration` seconds.
    fn assumed(&self, role_arn: &str, session: &str, duration: u64) -> Value {
        let issued = self.issue(Duration::from_secs(duration));
        json!({
            "AssumedRoleUser": {
                "AssumedRoleId": format!("3{}:{session}", random_digits(17)),
                "Arn": format!("{role_arn}/{session}"),
            },
            "Credentials": {
                "AccessKeyId": issued.access_key_id,
                "AccessKeySecret": issued.access_key_secret,
                "SecurityToken": issued.security_token,
                "Expiration": format_timestamp(issued.expiration),
            },
        })
    }
}

/// `AuthenticationFail.OIDCToken.Invalid` (401) with `message`.
fn oidc_token_invalid(message: &str) -> ApiError {
    ApiError::new(401, "AuthenticationFail.OIDCToken.Invalid", message)
}

/// A well-formed `RoleArn`, or Aliyun's refusal.
fn role_arn(req: &EmulatorRequest) -> Result<&str, ApiError> {
    let role_arn = required(req, "RoleArn")?;
    if !is_role_arn(role_arn) {
        return Err(ApiError::bad_request(
            "InvalidParameter.RoleArn",
            "The parameter RoleArn is wrong.",
        ));
    }
    Ok(role_arn)
}

/// A well-formed `RoleSessionName`, or Aliyun's refusal.
fn session_name(req: &EmulatorRequest) -> Result<&str, ApiError> {
    let session = required(req, "RoleSessionName")?;
    if !is_session_name(session) {
        return Err(ApiError::bad_request(
            "InvalidParameter.RoleSessionName",
            "The parameter RoleSessionName is wrong.",
        ));
    }
    Ok(session)
}

/// `DurationSeconds` (default 3600) and `Policy`, checked.
fn duration_and_policy(req: &EmulatorRequest) -> Result<(u64, Option<&str>), ApiError> {
    let duration = match req.param("DurationSeconds") {
        None | Some("") => DEFAULT_DURATION,
        Some(text) => text
            .parse::<u64>()
            .ok()
            .filter(|d| (MIN_DURATION..=MAX_DURATION).contains(d))
            .ok_or_else(|| {
                ApiError::bad_request(
                    "InvalidParameter.DurationSeconds",
                    "The Min/Max value of DurationSeconds is 15min/12hr.",
                )
            })?,
    };
    let policy = req.param("Policy").filter(|p| !p.is_empty());
    if let Some(policy) = policy {
        if serde_json::from_str::<serde_json::Map<String, Value>>(policy).is_err() {
            return Err(ApiError::bad_request(
                "InvalidParameter.PolicyGrammar",
                "The parameter Policy has not passed grammar check.",
            ));
        }
    }
    Ok((duration, policy))
}

fn required<'r>(req: &'r EmulatorRequest, name: &str) -> Result<&'r str, ApiError> {
    req.param(name)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::missing_parameter(name))
}

/// `acs:ram::<account id>:role/<role name>`.
fn is_role_arn(arn: &str) -> bool {
    let Some(rest) = arn.strip_prefix("acs:ram::") else {
        return false;
    };
    let Some((account, role)) = rest.split_once(":role/") else {
        return false;
    };
    !account.is_empty()
        && account.bytes().all(|b| b.is_ascii_digit())
        && (1..=64).contains(&role.len())
        && role
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

/// `acs:ram::<account id>:oidc-provider/<name>`.
fn is_oidc_provider_arn(arn: &str) -> bool {
    let Some(rest) = arn.strip_prefix("acs:ram::") else {
        return false;
    };
    let Some((account, name)) = rest.split_once(":oidc-provider/") else {
        return false;
    };
    !account.is_empty()
        && account.bytes().all(|b| b.is_ascii_digit())
        && (1..=128).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

/// Compares secrets without stopping at the first differing byte.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// 2–64 characters of `A-Z a-z 0-9 . @ - _`.
fn is_session_name(name: &str) -> bool {
    (2..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".@-_".contains(&b))
}

/// A token shaped like Aliyun's: `CAIS…`, several hundred base64 characters, with `+`,
/// `/` and `=` in it (so a client that forgets to percent-encode it fails here too).
fn security_token() -> String {
    let mut bytes = [0u8; 451];
    fastrand::fill(&mut bytes);
    // Encodes as "+/+/": the characters a careless encoder gets wrong, guaranteed present.
    bytes[300..303].copy_from_slice(&[0xfb, 0xff, 0xbf]);
    // 451 bytes is 1 modulo 3: the encoding ends with "==".
    format!(
        "CAIS{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arn_format() {
        assert!(is_role_arn("acs:ram::123456789012:role/test-role"));
        assert!(is_role_arn("acs:ram::1:role/a.b_c"));
        for bad in [
            "",
            "acs:ram::12a:role/x",
            "acs:ram:::role/x",
            "acs:ram::123:user/x",
            "acs:ram::123:role/",
            "arn:aws:iam::123:role/x",
            "acs:ram::123:role/with space",
        ] {
            assert!(!is_role_arn(bad), "{bad}");
        }
    }

    #[test]
    fn oidc_provider_arn_format() {
        assert!(is_oidc_provider_arn(
            "acs:ram::113511544585:oidc-provider/ack-rrsa-c1"
        ));
        for bad in [
            "",
            "acs:ram::113511544585:role/x",
            "acs:ram:::oidc-provider/x",
            "acs:ram::1:oidc-provider/",
            "acs:ram::1:oidc-provider/a b",
        ] {
            assert!(!is_oidc_provider_arn(bad), "{bad}");
        }
    }

    #[test]
    fn session_name_format() {
        assert!(is_session_name("ab"));
        assert!(is_session_name("alice@example.com_1-2"));
        assert!(!is_session_name("a"));
        assert!(!is_session_name(&"a".repeat(65)));
        assert!(!is_session_name("with space"));
    }

    #[test]
    fn token_looks_like_aliyun() {
        let token = security_token();
        assert!(token.starts_with("CAIS"));
        assert!(token.len() > 600);
        assert!(token.contains('+') && token.contains('/') && token.ends_with("=="));
    }
}
