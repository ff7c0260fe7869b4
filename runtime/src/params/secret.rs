//! [`Secret`]: a param value that is sent, but never shown.

use std::fmt;

use super::ParamValue;
use crate::wire::REDACTED;

/// A param value that is sent as it is but never shown: a password, a private key.
///
/// `Debug` and `Display` print a marker instead of the value, so a request struct that
/// derives `Debug` can be logged whole. When the request is signed, the writer flags the
/// pair as secret ([`ParamValue::is_secret`]), and the client shows the marker for its value
/// wherever it shows params: the `curl` rendering of a
/// [`PreparedRequest`](crate::client::PreparedRequest), and the messages of errors and
/// tracing events that echo the request. Read the value with [`expose`](Self::expose).
///
/// Declare such a field with `#[rpc(secret)]`, which checks at compile time that its type
/// keeps the value in a `Secret`; the generated setter takes anything that converts into
/// one, such as a `&str`:
///
/// ```
/// use aliyun_rpc::params::Secret;
/// use aliyun_rpc::Request;
/// # #[derive(serde::Deserialize)] pub struct Empty {}
///
/// #[derive(Debug, Clone, Request)]
/// #[rpc(product = "Ecs", version = "2014-05-26", action = "ModifyInstanceAttribute",
///       response = Empty)]
/// pub struct ModifyInstanceAttribute {
///     pub instance_id: String,
///     #[rpc(secret)]
///     pub password: Option<Secret<String>>,
/// }
///
/// let req = ModifyInstanceAttribute::new("i-1").password("hunter2");
/// assert_eq!(
///     format!("{req:?}"),
///     r#"ModifyInstanceAttribute { instance_id: "i-1", password: Some(Secret("** redacted **")) }"#,
/// );
/// // Sent as it is.
/// assert_eq!(req.to_params()[1], ("Password".to_owned(), "hunter2".to_owned()));
/// assert_eq!(req.password.as_ref().map(|p| p.expose().as_str()), Some("hunter2"));
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps `value`.
    pub const fn new(value: T) -> Self {
        Secret(value)
    }

    /// The value. Don't log it.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// The value, unwrapped. Don't log it.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret<String> {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// `Secret("** redacted **")`, whatever the value.
impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Secret").field(&REDACTED).finish()
    }
}

/// `** redacted **`, whatever the value.
impl<T> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<T: ParamValue> ParamValue for Secret<T> {
    fn write_value(&self, out: &mut String) {
        self.0.write_value(out);
    }

    /// The value's own check; a failure does not say why, since the reason could quote the
    /// value.
    fn validate(&self) -> Result<(), String> {
        self.0
            .validate()
            .map_err(|_| "the secret value is not valid (the reason is not shown, since it could contain the value)".to_owned())
    }

    fn as_wire_str(&self) -> Option<&str> {
        self.0.as_wire_str()
    }

    fn is_secret(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let secret: Secret<String> = Secret::from("hunter2");
        assert_eq!(format!("{secret:?}"), r#"Secret("** redacted **")"#);
        assert_eq!(
            format!("{secret:#?}"),
            "Secret(\n    \"** redacted **\",\n)"
        );
        assert_eq!(secret.to_string(), "** redacted **");
        assert_eq!(
            format!("{:?}", Some(Secret::new(42u32))),
            r#"Some(Secret("** redacted **"))"#
        );
    }

    #[test]
    fn the_value_is_sent_and_flagged_secret() {
        let secret: Secret<String> = Secret::from("hunter2");
        assert_eq!(secret.expose(), "hunter2");
        assert_eq!(secret.as_wire_str(), Some("hunter2"));
        assert!(secret.is_secret());
        assert!(!"hunter2".is_secret());
        assert!(
            ParamValue::is_secret(&&secret),
            "a reference forwards the flag"
        );
        let mut out = String::new();
        Secret::new(7u8).write_value(&mut out);
        assert_eq!(out, "7");
        assert_eq!(secret.clone().into_inner(), "hunter2");
        assert_eq!(secret, Secret::new("hunter2".to_owned()));
        assert_eq!(Secret::<String>::default().expose(), "");
    }

    #[test]
    fn a_failed_check_does_not_quote_the_value() {
        let reason = Secret::new(f64::NAN).validate().unwrap_err();
        assert!(!reason.contains("NaN"), "{reason}");
        assert!(Secret::new(1.5f64).validate().is_ok());
    }
}
