//! Typed reads of a call's params for handlers: [`EmulatorRequest::parse`],
//! [`EmulatorRequest::require`], [`EmulatorRequest::list`] (the `Tag.N.*` items, as
//! [`ListItem`]s) and [`EmulatorRequest::list_values`] (the `InstanceId.N` scalars).

use std::collections::BTreeMap;
use std::str::FromStr;

use crate::error::ApiError;
use crate::request::EmulatorRequest;

/// One item of a repeated structure param (`Tag.3.Key`, `Tag.3.Value`): its index and its
/// fields, from [`EmulatorRequest::list`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem<'a> {
    index: usize,
    fields: Vec<(&'a str, &'a str)>,
}

impl<'a> ListItem<'a> {
    /// The `N` of `Tag.N.*` (from 1, as on the wire).
    pub fn index(&self) -> usize {
        self.index
    }

    /// The value of field `name` (`Key` for `Tag.N.Key`; `Value.2` for `Tag.N.Value.2`).
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.fields
            .iter()
            .find(|(field, _)| *field == name)
            .map(|(_, value)| *value)
    }

    /// Every field of the item, `(name after "Tag.N.", value)`, in the order they were sent.
    pub fn fields(&self) -> &[(&'a str, &'a str)] {
        &self.fields
    }
}

/// `name.N` split off `key`: `N` and what follows it (`""` for `name.N` itself, `Key` for
/// `name.N.Key`). `N` is a decimal number from 1 without leading zeros, as clients send it.
fn indexed<'k>(key: &'k str, name: &str) -> Option<(usize, &'k str)> {
    let rest = key.strip_prefix(name)?.strip_prefix('.')?;
    let (number, tail) = match rest.split_once('.') {
        Some((number, tail)) if !tail.is_empty() => (number, tail),
        Some(_) => return None,
        None => (rest, ""),
    };
    if number.starts_with('0') || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    number
        .parse::<usize>()
        .ok()
        .filter(|n| *n >= 1)
        .map(|n| (n, tail))
}

/// A value shown in an error: cut to 64 bytes on a character boundary.
fn shown(value: &str) -> &str {
    let mut end = value.len().min(64);
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    &value[..end]
}

impl EmulatorRequest {
    /// Param `name` parsed as a `T` (`i64`, `bool`, an enum with `FromStr`): `Ok(None)` when
    /// it was not sent, and a `400 InvalidParameter` error naming it (as Aliyun words it)
    /// when its value does not parse.
    ///
    /// ```
    /// use aliyun_rpc_emulator::EmulatorRequest;
    ///
    /// let req = EmulatorRequest::new("POST", vec![
    ///     ("PageNumber".into(), "2".into()),
    ///     ("PageSize".into(), "ten".into()),
    /// ]);
    /// assert_eq!(req.parse::<i64>("PageNumber"), Ok(Some(2)));
    /// assert_eq!(req.parse::<i64>("MaxResults"), Ok(None));
    /// let err = req.parse::<i64>("PageSize").unwrap_err();
    /// assert_eq!((err.http_status(), err.code()), (400, "InvalidParameter"));
    /// assert_eq!(err.message(), "The specified parameter \"PageSize\" is not valid: `ten`.");
    /// ```
    pub fn parse<T: FromStr>(&self, name: &str) -> Result<Option<T>, ApiError> {
        let Some(value) = self.param(name) else {
            return Ok(None);
        };
        value.parse::<T>().map(Some).map_err(|_| {
            ApiError::bad_request(
                "InvalidParameter",
                format!(
                    "The specified parameter \"{name}\" is not valid: `{}`.",
                    shown(value)
                ),
            )
        })
    }

    /// Param `name` parsed as a `T`, which the call must send: [`parse`](Self::parse), with
    /// a missing param answered `400 Missing{name}` ([`ApiError::missing_parameter`]).
    ///
    /// ```
    /// use aliyun_rpc_emulator::EmulatorRequest;
    ///
    /// let req = EmulatorRequest::new("POST", vec![("Amount".into(), "3".into())]);
    /// assert_eq!(req.require::<u32>("Amount"), Ok(3));
    /// assert_eq!(req.require::<u32>("Count").unwrap_err().code(), "MissingCount");
    /// ```
    pub fn require<T: FromStr>(&self, name: &str) -> Result<T, ApiError> {
        self.parse(name)?
            .ok_or_else(|| ApiError::missing_parameter(name))
    }

