//! [`Flatten`] for containers (`Option`, lists, string-keyed maps) and [`ParamValue`] for
//! strings, numbers and `bool`.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use super::writer::push_decimal;
use super::{Flatten, KeyPath, ParamValue, ParamWriter};
use crate::error::Error;

impl<T: Flatten> Flatten for Option<T> {
    fn flatten(&self, w: &mut ParamWriter<'_>) {
        if let Some(v) = self {
            v.flatten(w);
        }
    }
    fn validate(&self, at: &KeyPath<'_>) -> Result<(), Error> {
        match self {
            Some(v) => Flatten::validate(v, at),
            None => Ok(()),
        }
    }
}

impl<T: Flatten> Flatten for [T] {
    fn flatten(&self, w: &mut ParamWriter<'_>) {
        for (i, item) in self.iter().enumerate() {
            w.index(i + 1, item);
        }
    }
    fn validate(&self, at: &KeyPath<'_>) -> Result<(), Error> {
        for (i, item) in self.iter().enumerate() {
            Flatten::validate(item, &at.index(i + 1))?;
        }
        Ok(())
    }
}

impl<T: Flatten> Flatten for &[T] {
    fn flatten(&self, w: &mut ParamWriter<'_>) {
        (**self).flatten(w);
    }
    fn validate(&self, at: &KeyPath<'_>) -> Result<(), Error> {
        Flatten::validate(*self, at)
    }
}

impl<T: Flatten> Flatten for Vec<T> {
    fn flatten(&self, w: &mut ParamWriter<'_>) {
        self.as_slice().flatten(w);
    }
    fn validate(&self, at: &KeyPath<'_>) -> Result<(), Error> {
        Flatten::validate(self.as_slice(), at)
    }
}

impl<K: AsRef<str>, V: Flatten> Flatten for BTreeMap<K, V> {
    fn flatten(&self, w: &mut ParamWriter<'_>) {
        // `str`'s `Ord` is byte order, but `K`'s may not be: sort by the wire key.
        flatten_entries(self.iter().map(|(k, v)| (k.as_ref(), v)), w);
    }
    fn validate(&self, at: &KeyPath<'_>) -> Result<(), Error> {
        validate_entries(self.iter().map(|(k, v)| (k.as_ref(), v)), at)
    }
}

impl<K: AsRef<str>, V: Flatten, S> Flatten for HashMap<K, V, S> {
    fn flatten(&self, w: &mut ParamWriter<'_>) {
        flatten_entries(self.iter().map(|(k, v)| (k.as_ref(), v)), w);
    }
    fn validate(&self, at: &KeyPath<'_>) -> Result<(), Error> {
        validate_entries(self.iter().map(|(k, v)| (k.as_ref(), v)), at)
    }
}

/// Writes map entries as `Name.key`, keys in byte order.
fn flatten_entries<'v, V: Flatten + 'v>(
    entries: impl Iterator<Item = (&'v str, &'v V)>,
    w: &mut ParamWriter<'_>,
) {
    let mut entries: Vec<(&str, &V)> = entries.collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    for (k, v) in entries {
        w.entry(k, v);
    }
}

fn validate_entries<'v, V: Flatten + 'v>(
    entries: impl Iterator<Item = (&'v str, &'v V)>,
    at: &KeyPath<'_>,
) -> Result<(), Error> {
    for (k, v) in entries {
        let entry = at.field(k);
        if k.is_empty() || k.contains(['.', '=', '&']) || k.contains(char::is_whitespace) {
            return Err(Error::invalid_param(
                entry.to_string(),
                "map keys must be non-empty and contain no `.`, `=`, `&` or whitespace",
            ));
        }
        Flatten::validate(v, &entry)?;
    }
    Ok(())
}

impl ParamValue for str {
    fn write_value(&self, out: &mut String) {
        out.push_str(self);
    }
    fn as_wire_str(&self) -> Option<&str> {
        Some(self)
    }
}

impl ParamValue for String {
    fn write_value(&self, out: &mut String) {
        out.push_str(self);
    }
    fn as_wire_str(&self) -> Option<&str> {
        Some(self)
    }
}

impl ParamValue for Cow<'_, str> {
    fn write_value(&self, out: &mut String) {
        out.push_str(self);
    }
    fn as_wire_str(&self) -> Option<&str> {
        Some(self)
    }
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn write_value(&self, out: &mut String) {
        (**self).write_value(out);
    }
    fn validate(&self) -> Result<(), String> {
        ParamValue::validate(*self)
    }
    fn as_wire_str(&self) -> Option<&str> {
        (**self).as_wire_str()
    }
    fn is_secret(&self) -> bool {
        (**self).is_secret()
    }
}

impl ParamValue for bool {
    fn as_wire_str(&self) -> Option<&str> {
        Some(if *self { "true" } else { "false" })
    }
    fn write_value(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

macro_rules! integer_values {
    ($($t:ty)*) => {$(
        impl ParamValue for $t {
            fn write_value(&self, out: &mut String) {
                push_decimal(out, *self as u128);
            }
        }
    )*};
}
integer_values!(u8 u16 u32 u64 u128 usize);

macro_rules! signed_integer_values {
    ($($t:ty)*) => {$(
        impl ParamValue for $t {
            fn write_value(&self, out: &mut String) {
                if *self < 0 {
                    out.push('-');
                }
                push_decimal(out, self.unsigned_abs() as u128);
            }
        }
    )*};
}
signed_integer_values!(i8 i16 i32 i64 i128 isize);

macro_rules! float_values {
    ($($t:ty)*) => {$(
        impl ParamValue for $t {
            /// Shortest decimal that parses back to the same value (`0.5`, `1`, `1024.25`).
            fn write_value(&self, out: &mut String) {
                let _ = write!(out, "{self}");
            }
            fn validate(&self) -> Result<(), String> {
                if self.is_finite() {
                    Ok(())
                } else {
                    Err(format!("must be a finite number, got {self}"))
                }
            }
        }
    )*};
}
float_values!(f32 f64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_written_in_decimal() {
        let mut out = String::new();
        for v in [0i64, 7, -7, 10, 1234567890, i64::MIN, i64::MAX] {
            out.clear();
            v.write_value(&mut out);
            assert_eq!(out, v.to_string());
        }
        out.clear();
        u128::MAX.write_value(&mut out);
        assert_eq!(out, u128::MAX.to_string());
        out.clear();
        i128::MIN.write_value(&mut out);
        assert_eq!(out, i128::MIN.to_string());
    }
}
