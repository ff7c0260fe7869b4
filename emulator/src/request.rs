//! What a handler sees of a call: [`EmulatorRequest`], and how it was signed
//! ([`SignatureVersion`]).

use crate::params::param;
use crate::wire::{self, COMMON_PARAMS};

/// How a call was signed: the emulator verifies both on the same endpoint, as Aliyun does.
///
/// ```
/// use aliyun_rpc_emulator::{EmulatorRequest, SignatureVersion};
///
/// let req = EmulatorRequest::new("GET", vec![("Action".into(), "Greet".into())]);
/// assert_eq!(req.signature_version(), SignatureVersion::V1);
/// assert_eq!(SignatureVersion::V3.to_string(), "ACS3-HMAC-SHA256");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureVersion {
    /// Signature v1 (`SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`): the common params
    /// (`Action`, `Version`, `AccessKeyId`, `Signature`, …) travel with the business params.
    V1,
    /// Signature V3 (`Authorization: ACS3-HMAC-SHA256 …`): `Action`, `Version`, the date and
    /// the nonce travel in `x-acs-*` headers, the params are business params only.
    V3,
}

impl SignatureVersion {
    /// The algorithm's name: `HMAC-SHA1` or `ACS3-HMAC-SHA256`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureVersion::V1 => wire::SIGNATURE_METHOD,
            SignatureVersion::V3 => wire::V3_ALGORITHM,
        }
    }
}

impl std::fmt::Display for SignatureVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Headers and params whose values are secrets: never shown by `Debug`.
const SECRET_NAMES: [&str; 3] = [
    wire::AUTHORIZATION,
    wire::X_ACS_SECURITY_TOKEN,
    wire::param::SECURITY_TOKEN,
];

/// `(name, value)` pairs for `Debug`, secret values redacted.
struct Redacted<'a>(&'a [(String, String)]);

impl std::fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(name, value)| {
                let secret = SECRET_NAMES.iter().any(|s| s.eq_ignore_ascii_case(name));
                (
                    name,
                    if secret {
                        wire::REDACTED
                    } else {
                        value.as_str()
                    },
                )
            }))
            .finish()
    }
}

impl std::fmt::Debug for EmulatorRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatorRequest")
            .field("method", &self.method)
            .field("signature_version", &self.signature_version())
            .field("action", &self.action())
            .field("version", &self.version())
            .field("access_key_id", &self.access_key_id())
            .field("headers", &Redacted(&self.headers))
            .field("params", &Redacted(&self.params))
            .finish()
    }
}

/// Who signed a V3 call and what it calls: what v1 carries in its common params.
#[derive(Debug, Clone)]
struct V3Call {
    action: String,
    version: String,
    access_key_id: String,
}

/// A call that passed every signature check, as a handler receives it.
///
/// ```
/// use aliyun_rpc_emulator::{ApiError, Emulator, EmulatorRequest};
/// use serde_json::json;
///
/// fn greet(req: &EmulatorRequest) -> Result<serde_json::Value, ApiError> {
///     let name = req.param("Name").ok_or_else(|| ApiError::missing_parameter("Name"))?;
///     Ok(json!({ "Greeting": format!("hello, {name}"), "Action": req.action() }))
/// }
///
/// let builder = Emulator::builder().handler("2024-01-01", "Greet", greet);
/// # let _ = builder;
/// ```
///
/// `Debug` shows the headers and params with the secrets' values redacted (`Authorization`,
/// `x-acs-security-token`, `SecurityToken`).
#[derive(Clone)]
pub struct EmulatorRequest {
    method: String,
    host: Option<String>,
    /// `(lower-case name, value)` of every header (a value that is not visible ASCII read as
    /// ISO-8859-1).
    headers: Vec<(String, String)>,
    params: Vec<(String, String)>,
    /// Set for a V3 call, whose action, version and key are not params.
    v3: Option<V3Call>,
}

impl EmulatorRequest {
    /// A request with these decoded `params` (`Signature` is dropped), for handler tests.
    ///
    /// ```
    /// use aliyun_rpc_emulator::EmulatorRequest;
    ///
    /// let req = EmulatorRequest::new("GET", vec![
    ///     ("Action".into(), "Greet".into()),
    ///     ("Version".into(), "2024-01-01".into()),
    ///     ("Name".into(), "Ada".into()),
    /// ]);
    /// assert_eq!(req.param("Name"), Some("Ada"));
    /// assert_eq!(req.action(), "Greet");
    /// ```
    pub fn new(method: impl Into<String>, mut params: Vec<(String, String)>) -> Self {
        params.retain(|(k, _)| k != wire::param::SIGNATURE);
        EmulatorRequest {
            method: method.into(),
            host: None,
            headers: Vec::new(),
            params,
            v3: None,
        }
    }

