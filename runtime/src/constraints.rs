//! Checks behind the field attributes `max_items`/`min_items`, `min`/`max`, `max_len` and
//! `json`.
//! Generated code calls these through `::aliyun_rpc::__private`, each with the field's own
//! [`KeyPath`] (`at`), which names the param in the error.

use std::borrow::Cow;

use crate::error::Error;
use crate::params::{KeyPath, ParamWriter};

/// A list field: how many items it holds (`None` for an unset `Option`).
#[diagnostic::on_unimplemented(
    message = "`max_items` and `min_items` apply to list fields, not `{Self}`"
)]
pub trait ItemCount {
    /// The number of items.
    fn item_count(&self) -> Option<usize>;
}
impl<T> ItemCount for Vec<T> {
    fn item_count(&self) -> Option<usize> {
        Some(self.len())
    }
}
impl<T> ItemCount for [T] {
    fn item_count(&self) -> Option<usize> {
        Some(self.len())
    }
}
impl<T> ItemCount for &[T] {
    fn item_count(&self) -> Option<usize> {
        Some(self.len())
    }
}
impl<T: ItemCount> ItemCount for Option<T> {
    fn item_count(&self) -> Option<usize> {
        self.as_ref().and_then(ItemCount::item_count)
    }
}

/// Fails when `value` holds more than `max` items.
pub fn check_max_items<T: ItemCount + ?Sized>(
    at: &KeyPath<'_>,
    value: &T,
    max: usize,
) -> Result<(), Error> {
    match value.item_count() {
        Some(n) if n > max => Err(Error::invalid_param(
            at.to_string(),
            format!("at most {max} items allowed, got {n}"),
        )),
        _ => Ok(()),
    }
}

/// Fails when `value` holds fewer than `min` items. An unset `Option` is not checked: it
/// sends nothing, and whether it must be set is its type's business.
pub fn check_min_items<T: ItemCount + ?Sized>(
    at: &KeyPath<'_>,
    value: &T,
    min: usize,
) -> Result<(), Error> {
    match value.item_count() {
        Some(n) if n < min => Err(Error::invalid_param(
            at.to_string(),
            format!("at least {min} items required, got {n}"),
        )),
        _ => Ok(()),
    }
}

/// A string field: its length in chars (`None` for an unset `Option`).
#[diagnostic::on_unimplemented(message = "`max_len` applies to string fields, not `{Self}`")]
pub trait CharCount {
    /// The number of Unicode scalar values.
    fn char_count(&self) -> Option<usize>;
}
impl CharCount for str {
    fn char_count(&self) -> Option<usize> {
        Some(self.chars().count())
    }
}
impl CharCount for String {
    fn char_count(&self) -> Option<usize> {
        Some(self.chars().count())
    }
}
impl CharCount for Cow<'_, str> {
    fn char_count(&self) -> Option<usize> {
        Some(self.chars().count())
    }
}
impl CharCount for &str {
    fn char_count(&self) -> Option<usize> {
        Some(self.chars().count())
    }
}
impl<T: CharCount> CharCount for Option<T> {
    fn char_count(&self) -> Option<usize> {
        self.as_ref().and_then(CharCount::char_count)
    }
}

/// Fails when `value` is longer than `max` chars.
pub fn check_max_len<T: CharCount + ?Sized>(
    at: &KeyPath<'_>,
    value: &T,
    max: usize,
) -> Result<(), Error> {
    match value.char_count() {
        Some(n) if n > max => Err(Error::invalid_param(
            at.to_string(),
            format!("at most {max} characters allowed, got {n}"),
        )),
        _ => Ok(()),
    }
}

/// A bound from a `min = …` / `max = …` attribute, as written.
#[derive(Debug, Clone, Copy)]
pub enum Bound {
    /// An integer literal.
    Int(i128),
    /// A float literal.
    Float(f64),
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bound::Int(i) => write!(f, "{i}"),
            Bound::Float(x) => write!(f, "{x}"),
        }
    }
}

/// A number field, comparable with a [`Bound`] (`None` for an unset `Option`).
#[diagnostic::on_unimplemented(message = "`min` and `max` apply to number fields, not `{Self}`")]
pub trait Number {
    /// `Some(true)` when `self < bound`, `None` when unset or incomparable (NaN).
    fn below(&self, bound: Bound) -> Option<bool>;
    /// `Some(true)` when `self > bound`.
    fn above(&self, bound: Bound) -> Option<bool>;
    /// The value for an error message.
    fn describe(&self) -> String;
}

