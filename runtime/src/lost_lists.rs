//! Finding XML lists that decode into one struct and lose their items.
//!
//! quick-xml reads a `Vec<Item>` field by collecting the elements named like the field. For
//! Aliyun's wrapped lists (`<InstanceTypes><InstanceType>…</InstanceType>…</InstanceTypes>`)
//! that is the one wrapper element, whose children (`<InstanceType>` ×10) are then keys of
//! one `Item` that it does not know: serde ignores them, and a struct of `Option` fields
//! decodes into one empty item without an error. [`deserialize`] runs a deserializer through
//! a transparent wrapper that watches the keys every struct ignores, and reports a key that a
//! struct ignores twice (a repeated element: a struct field never repeats) or that names the
//! item of the element it is in (`<InstanceTypes>` ignoring `<InstanceType>`).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// A list that decoded into one struct: where, and the repeated element's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LostList {
    /// The path of the element holding the list (`InstanceTypes`, `Vpcs[0].Tags`).
    pub(crate) wrapper: String,
    /// The name of the elements it holds (`InstanceType`).
    pub(crate) item: String,
}

impl fmt::Display for LostList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` holds a list of `<{}>` elements, but its field reads them as one item, which \
             would lose them: declare the field as a `Vec` with \
             `#[serde(default, deserialize_with = \"aliyun_rpc::response::list\")]`, or put \
             `#[aliyun_rpc::response]` on the struct",
            self.wrapper, self.item
        )
    }
}

impl std::error::Error for LostList {}

/// Deserializes `T` from `de`, and reports the first list that lost its items.
pub(crate) fn deserialize<'de, T, D>(de: D) -> Result<(T, Option<LostList>), D::Error>
where
    T: de::Deserialize<'de>,
    D: Deserializer<'de>,
{
    let found = RefCell::new(None);
    let value = T::deserialize(Watch {
        de,
        role: Role::Value {
            found: &found,
            path: String::new(),
            ignored: None,
        },
    })?;
    Ok((value, found.into_inner()))
}

/// What the wrapped deserializer is reading.
enum Role<'s> {
    /// A value at `path`; `ignored` is set when it is skipped as a field nobody reads.
    Value {
        found: &'s RefCell<Option<LostList>>,
        path: String,
        ignored: Option<&'s Cell<bool>>,
    },
    /// A map key, whose text goes into the slot.
    Key(&'s RefCell<Option<String>>),
}

struct Watch<'s, D> {
    de: D,
    role: Role<'s>,
}

struct Visit<'s, V> {
    visitor: V,
    role: Role<'s>,
}

struct Seed<'s, S> {
    seed: S,
    role: Role<'s>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(Watch {
            de,
            role: self.role,
        })
    }
}

