//! The module's type names: which are taken, in which order items are written, and the
//! clash rule.
//!
//! Names: the request struct is the action's name and its response `{Action}Response` (both
//! reserved up front for every generated action); a nested type is `{Owner}{Property}` where
//! the owner is the action for request types and `{Action}Response` for response types. A
//! nested name already taken by an identical definition reuses it; taken by a different one,
//! it gets the first free numeric suffix (`…Tag2`, `…Tag3`), in the order the generator
//! meets them (actions by name, then parameters in file order, properties by name).
//!
//! Order: items are written in the order their generation started (an action's request,
//! then its nested request types depth-first, then its response and nested response types).

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::TypeDef;

#[derive(Default)]
pub struct Registry {
    /// Items in writing order; `None` for a slot whose definition reused an existing one.
    slots: Vec<Option<TypeDef>>,
    /// Taken names → slot.
    by_name: BTreeMap<String, usize>,
    /// Names kept for request and response structs.
    reserved: BTreeSet<String>,
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

    /// Places a nested definition under `def.name` or the first free suffixed name, or
    /// reuses an identical one; returns the name to refer to it by.
    pub fn place(&mut self, slot: Slot, mut def: TypeDef) -> String {
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
                    self.slots[slot.0] = Some(def);
                    return candidate;
                }
            }
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
