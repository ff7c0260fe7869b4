//! Checks and writers behind the field attributes `max_items`/`min_items`, `min`/`max`,
//! `max_len`, `json`, `simple`, `secret` and `body`.
//! A request's field table (`fields.rs`) and a `Params` struct's derived `write_params` and
//! `validate` call these, each with the field's own [`KeyPath`] (`at`), which names the param
//! in the error; the traits are what the table's entries hold a field as.

use std::borrow::Cow;

use crate::error::Error;
use crate::params::{KeyPath, PairFlags, ParamValue, ParamWriter, Secret};
use crate::wire::REDACTED;

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

impl<T: CharCount> CharCount for Secret<T> {
    fn char_count(&self) -> Option<usize> {
        self.expose().char_count()
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

/// Compared as the value it holds, described as the marker.
impl<T: Number> Number for Secret<T> {
    fn below(&self, bound: Bound) -> Option<bool> {
        self.expose().below(bound)
    }
    fn above(&self, bound: Bound) -> Option<bool> {
        self.expose().above(bound)
    }
    fn describe(&self) -> String {
        REDACTED.to_owned()
    }
}

/// A field declared `#[rpc(secret)]`: its type keeps the value in a [`Secret`], whose
/// `Debug` shows a marker. The derive cannot change the user's `#[derive(Debug)]`, so the
/// type must carry the redaction.
#[diagnostic::on_unimplemented(
    message = "`#[rpc(secret)]` fields keep their value in `aliyun_rpc::params::Secret` so that `Debug` cannot print it; write `Option<Secret<String>>`",
    label = "`{Self}` shows its value in `Debug`",
    note = "`secret` fits `Secret<T>`, `Option<Secret<T>>` and lists of `Secret<T>`; `Secret::from(\"…\")` and the generated setters convert a `&str`"
)]
pub trait SecretField {}
impl<T> SecretField for Secret<T> {}
impl<T> SecretField for Option<Secret<T>> {}
impl<T> SecretField for Vec<Secret<T>> {}
impl<T> SecretField for Option<Vec<Secret<T>>> {}
impl<T> SecretField for &[Secret<T>] {}

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

/// A list sent by `#[rpc(simple)]`: its items are single values, joined with `,` into one
/// param (`Name=a,b,c`).
#[diagnostic::on_unimplemented(
    message = "`#[rpc(simple)]` sends a list of single values as one comma-joined param; `{Self}` is not a list of `ParamValue`s",
    label = "the items of this list are not `ParamValue`s",
    note = "`simple` fits `Vec<T>`, `&[T]` or an `Option` of one, where `T` is a string, a number, `bool` or a `#[derive(ParamValue)]` enum"
)]
pub trait SimpleList {
    /// Calls `f` with every item, in order; never for an unset `Option`.
    fn each_item(&self, f: &mut dyn FnMut(&dyn ParamValue));
}
impl<T: ParamValue> SimpleList for [T] {
    fn each_item(&self, f: &mut dyn FnMut(&dyn ParamValue)) {
        for item in self {
            f(item);
        }
    }
}
impl<T: ParamValue> SimpleList for &[T] {
    fn each_item(&self, f: &mut dyn FnMut(&dyn ParamValue)) {
        (**self).each_item(f);
    }
}
impl<T: ParamValue> SimpleList for Vec<T> {
    fn each_item(&self, f: &mut dyn FnMut(&dyn ParamValue)) {
        self.as_slice().each_item(f);
    }
}
impl<L: SimpleList> SimpleList for Option<L> {
    fn each_item(&self, f: &mut dyn FnMut(&dyn ParamValue)) {
        if let Some(list) = self {
            list.each_item(f);
        }
    }
}

/// The separator of a `simple` list's items.
const SIMPLE_SEPARATOR: char = ',';

/// Writes `list` as one param `name=a,b,c`, secret if any item is; an empty or unset list
/// sends nothing.
pub fn write_simple<L: SimpleList + ?Sized>(w: &mut ParamWriter<'_>, name: &str, list: &L) {
    w.field_with(name, |value| {
        let (mut any, mut secret) = (false, false);
        list.each_item(&mut |item| {
            if any {
                value.push(SIMPLE_SEPARATOR);
            }
            any = true;
            secret |= item.is_secret();
            match item.as_wire_str() {
                Some(text) => value.push_str(text),
                None => item.write_value(value),
            }
        });
        any.then_some(PairFlags::secret_if(secret))
    });
}

