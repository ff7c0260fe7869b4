//! What a handler sees of a call: [`EmulatorRequest`].

use crate::params::param;
use crate::wire::{self, COMMON_PARAMS};

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
#[derive(Debug, Clone)]
pub struct EmulatorRequest {
    method: String,
    host: Option<String>,
    /// `(lower-case name, value)` of every header with a UTF-8 value.
    headers: Vec<(String, String)>,
    params: Vec<(String, String)>,
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

    /// Every param of the call but `Signature`, decoded, in the order they were sent.
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

    /// The `Action` param (empty if absent, which a verified call never is).
    pub fn action(&self) -> &str {
        self.param(wire::param::ACTION).unwrap_or_default()
    }

    /// The `Version` param (the API version, e.g. `2014-05-26`).
    pub fn version(&self) -> &str {
        self.param(wire::param::VERSION).unwrap_or_default()
    }

    /// The `AccessKeyId` that signed the call.
    pub fn access_key_id(&self) -> &str {
        self.param(wire::param::ACCESS_KEY_ID).unwrap_or_default()
    }

    /// The `RegionId` param, if sent.
    pub fn region_id(&self) -> Option<&str> {
        self.param("RegionId")
    }
}
