//! The module's type names: which are taken, in which order items are written, the clash
//! rule, and the sharing of identical nested types.
//!
//! Names: the request struct is the action's name and its response `{Action}Response` (both
//! reserved up front for every generated action); a nested type is `{Owner}{Property}` where
//! the owner is the action for request types and `{Action}Response` for response types. A
//! nested name already taken by a different definition gets the first free numeric suffix
//! (`…Tag2`, `…Tag3`), in the order the generator meets them (actions by name, then
//! parameters in file order, properties by name).
//!
//! Sharing: a nested definition identical to one already placed (same fields, types, wire
//! names, constraints; its own doc line aside) is not written again. Its name becomes a type
//! alias of the first one (`pub type RunInstancesTag = AllocateDedicatedHostsTag;`), so every
//! name a user types exists either way and the types that contain it still name it; types are
//! compared through aliases, so containing types are shared in turn. In all of ECS, 191 nested
//! types are aliases, and a crate of them needs a tenth less memory to compile (BENCHMARKS.md,
//! "Compile cost of generated types"). Requests and responses are never aliases: each action
//! keeps its own two types, which `Debug` and errors name.
//!
//! Order: items are written in the order their generation started (an action's request,
//! then its nested request types depth-first, then its response and nested response types).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::ir::{JsonField, Kind, ParamField, ResponseField, Ty, TypeDef};

#[derive(Default)]
pub struct Registry {
    /// Items in writing order; `None` for a slot whose definition reused an existing one.
    slots: Vec<Option<TypeDef>>,
    /// Taken names → slot.
    by_name: BTreeMap<String, usize>,
    /// Names kept for request and response structs.
    reserved: BTreeSet<String>,
    /// The shape of each nested definition written out (see [`Registry::shape`]) → its
    /// name.
    shapes: HashMap<String, String>,
    /// Alias name → the name of the definition it stands for.
    aliases: HashMap<String, String>,
}

/// A place in the writing order, taken before a type's fields are known.
#[derive(Debug, Clone, Copy)]
pub struct Slot(usize);

impl Registry {
    /// Keeps `name` for [`Registry::place_reserved`].
    pub fn reserve(&mut self, name: &str) {
        self.reserved.insert(name.to_owned());
    }

    pub fn slot(&mut self) -> Slot {
        self.slots.push(None);
        Slot(self.slots.len() - 1)
    }

    /// Places a definition under its reserved name.
    pub fn place_reserved(&mut self, slot: Slot, def: TypeDef) {
        self.by_name.insert(def.name.clone(), slot.0);
        self.slots[slot.0] = Some(def);
    }

    /// Places a nested definition under `def.name` or the first free suffixed name, and
    /// returns the name it got. A definition identical to one already placed (through
    /// aliases: see [`Registry::shape`]) is written as an alias of it under that name; the
    /// same name as the first one's is the first one itself.
    pub fn place(&mut self, slot: Slot, mut def: TypeDef) -> String {
        let shape = self.shape(&def);
        let first = self.shapes.get(&shape).cloned();
        if let Some(first) = &first {
            if *first == def.name {
                return def.name;
            }
            def.kind = Kind::Alias(first.clone());
        }
        let base = def.name.clone();
        let mut n = 1u32;
        loop {
            let candidate = if n == 1 {
                base.clone()
            } else {
                format!("{base}{n}")
            };
            n += 1;
            if self.reserved.contains(&candidate) {
                continue;
            }
            match self.by_name.get(&candidate) {
                Some(&existing) => {
                    let same = self.slots[existing].as_ref().is_some_and(|d| {
                        d.doc == def.doc && d.deprecated == def.deprecated && d.kind == def.kind
                    });
                    if same {
                        return candidate;
                    }
                }
                None => {
                    def.name = candidate.clone();
                    self.by_name.insert(candidate.clone(), slot.0);
                    match first {
                        Some(first) => {
                            self.aliases.insert(candidate.clone(), first);
                        }
                        None => {
                            self.shapes.insert(shape, candidate.clone());
                        }
                    }
                    self.slots[slot.0] = Some(def);
                    return candidate;
                }
            }
        }
    }

    /// What makes two nested definitions interchangeable: everything but the name and the
    /// doc, with every generated type they name taken through its alias, so that a struct
    /// whose fields name `RunInstancesTag` has the shape of one whose fields name
    /// `AllocateDedicatedHostsTag`, its target.
    fn shape(&self, def: &TypeDef) -> String {
        let resolve = |ty: &Ty| self.resolve(ty);
        let kind = match &def.kind {
            Kind::Params(fields) => Kind::Params(
                fields
                    .iter()
                    .map(|f| ParamField {
                        ty: resolve(&f.ty),
                        ..f.clone()
                    })
                    .collect(),
            ),
            Kind::Json(fields) => Kind::Json(
                fields
                    .iter()
                    .map(|f| JsonField {
                        ty: resolve(&f.ty),
                        ..f.clone()
                    })
                    .collect(),
            ),
            Kind::Response(fields) => Kind::Response(
                fields
                    .iter()
                    .map(|f| ResponseField {
                        ty: resolve(&f.ty),
                        ..f.clone()
                    })
                    .collect(),
            ),
            other => other.clone(),
        };
        format!("{:?} {kind:?}", def.deprecated)
    }

    /// `ty` with every alias it names replaced by the alias's target.
    fn resolve(&self, ty: &Ty) -> Ty {
        match ty {
            Ty::Named(name) => Ty::Named(self.aliases.get(name).unwrap_or(name).clone()),
            Ty::Vec(t) => self.resolve(t).vec(),
            Ty::Option(t) => self.resolve(t).option(),
            Ty::Secret(t) => Ty::Secret(Box::new(self.resolve(t))),
            other => other.clone(),
        }
    }