macro_rules! int_numbers {
    ($($t:ty)*) => {$(
        impl Number for $t {
            fn below(&self, bound: Bound) -> Option<bool> {
                Some(match bound {
                    Bound::Int(b) => i128::try_from(*self).map_or(false, |v| v < b),
                    Bound::Float(b) => (*self as f64) < b,
                })
            }
            fn above(&self, bound: Bound) -> Option<bool> {
                Some(match bound {
                    // Only a u128 beyond i128::MAX fails the conversion, and it is above any bound.
                    Bound::Int(b) => i128::try_from(*self).map_or(true, |v| v > b),
                    Bound::Float(b) => (*self as f64) > b,
                })
            }
            fn describe(&self) -> String { self.to_string() }
        }
    )*};
}
int_numbers!(i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize);

macro_rules! float_numbers {
    ($($t:ty)*) => {$(
        impl Number for $t {
            fn below(&self, bound: Bound) -> Option<bool> {
                let b = match bound { Bound::Int(b) => b as f64, Bound::Float(b) => b };
                (*self as f64).partial_cmp(&b).map(|o| o.is_lt())
            }
            fn above(&self, bound: Bound) -> Option<bool> {
                let b = match bound { Bound::Int(b) => b as f64, Bound::Float(b) => b };
                (*self as f64).partial_cmp(&b).map(|o| o.is_gt())
            }
            fn describe(&self) -> String { self.to_string() }
        }
    )*};
}
float_numbers!(f32 f64);

impl<T: Number> Number for Option<T> {
    fn below(&self, bound: Bound) -> Option<bool> {
        self.as_ref().and_then(|v| v.below(bound))
    }
    fn above(&self, bound: Bound) -> Option<bool> {
        self.as_ref().and_then(|v| v.above(bound))
    }
    fn describe(&self) -> String {
        self.as_ref().map_or_else(String::new, Number::describe)
    }
}

/// Fails when `value` is outside `[min, max]`.
pub fn check_range<T: Number + ?Sized>(
    at: &KeyPath<'_>,
    value: &T,
    min: Option<Bound>,
    max: Option<Bound>,
) -> Result<(), Error> {
    let out_of_range = min.is_some_and(|b| value.below(b) == Some(true))
        || max.is_some_and(|b| value.above(b) == Some(true));
    if !out_of_range {
        return Ok(());
    }
    let range = match (min, max) {
        (Some(lo), Some(hi)) => format!("must be between {lo} and {hi}"),
        (Some(lo), None) => format!("must be at least {lo}"),
        (None, Some(hi)) => format!("must be at most {hi}"),
        (None, None) => String::new(),
    };
    Err(Error::invalid_param(
        at.to_string(),
        format!("{range}, got {}", value.describe()),
    ))
}

/// Writes `value` as one JSON string under `name` (`InstanceIds=["i-1","i-2"]`).
/// A value that cannot be serialized is reported by [`validate_json`], and sends nothing here.
pub fn write_json<T: serde::Serialize + ?Sized>(w: &mut ParamWriter<'_>, name: &str, value: &T) {
    if let Ok(json) = serde_json::to_string(value) {
        w.field(name, json.as_str());
    }
}

/// Checks that `value` serializes to JSON.
pub fn validate_json<T: serde::Serialize + ?Sized>(
    at: &KeyPath<'_>,
    value: &T,
) -> Result<(), Error> {
    serde_json::to_string(value)
        .map(drop)
        .map_err(|e| Error::invalid_param(at.to_string(), format!("cannot be sent as JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(result: Result<(), Error>) -> Option<String> {
        result.err().map(|e| e.to_string())
    }

    #[test]
    fn min_items_names_the_param_and_skips_unset_options() {
        let root = KeyPath::root();
        let at = root.field("InstanceId");
        assert_eq!(reason(check_min_items(&at, &vec![1, 2], 2)), None);
        assert_eq!(
            reason(check_min_items(&at, &vec![1], 2)).as_deref(),
            Some("invalid request parameter `InstanceId`: at least 2 items required, got 1")
        );
        assert_eq!(reason(check_min_items(&at, &None::<Vec<u8>>, 2)), None);
        assert!(reason(check_min_items(&at, &Some(Vec::<u8>::new()), 1)).is_some());
        assert_eq!(reason(check_min_items(&at, [1u8].as_slice(), 1)), None);
    }
}