macro_rules! forward_deserialize {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
            self.de.$method($($arg,)* Visit { visitor, role: self.role })
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Watch<'_, D> {
    type Error = D::Error;

    forward_deserialize! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        if let Role::Value {
            ignored: Some(flag),
            ..
        } = self.role
        {
            flag.set(true);
        }
        self.de.deserialize_ignored_any(visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

macro_rules! forward_visit {
    ($($method:ident($ty:ty);)*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.visitor.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Visit<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    forward_visit! {
        visit_bool(bool);
        visit_i8(i8);
        visit_i16(i16);
        visit_i32(i32);
        visit_i64(i64);
        visit_i128(i128);
        visit_u8(u8);
        visit_u16(u16);
        visit_u32(u32);
        visit_u64(u64);
        visit_u128(u128);
        visit_f32(f32);
        visit_f64(f64);
        visit_char(char);
        visit_bytes(&[u8]);
        visit_borrowed_bytes(&'de [u8]);
        visit_byte_buf(Vec<u8>);
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        if let Role::Key(slot) = self.role {
            *slot.borrow_mut() = Some(v.to_owned());
        }
        self.visitor.visit_str(v)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        if let Role::Key(slot) = self.role {
            *slot.borrow_mut() = Some(v.to_owned());
        }
        self.visitor.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        if let Role::Key(slot) = self.role {
            *slot.borrow_mut() = Some(v.clone());
        }
        self.visitor.visit_string(v)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_some(Watch {
            de,
            role: self.role,
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_newtype_struct(Watch {
            de,
            role: self.role,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        match self.role {
            Role::Value { found, path, .. } => self.visitor.visit_seq(Seq {
                seq,
                found,
                path,
                index: 0,
            }),
            Role::Key(_) => self.visitor.visit_seq(seq),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        match self.role {
            Role::Value { found, path, .. } => self.visitor.visit_map(Map {
                map,
                found,
                path,
                key: RefCell::new(None),
                ignored: Cell::new(false),
                ignored_keys: HashMap::new(),
            }),
            Role::Key(_) => self.visitor.visit_map(map),
        }
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_enum(data)
    }
}

struct Seq<'s, A> {
    seq: A,
    found: &'s RefCell<Option<LostList>>,
    path: String,
    index: usize,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Seq<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        let path = format!("{}[{}]", self.path, self.index);
        self.index += 1;
        self.seq.next_element_seed(Seed {
            seed,
            role: Role::Value {
                found: self.found,
                path,
                ignored: None,
            },
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.seq.size_hint()
    }
}

struct Map<'s, A> {
    map: A,
    found: &'s RefCell<Option<LostList>>,
    path: String,
    /// The key just read.
    key: RefCell<Option<String>>,
    /// Whether the value just read was skipped.
    ignored: Cell<bool>,
    /// How often each skipped key came.
    ignored_keys: HashMap<String, u32>,
}

impl<A> Map<'_, A> {
    /// The element this map is, by name: the last segment of its path, without an index.
    fn element(&self) -> &str {
        let name = self.path.rsplit('.').next().unwrap_or_default();
        name.split('[').next().unwrap_or_default()
    }

    fn skipped(&mut self, key: String) {
        // Attributes (`@id`) and text (`$text`) are not elements.
        if key.starts_with(['@', '$']) || self.found.borrow().is_some() {
            return;
        }
        let seen = self.ignored_keys.entry(key.clone()).or_insert(0);
        *seen += 1;
        let repeated = *seen >= 2;
        let element = self.element();
        let names_item = element.len() > key.len() && element.starts_with(key.as_str());
        if repeated || names_item {
            let wrapper = match self.path.strip_suffix("[0]") {
                Some(field) => field.to_owned(),
                None => self.path.clone(),
            };
            *self.found.borrow_mut() = Some(LostList { wrapper, item: key });
        }
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Map<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        *self.key.get_mut() = None;
        self.map.next_key_seed(Seed {
            seed,
            role: Role::Key(&self.key),
        })
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        let key = self.key.get_mut().take().unwrap_or_default();
        let path = if self.path.is_empty() {
            key.clone()
        } else {
            format!("{}.{key}", self.path)
        };
        self.ignored.set(false);
        let value = self.map.next_value_seed(Seed {
            seed,
            role: Role::Value {
                found: self.found,
                path,
                ignored: Some(&self.ignored),
            },
        })?;
        if self.ignored.get() {
            self.skipped(key);
        }
        Ok(value)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "PascalCase")]
    struct Item {
        instance_type_id: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Unwrapped {
        #[allow(dead_code)]
        request_id: String,
        #[serde(default)]
        instance_types: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Wrapped {
        #[serde(default, deserialize_with = "crate::response::list")]
        instance_types: Vec<Item>,
    }

    fn xml(items: usize) -> String {
        let items: String = (0..items)
            .map(|i| format!("<InstanceType><InstanceTypeId>t{i}</InstanceTypeId></InstanceType>"))
            .collect();
        format!(
            "<R><RequestId>r</RequestId><Other>x</Other><InstanceTypes>{items}</InstanceTypes></R>"
        )
    }

    fn decode<T: for<'de> Deserialize<'de>>(text: &str) -> (T, Option<LostList>) {
        let mut de = quick_xml::de::Deserializer::from_str(text);
        match deserialize(&mut de) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn ten_items_read_as_one_are_found() {
        let (value, lost) = decode::<Unwrapped>(&xml(10));
        // What quick-xml does without the list handling: one empty item.
        assert_eq!(
            value.instance_types,
            [Item {
                instance_type_id: None
            }]
        );
        assert_eq!(
            lost,
            Some(LostList {
                wrapper: "InstanceTypes".into(),
                item: "InstanceType".into()
            })
        );
    }

    #[test]
    fn one_item_read_as_one_is_found_by_its_name() {
        let (_, lost) = decode::<Unwrapped>(&xml(1));
        assert_eq!(lost.map(|l| l.item), Some("InstanceType".to_owned()));
    }

    #[test]
    fn handled_lists_and_unknown_fields_are_fine() {
        for n in [0, 1, 10] {
            let (value, lost) = decode::<Wrapped>(&xml(n));
            assert_eq!(value.instance_types.len(), n);
            assert_eq!(lost, None, "{n} items");
        }
    }
}