    /// The same request as a verified V3 call: its action and version (from `x-acs-action`
    /// and `x-acs-version`) and the access key of its `Authorization` header, which
    /// [`action`](Self::action), [`version`](Self::version) and
    /// [`access_key_id`](Self::access_key_id) answer instead of params.
    pub(crate) fn signed_v3(
        mut self,
        action: impl Into<String>,
        version: impl Into<String>,
        access_key_id: impl Into<String>,
    ) -> Self {
        self.v3 = Some(V3Call {
            action: action.into(),
            version: version.into(),
            access_key_id: access_key_id.into(),
        });
        self
    }

    /// How the call was signed: [`SignatureVersion::V1`] (common params) or
    /// [`SignatureVersion::V3`] (`Authorization` header).
    pub fn signature_version(&self) -> SignatureVersion {
        match self.v3 {
            Some(_) => SignatureVersion::V3,
            None => SignatureVersion::V1,
        }
    }

    /// The same request with these HTTP headers (the `Host` header among them).
    pub fn with_headers<'a>(
        mut self,
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        self.headers = headers
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.to_owned()))
            .collect();
        self.host = self.header("host").map(str::to_owned);
        self
    }

    /// The value of HTTP header `name` (any case), e.g. `user-agent` or `x-acs-action`.
    ///
    /// ```
    /// use aliyun_rpc_emulator::EmulatorRequest;
    ///
    /// let req = EmulatorRequest::new("POST", vec![]).with_headers([("X-Acs-Action", "Greet")]);
    /// assert_eq!(req.header("x-acs-action"), Some("Greet"));
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The HTTP method, `GET` or `POST`.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The `Host` header, if the client sent one.
    pub fn host(&self) -> Option<&str> {
        self.host.as_deref()
    }

    /// The value of param `key`, decoded (`None` if it was not sent).
    pub fn param(&self, key: &str) -> Option<&str> {
        param(&self.params, key)
    }

    /// Every param of the call but `Signature`, decoded, in the order they were sent: for
    /// v1 the common params and the business params; for V3 the business params (query
    /// first, then a form body).
    pub fn params(&self) -> &[(String, String)] {
        &self.params
    }

    /// The params of the action itself: all but the common ones (`Action`, `Version`,
    /// `Format`, `AccessKeyId`, `SecurityToken`, `Signature*`, `Timestamp`, …).
    ///
    /// ```
    /// # use aliyun_rpc_emulator::EmulatorRequest;
    /// let req = EmulatorRequest::new("POST", vec![
    ///     ("Action".into(), "Greet".into()),
    ///     ("Name".into(), "Ada".into()),
    /// ]);
    /// let business: Vec<_> = req.business_params().collect();
    /// assert_eq!(business, [("Name", "Ada")]);
    /// ```
    pub fn business_params(&self) -> impl Iterator<Item = (&str, &str)> {
        self.params
            .iter()
            .filter(|(k, _)| !COMMON_PARAMS.contains(&k.as_str()))
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The action called: the `Action` param (v1) or the `x-acs-action` header (V3); empty
    /// if absent, which a verified call never is.
    pub fn action(&self) -> &str {
        match &self.v3 {
            Some(call) => &call.action,
            None => self.param(wire::param::ACTION).unwrap_or_default(),
        }
    }

    /// The API version, e.g. `2014-05-26`: the `Version` param (v1) or the `x-acs-version`
    /// header (V3).
    pub fn version(&self) -> &str {
        match &self.v3 {
            Some(call) => &call.version,
            None => self.param(wire::param::VERSION).unwrap_or_default(),
        }
    }

    /// The access key id that signed the call: the `AccessKeyId` param (v1) or the
    /// `Credential` of the `Authorization` header (V3).
    pub fn access_key_id(&self) -> &str {
        match &self.v3 {
            Some(call) => &call.access_key_id,
            None => self.param(wire::param::ACCESS_KEY_ID).unwrap_or_default(),
        }
    }

    /// The `RegionId` param, if sent.
    pub fn region_id(&self) -> Option<&str> {
        self.param("RegionId")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whole `Debug` pinned: the signature and the tokens never show.
    #[test]
    fn debug_redacts_the_secrets() {
        let req = EmulatorRequest::new(
            "POST",
            vec![
                ("RegionId".into(), "cn-hangzhou".into()),
                ("SecurityToken".into(), "v1-token".into()),
            ],
        )
        .with_headers([
            ("Host", "h"),
            (
                "Authorization",
                "ACS3-HMAC-SHA256 Credential=id,Signature=ab",
            ),
            ("x-acs-security-token", "v3-token"),
        ])
        .signed_v3("Greet", "2024-01-01", "id");
        assert_eq!(
            format!("{req:?}"),
            "EmulatorRequest { method: \"POST\", signature_version: V3, action: \"Greet\", \
             version: \"2024-01-01\", access_key_id: \"id\", headers: [(\"host\", \"h\"), \
             (\"authorization\", \"** redacted **\"), (\"x-acs-security-token\", \
             \"** redacted **\")], params: [(\"RegionId\", \"cn-hangzhou\"), \
             (\"SecurityToken\", \"** redacted **\")] }"
        );
    }
}
