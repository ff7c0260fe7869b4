//! The three traits of the model: [`ParamValue`] (a scalar) and [`Params`] (a struct of
//! params), which the derives implement and the crate root exports, and [`Flatten`]
//! (anything that becomes params), which the writer and the generated code call.

use super::{KeyPath, ParamWriter};
use crate::error::Error;

/// A single wire value: `String`, numbers, `bool`, or a `#[derive(ParamValue)]` enum.
///
/// Implement it by hand for your own scalar types. The value is written as it is;
/// percent-encoding happens later, when the request is signed.
///
/// ```
/// use aliyun_rpc::ParamValue;
///
/// /// Disk size in GiB, sent as a plain integer.
/// struct DiskSize(u32);
///
/// impl ParamValue for DiskSize {
///     fn write_value(&self, out: &mut String) {
///         self.0.write_value(out);
///     }
///     fn validate(&self) -> Result<(), String> {
///         if self.0 < 20 { Err("must be at least 20 GiB".into()) } else { Ok(()) }
///     }
/// }
///
/// let mut s = String::new();
/// DiskSize(40).write_value(&mut s);
/// assert_eq!(s, "40");
/// assert!(DiskSize(10).validate().is_err());
/// ```
///
/// Every `ParamValue` is also [`Flatten`], so it can be a field, a list item or a map value.
pub trait ParamValue {
    /// Appends the wire form of `self` to `out`.
    fn write_value(&self, out: &mut String);

    /// Checks that `self` can be sent; the message says why not (the caller adds the param's
    /// key).
    fn validate(&self) -> Result<(), String> {
        Ok(())
    }

    /// The wire form as a borrowed string, for values that already are one (strings,
    /// `#[derive(ParamValue)]` enums): the writer then skips its copy through
    /// [`write_value`](Self::write_value). Must equal what `write_value` writes.
    fn as_wire_str(&self) -> Option<&str> {
        None
    }

    /// Whether the value must never be shown. The writer flags a secret value's pair, and the
    /// client then shows a marker instead of it wherever it shows params (the `curl`
    /// rendering of a [`PreparedRequest`](crate::client::PreparedRequest), errors, tracing);
    /// it is sent as it is. `false` by default; [`Secret`](super::Secret) says `true`. A type
    /// that holds secrets should also keep them out of its `Debug` and `Display`, as `Secret`
    /// does.
    fn is_secret(&self) -> bool {
        false
    }
}

/// Anything that flattens into zero or more params under the writer's current key.
///
/// Implemented for every [`ParamValue`], for every [`Params`] struct (by the derive),
/// and for `Option`, `Vec`, slices and string-keyed maps of those. You rarely
/// implement it yourself.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be sent as an Aliyun request parameter",
    label = "this type has no `ParamValue` or `Params` impl",
    note = "derive `Params` for a struct of params, `ParamValue` for a unit-only enum, or implement `ParamValue` by hand"
)]
pub trait Flatten {
    /// Writes `self` under `w`'s current key.
    fn flatten(&self, w: &mut ParamWriter<'_>);

    /// Checks `self` and everything inside it; `at` is where `self` sits, for the error.
    fn validate(&self, at: &KeyPath<'_>) -> Result<(), Error>;
}

impl<T: ParamValue + ?Sized> Flatten for T {
    fn flatten(&self, w: &mut ParamWriter<'_>) {
        w.value(self);
    }

    fn validate(&self, at: &KeyPath<'_>) -> Result<(), Error> {
        ParamValue::validate(self).map_err(|reason| Error::invalid_param(at.to_string(), reason))
    }
}

/// A struct whose fields are params: `#[derive(Params)]` implements it.
///
/// As a field it flattens to `Name.Field`; as a list item to `Name.N.Field`. Validation
/// names a value by the same key, built as a [`KeyPath`] on the way down.
///
/// ```
/// use aliyun_rpc::{Params, Request};
/// # #[derive(serde::Deserialize)] pub struct Empty {}
///
/// #[derive(Debug, Clone, Params)]
/// pub struct Tag { #[rpc(max_len = 8)] pub key: String, pub value: Option<String> }
///
/// #[derive(Debug, Clone, Request)]
/// #[rpc(product = "Ecs", version = "2014-05-26", action = "TagResources", response = Empty)]
/// pub struct TagResources { pub region_id: String, #[rpc(name = "Tag")] pub tags: Vec<Tag> }
///
/// let req = TagResources::new("cn-hangzhou")
///     .tag(Tag { key: "env".into(), value: Some("prod".into()) })
///     .tag(Tag { key: "team".into(), value: None });
/// assert_eq!(req.to_params(), [
///     ("RegionId".to_owned(), "cn-hangzhou".to_owned()),
///     ("Tag.1.Key".to_owned(), "env".to_owned()),
///     ("Tag.1.Value".to_owned(), "prod".to_owned()),
///     ("Tag.2.Key".to_owned(), "team".to_owned()),
/// ]);
///
/// let long = req.tag(Tag { key: "department".into(), value: None });
/// assert_eq!(
///     long.validate().unwrap_err().to_string(),
///     "invalid request parameter `Tag.3.Key`: at most 8 characters allowed, got 10",
/// );
/// ```
pub trait Params {
    /// Writes every field under `w`'s current key.
    fn write_params(&self, w: &mut ParamWriter<'_>);

    /// Checks every field's constraints and everything nested; `at` is where `self` sits.
    fn validate(&self, at: &KeyPath<'_>) -> Result<(), Error>;
}