    /// The definition placed under `name`.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut TypeDef> {
        let slot = *self.by_name.get(name)?;
        self.slots.get_mut(slot)?.as_mut()
    }

    /// The definitions in writing order.
    pub fn into_items(self) -> impl Iterator<Item = TypeDef> {
        self.slots.into_iter().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Variant;

    fn enum_def(name: &str, doc: &str, values: &[&str]) -> TypeDef {
        TypeDef {
            name: name.into(),
            doc: vec![doc.into()],
            deprecated: false,
            kind: Kind::Enum(
                values
                    .iter()
                    .map(|v| Variant {
                        ident: (*v).into(),
                        doc: Vec::new(),
                        rename: None,
                    })
                    .collect(),
            ),
        }
    }

    fn place(reg: &mut Registry, def: TypeDef) -> String {
        let slot = reg.slot();
        reg.place(slot, def)
    }

    fn items(reg: Registry) -> Vec<(String, Kind)> {
        reg.into_items().map(|d| (d.name, d.kind)).collect()
    }

    #[test]
    fn an_identical_nested_type_is_an_alias_of_the_first() {
        let mut reg = Registry::default();
        assert_eq!(
            place(&mut reg, enum_def("ADisk", "a", &["Cloud", "Ssd"])),
            "ADisk"
        );
        // Another owner, another doc line, same values: an alias under its own name.
        assert_eq!(
            place(&mut reg, enum_def("BDisk", "b", &["Cloud", "Ssd"])),
            "BDisk"
        );
        // Different values: a type of its own.
        assert_eq!(place(&mut reg, enum_def("CDisk", "c", &["Cloud"])), "CDisk");
        // The same name again with the same shape: the type itself, nothing new written.
        assert_eq!(
            place(&mut reg, enum_def("ADisk", "a", &["Cloud", "Ssd"])),
            "ADisk"
        );
        assert_eq!(
            items(reg),
            [
                ("ADisk".into(), enum_def("", "", &["Cloud", "Ssd"]).kind),
                ("BDisk".into(), Kind::Alias("ADisk".into())),
                ("CDisk".into(), enum_def("", "", &["Cloud"]).kind),
            ]
        );
    }

    #[test]
    fn an_alias_takes_the_clash_rule_and_never_a_reserved_name() {
        let mut reg = Registry::default();
        reg.reserve("B");
        place(&mut reg, enum_def("ADisk", "a", &["Cloud"]));
        place(&mut reg, enum_def("BDisk", "b", &["Ssd"]));
        // `BDisk` is taken by a different type: the alias is `BDisk2`.
        assert_eq!(
            place(&mut reg, enum_def("BDisk", "b", &["Cloud"])),
            "BDisk2"
        );
        // A nested name equal to a reserved one gets a suffix, alias or not.
        assert_eq!(place(&mut reg, enum_def("B", "b", &["Cloud"])), "B2");
        let names: Vec<(String, Kind)> = items(reg);
        assert_eq!(names[2], ("BDisk2".into(), Kind::Alias("ADisk".into())));
        assert_eq!(names[3], ("B2".into(), Kind::Alias("ADisk".into())));
    }

    /// A struct of one field of the named type.
    fn holder(name: &str, field_ty: &str) -> TypeDef {
        TypeDef {
            name: name.into(),
            doc: Vec::new(),
            deprecated: false,
            kind: Kind::Response(vec![ResponseField {
                ident: "disk".into(),
                ty: Ty::Named(field_ty.into()).vec().option(),
                doc: Vec::new(),
                rename: None,
                decode: crate::ir::Decode::Plain,
            }]),
        }
    }

    #[test]
    fn types_holding_aliases_of_one_type_are_shared_and_keep_their_names() {
        let mut reg = Registry::default();
        let a = place(&mut reg, enum_def("ADisk", "a", &["Cloud"]));
        let b = place(&mut reg, enum_def("BDisk", "b", &["Cloud"]));
        assert_eq!(
            place(&mut reg, holder("AResponseDisks", &a)),
            "AResponseDisks"
        );
        // Holds `BDisk`, an alias of `ADisk`: the same shape, so an alias too.
        assert_eq!(
            place(&mut reg, holder("BResponseDisks", &b)),
            "BResponseDisks"
        );
        // Holds a type of another shape: its own.
        let c = place(&mut reg, enum_def("CDisk", "c", &["Ssd"]));
        assert_eq!(
            place(&mut reg, holder("CResponseDisks", &c)),
            "CResponseDisks"
        );
        let kinds: Vec<(String, Kind)> = items(reg);
        assert_eq!(kinds[0].1, enum_def("", "", &["Cloud"]).kind);
        assert_eq!(kinds[1].1, Kind::Alias("ADisk".into()));
        // The first holder names its own `ADisk`; the second is an alias of the first.
        assert_eq!(kinds[2].1, holder("", "ADisk").kind);
        assert_eq!(kinds[3].1, Kind::Alias("AResponseDisks".into()));
        assert_eq!(kinds[5].1, holder("", "CDisk").kind);
    }

    #[test]
    fn requests_and_responses_are_never_aliases() {
        let mut reg = Registry::default();
        for name in ["AResponse", "BResponse"] {
            reg.reserve(name);
            let slot = reg.slot();
            reg.place_reserved(
                slot,
                TypeDef {
                    name: name.into(),
                    doc: Vec::new(),
                    deprecated: false,
                    kind: Kind::Response(Vec::new()),
                },
            );
        }
        let kinds: Vec<Kind> = reg.into_items().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            [Kind::Response(Vec::new()), Kind::Response(Vec::new())]
        );
    }
}
