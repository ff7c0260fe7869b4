//! The `Deserialize` impls of generated response structs, kept small for the compiler.
//!
//! `#[derive(serde::Deserialize)]` writes about 150 lines per struct (a field enum with its
//! own visitor, a sequence visitor, a map visitor), and a module of generated types has
//! hundreds of response structs: in a crate holding every ECS action, serde's expansion was
//! two thirds of the code rustc type-checked and borrow-checked. The generator instead writes
//! for each struct a `Deserialize` impl of one call and a [`DecodeStruct`] impl (the field
//! names, the struct with every field empty, one `match` arm per field that reads it in
//! place), and the visitor that drives them is written once, here.
//!
//! The deserializer sees the same calls as with serde's derive — `deserialize_struct` with
//! the struct's name and field names, `deserialize_identifier` for each key, `next_value` for
//! each known field (a list wrapper through [`response::list`](crate::response::list)) and
//! [`IgnoredAny`] for the others — so JSON and XML decode alike, and a field given twice is
//! the same `duplicate field` error.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

/// A struct whose fields are decoded one by one into slots, then assembled.
///
/// Implemented by generated code; [`decode_struct`] is its `Deserialize`.
pub trait DecodeStruct: Sized {
    /// The struct's name, for `deserialize_struct` and error messages.
    const NAME: &'static str;
    /// The wire name of each field, in slot order.
    const FIELDS: &'static [&'static str];
    /// Where the fields are collected: a tuple of one `Option` per field, in the order of
    /// [`FIELDS`](Self::FIELDS), which [`finish`](Self::finish) unpacks (and where a
    /// required field's absence shows); or, when every field has an empty value to start
    /// from, the struct itself, filled in place (what the generator writes, with
    /// [`read_value`] and [`read_list`]).
    type Slots;

    /// Every slot empty.
    fn slots() -> Self::Slots;

    /// Reads the value of field `index` from `map` into its slot.
    ///
    /// # Errors
    ///
    /// The deserializer's, for a value that does not fit the field.
    fn decode_field<'de, M: MapAccess<'de>>(
        slots: &mut Self::Slots,
        index: usize,
        map: &mut M,
    ) -> Result<(), M::Error>;

    /// The struct from its slots: an absent `Option` field is `None`, an absent list empty.
    ///
    /// # Errors
    ///
    /// `missing field` for an absent field that has no default.
    fn finish<E: de::Error>(slots: Self::Slots) -> Result<Self, E>;
}

/// `Deserialize::deserialize` for a [`DecodeStruct`].
///
/// # Errors
///
/// The deserializer's: a body that is not a map of the struct's fields.
pub fn decode_struct<'de, T: DecodeStruct, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, StructVisitor(PhantomData))
}

/// A field whose value is Aliyun's list wrapper (`{"Item": […]}`), read by
/// [`response::list`](crate::response::list): `map.next_value_seed(ListSeed::new())`.
pub struct ListSeed<T>(PhantomData<T>);

impl<T> ListSeed<T> {
    /// The seed.
    #[must_use]
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T> fmt::Debug for ListSeed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ListSeed")
    }
}

impl<T> Default for ListSeed<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for ListSeed<T> {
    type Value = Vec<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        crate::response::list(deserializer)
    }
}

/// Reads the value of a field into its slot: one arm of a generated
/// [`decode_field`](DecodeStruct::decode_field), whose slot is the field itself (an `Option`
/// reads `null` as `None`).
///
/// # Errors
///
/// The deserializer's, for a value that does not fit the field.
#[inline]
pub fn read_value<'de, T: Deserialize<'de>, M: MapAccess<'de>>(
    slot: &mut T,
    map: &mut M,
) -> Result<(), M::Error> {
    *slot = map.next_value()?;
    Ok(())
}

/// Reads the value of a list field (Aliyun's wrapper, through [`ListSeed`]) into its slot.
///
/// # Errors
///
/// The deserializer's, for a value that is not such a list.
#[inline]
pub fn read_list<'de, T: Deserialize<'de>, M: MapAccess<'de>>(
    slot: &mut Vec<T>,
    map: &mut M,
) -> Result<(), M::Error> {
    *slot = map.next_value_seed(ListSeed::new())?;
    Ok(())
}

struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: DecodeStruct> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<T, M::Error> {
        let mut slots = T::slots();
        let mut seen = Seen::new(T::FIELDS.len());
        while let Some(key) = map.next_key_seed(Key(T::FIELDS))? {
            match key {
                Some(index) => {
                    if !seen.insert(index) {
                        return Err(de::Error::duplicate_field(T::FIELDS[index]));
                    }
                    T::decode_field(&mut slots, index, &mut map)?;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        T::finish(slots)
    }
}

/// Which fields were given: a bit per field, on the stack for up to 128 fields.
struct Seen {
    bits: u128,
    more: Vec<bool>,
}

impl Seen {
    fn new(fields: usize) -> Self {
        Self {
            bits: 0,
            more: vec![false; fields.saturating_sub(128)],
        }
    }

    /// Marks `index`; false if it was marked already.
    fn insert(&mut self, index: usize) -> bool {
        if index < 128 {
            let bit = 1u128 << index;
            let new = self.bits & bit == 0;
            self.bits |= bit;
            new
        } else {
            match self.more.get_mut(index - 128) {
                Some(seen) => !std::mem::replace(seen, true),
                None => true,
            }
        }
    }
}

/// A key: the index of the field it names, or `None` for one the struct does not have.
struct Key(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|name| *name == key))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|name| name.as_bytes() == key))
    }

    fn visit_u64<E: de::Error>(self, index: u64) -> Result<Self::Value, E> {
        // As serde's derive: a field may be named by its index.
        Ok(usize::try_from(index).ok().filter(|i| *i < self.0.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the generator writes, by hand: an optional scalar, a bare list, a wrapped list,
    /// a required field.
    #[derive(Debug, PartialEq)]
    struct Answer {
        request_id: Option<String>,
        total: Option<i64>,
        ids: Vec<String>,
        items: Vec<Item>,
        region: String,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Item {
        name: Option<String>,
    }

    impl<'de> Deserialize<'de> for Answer {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            decode_struct(d)
        }
    }

    impl DecodeStruct for Answer {
        const NAME: &'static str = "Answer";
        const FIELDS: &'static [&'static str] = &["RequestId", "Total", "Ids", "Items", "Region"];
        type Slots = (
            Option<Option<String>>,
            Option<Option<i64>>,
            Option<Vec<String>>,
            Option<Vec<Item>>,
            Option<String>,
        );

        fn slots() -> Self::Slots {
            (None, None, None, None, None)
        }

        fn decode_field<'de, M: MapAccess<'de>>(
            s: &mut Self::Slots,
            index: usize,
            map: &mut M,
        ) -> Result<(), M::Error> {
            match index {
                0 => s.0 = Some(map.next_value()?),
                1 => s.1 = Some(map.next_value()?),
                2 => s.2 = Some(map.next_value()?),
                3 => s.3 = Some(map.next_value_seed(ListSeed::new())?),
                _ => s.4 = Some(map.next_value()?),
            }
            Ok(())
        }

        fn finish<E: de::Error>(s: Self::Slots) -> Result<Self, E> {
            Ok(Self {
                request_id: s.0.flatten(),
                total: s.1.flatten(),
                ids: s.2.unwrap_or_default(),
                items: s.3.unwrap_or_default(),
                region: s.4.ok_or_else(|| E::missing_field("Region"))?,
            })
        }
    }

    /// As the generator writes it: the struct is its own slots, every field starts empty.
    #[derive(Debug, PartialEq)]
    struct Flat {
        request_id: Option<String>,
        ids: Vec<String>,
        items: Vec<Item>,
    }

    impl<'de> Deserialize<'de> for Flat {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            decode_struct(d)
        }
    }

    impl DecodeStruct for Flat {
        const NAME: &'static str = "Flat";
        const FIELDS: &'static [&'static str] = &["RequestId", "Ids", "Items"];
        type Slots = Self;

        fn slots() -> Self {
            Self {
                request_id: None,
                ids: Vec::new(),
                items: Vec::new(),
            }
        }

        fn decode_field<'de, M: MapAccess<'de>>(
            s: &mut Self,
            index: usize,
            map: &mut M,
        ) -> Result<(), M::Error> {
            match index {
                0 => read_value(&mut s.request_id, map),
                1 => read_value(&mut s.ids, map),
                _ => read_list(&mut s.items, map),
            }
        }

        fn finish<E: de::Error>(s: Self) -> Result<Self, E> {
            Ok(s)
        }
    }

    #[test]
    fn in_place_fields_start_empty_and_are_read_once() {
        let flat = |text: &str| serde_json::from_str::<Flat>(text).map_err(|e| e.to_string());
        let full = Flat {
            request_id: Some("R-1".into()),
            ids: vec!["a".into()],
            items: vec![Item {
                name: Some("x".into()),
            }],
        };
        let text = r#"{"RequestId":"R-1","Ids":["a"],"Items":{"Item":[{"Name":"x"}]}}"#;
        assert_eq!(flat(text), Ok(full));
        assert_eq!(flat(r#"{"RequestId":null}"#), Ok(Flat::slots()));
        assert_eq!(
            flat(r#"{"RequestId":"a","RequestId":"b"}"#),
            Err("duplicate field `RequestId` at line 1 column 28".to_owned())
        );
        let xml = quick_xml::de::from_str::<Flat>(
            "<Flat><Ids>a</Ids><Ids>b</Ids><Items><Item><Name>x</Name></Item></Items></Flat>",
        )
        .map_err(|e| e.to_string());
        assert_eq!(
            xml.map(|f| (f.ids, f.items.len())),
            Ok((vec!["a".to_owned(), "b".to_owned()], 1))
        );
    }

    fn json(text: &str) -> Result<Answer, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    fn xml(text: &str) -> Result<Answer, String> {
        quick_xml::de::from_str(text).map_err(|e| e.to_string())
    }

    fn expected() -> Answer {
        Answer {
            request_id: Some("R-1".into()),
            total: Some(2),
            ids: vec!["a".into(), "b".into()],
            items: vec![
                Item {
                    name: Some("x".into()),
                },
                Item {
                    name: Some("y".into()),
                },
            ],
            region: "cn-hangzhou".into(),
        }
    }

    #[test]
    fn json_fields_unknown_keys_and_absent_ones() {
        let text = r#"{"RequestId":"R-1","Unknown":{"Deep":[1,2]},"Total":2,"Ids":["a","b"],
            "Items":{"Item":[{"Name":"x"},{"Name":"y"}]},"Region":"cn-hangzhou"}"#;
        assert_eq!(json(text), Ok(expected()));
        let sparse = json(r#"{"Region":"cn-hangzhou","Total":null}"#);
        assert_eq!(
            sparse,
            Ok(Answer {
                request_id: None,
                total: None,
                ids: Vec::new(),
                items: Vec::new(),
                region: "cn-hangzhou".into(),
            })
        );
    }

    #[test]
    fn xml_repeated_elements_wrappers_and_attributes() {
        let text = "<Answer><RequestId>R-1</RequestId><Total>2</Total><Ids>a</Ids><Ids>b</Ids>\
                    <Items><Item><Name>x</Name></Item><Item><Name>y</Name></Item></Items>\
                    <Other>1</Other><Region>cn-hangzhou</Region></Answer>";
        assert_eq!(xml(text), Ok(expected()));
    }

    #[test]
    fn errors_are_serdes() {
        assert_eq!(
            json(r#"{"RequestId":"a"}"#),
            Err("missing field `Region` at line 1 column 17".to_owned())
        );
        assert_eq!(
            json(r#"{"Region":"a","Region":"b"}"#),
            Err("duplicate field `Region` at line 1 column 22".to_owned())
        );
        let wrong = json(r#"{"Region":"a","Total":"many"}"#);
        assert!(
            wrong
                .as_ref()
                .is_err_and(|e| e.starts_with("invalid type: string \"many\", expected i64")),
            "{wrong:?}"
        );
        assert!(json("[1]").is_err_and(|e| e.contains("expected struct Answer")));
    }

    #[test]
    fn many_fields_are_tracked_past_128() {
        let mut seen = Seen::new(300);
        for i in 0..300 {
            assert!(seen.insert(i), "{i}");
        }
        for i in [0, 127, 128, 299] {
            assert!(!seen.insert(i), "{i}");
        }
    }
}
