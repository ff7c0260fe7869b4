//! The one error type every fallible call returns.

use std::fmt;

/// A boxed error from a lower layer (I/O, TLS, HTTP, JSON, XML), kept as the `source`.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong building, signing, sending or decoding a call.
///
/// Match on the variant to act on it, or use the accessors ([`code`](Error::code),
/// [`request_id`](Error::request_id), [`http_status`](Error::http_status)) that work on
/// any variant. `Display` is lowercase and never contains a secret.
///
/// ```
/// use aliyun_rpc::Error;
///
/// let err = Error::invalid_param("Filter.51", "at most 50 items");
/// assert_eq!(err.to_string(), "invalid request parameter `Filter.51`: at most 50 items");
/// assert!(matches!(err, Error::InvalidRequest { .. }));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A parameter breaks a constraint of the API definition; nothing was sent.
    #[error("invalid request parameter `{param}`: {reason}")]
    InvalidRequest {
        /// The wire name of the offending parameter, e.g. `Filter.3.Value`.
        param: String,
        /// Why it was rejected, e.g. `at most 50 items, got 51`.
        reason: String,
    },
}

impl Error {
    /// An [`Error::InvalidRequest`] for `param`.
    pub fn invalid_param(param: impl Into<String>, reason: impl fmt::Display) -> Self {
        Error::InvalidRequest {
            param: param.into(),
            reason: reason.to_string(),
        }
    }
}

/// A string that names no variant of a `#[derive(ParamValue)]` enum, from its `FromStr`.
///
/// ```
/// use aliyun_rpc::{ParamValue, ParseEnumError};
///
/// #[derive(Debug, PartialEq, ParamValue)]
/// enum ActionType { CreateEcs, Upgrade }
///
/// let err: ParseEnumError = "Foo".parse::<ActionType>().unwrap_err();
/// assert_eq!(err.to_string(), "unknown `ActionType` value `Foo`; expected one of `CreateEcs`, `Upgrade`");
/// assert_eq!(err.expected(), ["CreateEcs", "Upgrade"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEnumError {
    enum_name: &'static str,
    input: String,
    expected: &'static [&'static str],
}

impl ParseEnumError {
    /// `input` is not one of `expected`, the wire values of `enum_name`.
    pub fn new(enum_name: &'static str, input: &str, expected: &'static [&'static str]) -> Self {
        ParseEnumError {
            enum_name,
            input: input.to_owned(),
            expected,
        }
    }

    /// The enum's name, as declared.
    pub fn enum_name(&self) -> &'static str {
        self.enum_name
    }

    /// The rejected string.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// Every accepted wire value, in declaration order.
    pub fn expected(&self) -> &'static [&'static str] {
        self.expected
    }
}

impl fmt::Display for ParseEnumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown `{}` value `{}`; ", self.enum_name, self.input)?;
        if self.expected.is_empty() {
            return write!(f, "`{}` has no values", self.enum_name);
        }
        f.write_str("expected one of ")?;
        for (i, value) in self.expected.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "`{value}`")?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseEnumError {}