/// Checks every item of a `simple` list: its own rules, and no `,` in its wire form, since
/// that would split it in two on the server. The error names the param, and the item by
/// its 1-based position (never by its value, which may be a secret).
pub fn validate_simple<L: SimpleList + ?Sized>(at: &KeyPath<'_>, list: &L) -> Result<(), Error> {
    let mut result = Ok(());
    let mut index = 0usize;
    let mut text = String::new();
    list.each_item(&mut |item| {
        index += 1;
        if result.is_err() {
            return;
        }
        if let Err(reason) = item.validate() {
            result = Err(Error::invalid_param(
                at.to_string(),
                format!("item {index}: {reason}"),
            ));
            return;
        }
        let wire = match item.as_wire_str() {
            Some(wire) => wire,
            None => {
                text.clear();
                item.write_value(&mut text);
                &text
            }
        };
        if wire.contains(SIMPLE_SEPARATOR) {
            result = Err(Error::invalid_param(
                at.to_string(),
                format!(
                    "item {index} contains `{SIMPLE_SEPARATOR}`, which separates the items of this comma-joined list"
                ),
            ));
        }
    });
    result
}

/// Runs `write` with every pair it writes flagged as travelling in the form body: the
/// writes of a `#[rpc(body)]` field of a `Params` struct, whatever their form (plain, `json`,
/// `simple`).
pub fn write_in_body(w: &mut ParamWriter<'_>, write: impl FnOnce(&mut ParamWriter<'_>)) {
    w.in_body(|w| write(w));
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
    use crate::params::Secret;

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

    fn simple(list: &(impl SimpleList + ?Sized)) -> Vec<(String, String)> {
        let mut out = Vec::new();
        write_simple(&mut ParamWriter::new(&mut out), "Name", list);
        out
    }

    #[test]
    fn simple_lists_are_one_comma_joined_param() {
        let one = |v: &str| vec![("Name".to_owned(), v.to_owned())];
        assert_eq!(simple(&vec!["a", "b", "c"]), one("a,b,c"));
        assert_eq!(simple(&vec![1u8, 20]), one("1,20"));
        assert_eq!(simple(&Some(vec![true])), one("true"));
        assert_eq!(simple([0.5f64, 2.0].as_slice()), one("0.5,2"));
        assert!(simple(&Vec::<String>::new()).is_empty());
        assert!(simple(&None::<Vec<String>>).is_empty());
    }

    #[test]
    fn secret_values_are_checked_but_not_quoted() {
        let root = KeyPath::root();
        let at = root.field("Pin");
        assert_eq!(
            reason(check_range(
                &at,
                &Secret::new(0u32),
                Some(Bound::Int(1)),
                None
            ))
            .as_deref(),
            Some("invalid request parameter `Pin`: must be at least 1, got ** redacted **")
        );
        assert_eq!(
            reason(check_range(
                &at,
                &Some(Secret::new(2u32)),
                Some(Bound::Int(1)),
                None
            )),
            None
        );
        assert_eq!(
            reason(check_max_len(&at, &Some(Secret::new("hunter2")), 3)).as_deref(),
            Some("invalid request parameter `Pin`: at most 3 characters allowed, got 7")
        );
    }

    #[test]
    fn a_simple_list_with_a_secret_item_is_secret() {
        let pairs = crate::params::writer_flagged(|w| {
            write_simple(w, "Plain", &vec!["a", "b"]);
            write_simple(w, "Keys", &vec![Secret::new("k1"), Secret::new("k2")]);
        });
        let flags: Vec<(&str, &str, bool)> = pairs
            .iter()
            .map(|(k, v, f)| (k.as_str(), v.as_str(), f.has(PairFlags::SECRET)))
            .collect();
        assert_eq!(flags, [("Plain", "a,b", false), ("Keys", "k1,k2", true)]);
    }

    #[test]
    fn simple_items_may_not_contain_the_separator() {
        let root = KeyPath::root();
        let at = root.field("Name");
        assert_eq!(reason(validate_simple(&at, &vec!["a", "b"])), None);
        assert_eq!(
            reason(validate_simple(&at, &vec!["a", "b,c"])).as_deref(),
            Some("invalid request parameter `Name`: item 2 contains `,`, which separates the items of this comma-joined list")
        );
        assert_eq!(
            reason(validate_simple(&at, &Some(vec![1.0, f64::NAN]))).as_deref(),
            Some("invalid request parameter `Name`: item 2: must be a finite number, got NaN")
        );
        assert_eq!(reason(validate_simple(&at, &None::<Vec<&str>>)), None);
    }
}