    /// The items of the repeated structure param `name` (`Tag.1.Key`, `Tag.1.Value`,
    /// `Tag.2.Key`, …) in index order, each a [`ListItem`] with its fields. Indexes need not
    /// be contiguous (`Tag.1`, `Tag.3`: two items, [`ListItem::index`] says which); keys that
    /// only start alike (`Tags.1.Key`, `Tag.x.Key`, `Tag.01.Key`) are not items.
    ///
    /// ```
    /// use aliyun_rpc_emulator::EmulatorRequest;
    ///
    /// let req = EmulatorRequest::new("POST", vec![
    ///     ("Tag.2.Key".into(), "team".into()),
    ///     ("Tag.1.Key".into(), "env".into()),
    ///     ("Tag.1.Value".into(), "prod".into()),
    ///     ("Tags.1.Key".into(), "not a tag".into()),
    /// ]);
    /// let tags = req.list("Tag");
    /// assert_eq!(tags.len(), 2);
    /// assert_eq!((tags[0].get("Key"), tags[0].get("Value")), (Some("env"), Some("prod")));
    /// assert_eq!((tags[1].index(), tags[1].get("Key"), tags[1].get("Value")), (2, Some("team"), None));
    /// ```
    pub fn list(&self, name: &str) -> Vec<ListItem<'_>> {
        let mut items: BTreeMap<usize, Vec<(&str, &str)>> = BTreeMap::new();
        for (key, value) in self.params() {
            if let Some((index, field)) = indexed(key, name).filter(|(_, f)| !f.is_empty()) {
                items.entry(index).or_default().push((field, value));
            }
        }
        items
            .into_iter()
            .map(|(index, fields)| ListItem { index, fields })
            .collect()
    }

    /// The values of the repeated scalar param `name` (`InstanceId.1`, `InstanceId.2`, …) in
    /// index order.
    ///
    /// ```
    /// use aliyun_rpc_emulator::EmulatorRequest;
    ///
    /// let req = EmulatorRequest::new("POST", vec![
    ///     ("InstanceId.2".into(), "i-b".into()),
    ///     ("InstanceId.1".into(), "i-a".into()),
    ///     ("InstanceIds".into(), "[\"i-c\"]".into()),
    /// ]);
    /// assert_eq!(req.list_values("InstanceId"), ["i-a", "i-b"]);
    /// ```
    pub fn list_values(&self, name: &str) -> Vec<&str> {
        let mut values: BTreeMap<usize, &str> = BTreeMap::new();
        for (key, value) in self.params() {
            if let Some((index, "")) = indexed(key, name) {
                values.insert(index, value);
            }
        }
        values.into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_are_wire_numbers_only() {
        assert_eq!(indexed("Tag.1.Key", "Tag"), Some((1, "Key")));
        assert_eq!(indexed("Tag.12", "Tag"), Some((12, "")));
        assert_eq!(indexed("Tag.3.Value.2", "Tag"), Some((3, "Value.2")));
        for key in [
            "Tag",
            "Tag.",
            "Tag.0",
            "Tag.01",
            "Tag.x",
            "Tag.1.",
            "Tags.1",
            "Tag.-1",
            "Tag.99999999999999999999999",
        ] {
            assert_eq!(indexed(key, "Tag"), None, "{key}");
        }
    }

    #[test]
    fn an_error_shows_a_long_value_cut() {
        let long = "é".repeat(100);
        let req = EmulatorRequest::new("POST", vec![("N".into(), long)]);
        match req.parse::<i64>("N") {
            Err(e) => assert!(e.message().len() < 120, "{}", e.message()),
            Ok(v) => panic!("{v:?}"),
        }
    }
}
