//! The field table of a derived `Request` struct: the derive lists each field once (its wire
//! name, its value as a trait object, where it travels and its checks), and the runtime writes
//! and validates the fields from that list.
//!
//! One table per request rather than a `write_params` and a `validate` body with statements
//! per field: the table is one array expression, so a crate of generated types (all of ECS:
//! 347 actions) has far less for rustc to type-check, borrow-check and keep in memory;
//! BENCHMARKS.md ("Compile cost of generated types") has the figures. It costs one virtual
//! call per field of the request, which the prepare benchmark measures. `Params` structs (list
//! items, the inner loop) keep statements per field.

use std::fmt;

use crate::constraints::{
    check_max_items, check_max_len, check_min_items, check_range, validate_json, validate_simple,
    write_json, write_simple, Bound, CharCount, ItemCount, Number, SimpleList,
};
use crate::error::Error;
use crate::params::{Flatten, KeyPath, ParamWriter};

/// A struct that lists its fields: what `#[derive(Request)]` implements, and what its
/// `write_params` and `validate` read.
pub trait Fields {
    /// Calls `visit` once with every field, in declaration order.
    fn fields(&self, visit: &mut dyn FnMut(&[Field<'_>]));
}

/// One field: its wire name, its value, whether it travels in the form body, and the checks
/// its attributes ask for, in the order they run.
pub struct Field<'a> {
    /// The wire name (`InstanceId`, `Tag`).
    pub name: &'static str,
    /// The value, as its attributes send it.
    pub value: FieldValue<'a>,
    /// `#[rpc(body)]`: every pair it writes travels in the form body.
    pub body: bool,
    /// The constraint checks, before the value's own validation.
    pub checks: &'a [FieldCheck<'a>],
}

/// The checks of a field without constraint attributes. A constant rather than `&[]` at each
/// field: rustc would otherwise promote an empty array per field, one more MIR body each.
pub const NO_CHECKS: &[FieldCheck<'static>] = &[];

/// How a field's value is sent.
pub enum FieldValue<'a> {
    /// Flattened under the field's name (`Name`, `Name.N`, `Name.Field`).
    Flatten(&'a dyn Flatten),
    /// `#[rpc(simple)]`: one comma-joined param.
    Simple(&'a dyn SimpleList),
    /// `#[rpc(json)]`: one JSON string.
    Json(&'a dyn JsonValue),
    /// `#[rpc(json)]` on an `Option`: one JSON string when set.
    JsonOption(&'a dyn JsonOption),
}

/// A constraint from a field attribute, with the value it reads.
pub enum FieldCheck<'a> {
    /// `max_items`.
    MaxItems(&'a dyn ItemCount, usize),
    /// `min_items`.
    MinItems(&'a dyn ItemCount, usize),
    /// `min` / `max`.
    Range(&'a dyn Number, Option<Bound>, Option<Bound>),
    /// `max_len`.
    MaxLen(&'a dyn CharCount, usize),
}

/// A value sent as JSON: anything `Serialize`.
#[diagnostic::on_unimplemented(
    message = "`#[rpc(json)]` sends its field as one JSON string, and `{Self}` is not `serde::Serialize`",
    label = "this type is not `Serialize`",
    note = "derive or implement `serde::Serialize` for it"
)]
pub trait JsonValue {
    /// Writes the JSON form under `name`.
    fn write(&self, w: &mut ParamWriter<'_>, name: &str);
    /// Checks that it serializes.
    fn validate(&self, at: &KeyPath<'_>) -> Result<(), Error>;
}

impl<T: serde::Serialize + ?Sized> JsonValue for T {
    fn write(&self, w: &mut ParamWriter<'_>, name: &str) {
        write_json(w, name, self);
    }
    fn validate(&self, at: &KeyPath<'_>) -> Result<(), Error> {
        validate_json(at, self)
    }
}

/// An optional value sent as JSON when set.
#[diagnostic::on_unimplemented(
    message = "`#[rpc(json)]` sends its field as one JSON string, and `{Self}` is not an `Option` of a `serde::Serialize` type",
    label = "this type is not `Serialize`",
    note = "derive or implement `serde::Serialize` for the type inside the `Option`"
)]
pub trait JsonOption {
    /// The value, when set.
    fn get(&self) -> Option<&dyn JsonValue>;
}

impl<T: serde::Serialize> JsonOption for Option<T> {
    fn get(&self) -> Option<&dyn JsonValue> {
        self.as_ref().map(|v| v as &dyn JsonValue)
    }
}

impl Field<'_> {
    fn write(&self, w: &mut ParamWriter<'_>) {
        if self.body {
            w.in_body(|w| self.write_pairs(w));
        } else {
            self.write_pairs(w);
        }
    }

    fn write_pairs(&self, w: &mut ParamWriter<'_>) {
        match self.value {
            FieldValue::Flatten(v) => w.field(self.name, v),
            FieldValue::Simple(v) => write_simple(w, self.name, v),
            FieldValue::Json(v) => v.write(w, self.name),
            FieldValue::JsonOption(v) => {
                if let Some(v) = v.get() {
                    v.write(w, self.name);
                }
            }
        }
    }

    fn validate(&self, parent: &KeyPath<'_>) -> Result<(), Error> {
        let at = &parent.field(self.name);
        for check in self.checks {
            match *check {
                FieldCheck::MaxItems(v, n) => check_max_items(at, v, n)?,
                FieldCheck::MinItems(v, n) => check_min_items(at, v, n)?,
                FieldCheck::Range(v, min, max) => check_range(at, v, min, max)?,
                FieldCheck::MaxLen(v, n) => check_max_len(at, v, n)?,
            }
        }
        match self.value {
            FieldValue::Flatten(v) => v.validate(at),
            FieldValue::Simple(v) => validate_simple(at, v),
            FieldValue::Json(v) => v.validate(at),
            FieldValue::JsonOption(v) => v.get().map_or(Ok(()), |v| v.validate(at)),
        }
    }
}

/// Writes every field of `value` under `w`'s current key.
///
/// Generic and `#[inline]` so that the calls of [`Fields::fields`] and of the closure it gets
/// are direct; the loop over the table is compiled once, here.
#[inline]
pub fn write_fields<T: Fields + ?Sized>(value: &T, w: &mut ParamWriter<'_>) {
    value.fields(&mut |fields| write_table(fields, w));
}

fn write_table(fields: &[Field<'_>], w: &mut ParamWriter<'_>) {
    for field in fields {
        field.write(w);
    }
}

/// Checks every field of `value`, in order, stopping at the first error; `at` is where
/// `value` sits.
#[inline]
pub fn validate_fields<T: Fields + ?Sized>(value: &T, at: &KeyPath<'_>) -> Result<(), Error> {
    let mut result = Ok(());
    value.fields(&mut |fields| result = validate_table(fields, at));
    result
}

fn validate_table(fields: &[Field<'_>], at: &KeyPath<'_>) -> Result<(), Error> {
    fields.iter().try_for_each(|field| field.validate(at))
}

/// The field's name and shape, never its value (it may be secret).
impl fmt::Debug for Field<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Field")
            .field("name", &self.name)
            .field("value", &self.value)
            .field("body", &self.body)
            .field("checks", &self.checks)
            .finish()
    }
}

impl fmt::Debug for FieldValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FieldValue::Flatten(_) => "Flatten",
            FieldValue::Simple(_) => "Simple",
            FieldValue::Json(_) => "Json",
            FieldValue::JsonOption(_) => "JsonOption",
        })
    }
}

impl fmt::Debug for FieldCheck<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldCheck::MaxItems(_, n) => write!(f, "MaxItems({n})"),
            FieldCheck::MinItems(_, n) => write!(f, "MinItems({n})"),
            FieldCheck::Range(_, min, max) => write!(f, "Range({min:?}, {max:?})"),
            FieldCheck::MaxLen(_, n) => write!(f, "MaxLen({n})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::writer_flagged as flagged;
    use crate::params::{PairFlags, Secret};

    /// A hand-written table: what the derive writes for
    /// `struct T { #[rpc(max_items = 2)] ids: Vec<String>, #[rpc(body)] password: Option<Secret<String>>,
    /// #[rpc(simple)] zones: Vec<String>, #[rpc(json)] tags: Option<Vec<u8>> }`.
    struct T {
        ids: Vec<String>,
        password: Option<Secret<String>>,
        zones: Vec<String>,
        tags: Option<Vec<u8>>,
    }

    impl Fields for T {
        fn fields(&self, visit: &mut dyn FnMut(&[Field<'_>])) {
            visit(&[
                Field {
                    name: "Id",
                    value: FieldValue::Flatten(&self.ids),
                    body: false,
                    checks: &[FieldCheck::MaxItems(&self.ids, 2)],
                },
                Field {
                    name: "Password",
                    value: FieldValue::Flatten(&self.password),
                    body: true,
                    checks: NO_CHECKS,
                },
                Field {
                    name: "Zones",
                    value: FieldValue::Simple(&self.zones),
                    body: false,
                    checks: NO_CHECKS,
                },
                Field {
                    name: "Tags",
                    value: FieldValue::JsonOption(&self.tags),
                    body: false,
                    checks: NO_CHECKS,
                },
            ]);
        }
    }

    fn t() -> T {
        T {
            ids: vec!["i-1".into(), "i-2".into()],
            password: Some(Secret::from("hunter2")),
            zones: vec!["a".into(), "b".into()],
            tags: None,
        }
    }

    #[test]
    fn writes_each_field_in_order_with_its_flags() {
        let pairs = flagged(|w| write_fields(&t(), w));
        let got: Vec<(&str, &str, bool, bool)> = pairs
            .iter()
            .map(|(k, v, f)| {
                (
                    k.as_str(),
                    v.as_str(),
                    f.has(PairFlags::BODY),
                    f.has(PairFlags::SECRET),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("Id.1", "i-1", false, false),
                ("Id.2", "i-2", false, false),
                ("Password", "hunter2", true, true),
                ("Zones", "a,b", false, false),
            ]
        );
        let with_tags = T {
            tags: Some(vec![1, 2]),
            ..t()
        };
        let pairs = flagged(|w| write_fields(&with_tags, w));
        assert_eq!(
            pairs.last().map(|(k, v, _)| (k.as_str(), v.as_str())),
            Some(("Tags", "[1,2]"))
        );
    }

    #[test]
    fn validates_checks_before_the_value_and_names_the_field() {
        assert!(validate_fields(&t(), &KeyPath::root()).is_ok());
        let three = T {
            ids: vec!["i-1".into(), "i-2".into(), "i-3".into()],
            ..t()
        };
        let err = validate_fields(&three, &KeyPath::root())
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("invalid request parameter `Id`: at most 2 items allowed, got 3")
        );
        let root = KeyPath::root();
        let nested = root.field("LaunchTemplate");
        let comma = T {
            zones: vec!["a,b".into()],
            ..t()
        };
        let err = validate_fields(&comma, &nested)
            .err()
            .map(|e| e.to_string());
        assert!(
            err.as_deref().is_some_and(
                |e| e.starts_with("invalid request parameter `LaunchTemplate.Zones`: item 1")
            ),
            "{err:?}"
        );
    }

    #[test]
    fn debug_shows_the_shape_never_the_value() {
        let t = t();
        let mut shown = String::new();
        t.fields(&mut |fields| shown = format!("{fields:?}"));
        assert!(
            shown.contains(r#"name: "Id""#) && shown.contains("MaxItems(2)"),
            "{shown}"
        );
        assert!(
            !shown.contains("hunter2") && !shown.contains("i-1"),
            "{shown}"
        );
    }
}
