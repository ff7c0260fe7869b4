//! Field names inside one struct: unique, and (for derive structs) free of clashes with the
//! methods the derive generates.
//!
//! A field is named [`naming::field_name`] of its wire name. In a `Request` or `Params` struct
//! the derive also generates `new`, a setter named like each optional, list or map field, a
//! push method per list (the wire name in snake_case, or `push_<field>` when that is the
//! field's own name) and an entry method per map (`<wire name in snake_case>_entry`). When a
//! field's name or one of its methods is already taken, the field gets the first free suffix
//! `_2`, `_3`, … (in the order of the fields), and then an explicit wire name.

use std::collections::BTreeSet;

use crate::ir::Ty;
use crate::naming::{self, default_wire_name, snake_case, unraw};

pub struct FieldNames {
    used: BTreeSet<String>,
    derive_methods: bool,
}

/// A field's identifier and, when the derive's (or serde's) default would not give it back,
/// its wire name.
pub struct Named {
    pub ident: String,
    pub rename: Option<String>,
}

impl FieldNames {
    /// For a `#[derive(Request)]` or `#[derive(Params)]` struct.
    pub fn for_derive() -> FieldNames {
        FieldNames {
            used: BTreeSet::from(["new".to_owned()]),
            derive_methods: true,
        }
    }

    /// For a serde struct: identifiers only.
    pub fn plain() -> FieldNames {
        FieldNames {
            used: BTreeSet::new(),
            derive_methods: false,
        }
    }

    /// Names the field sending `wire` with type `ty`; `Err` with a reason when the derive
    /// cannot send or name it.
    pub fn assign(&mut self, wire: &str, ty: &Ty) -> Result<Named, String> {
        if self.derive_methods {
            check_wire_name(wire)?;
        }
        let base = naming::field_name(wire);
        for n in 1u32.. {
            let ident = if n == 1 {
                base.clone()
            } else {
                naming::field_name(&format!("{}_{n}", unraw(&base)))
            };
            let own = unraw(&ident).to_owned();
            let mut names = vec![own.clone()];
            if self.derive_methods {
                names.extend(methods(&own, wire, ty)?);
            }
            if names.iter().all(|m| !self.used.contains(m)) {
                self.used.extend(names);
                let rename = (default_wire_name(&ident) != wire).then(|| wire.to_owned());
                return Ok(Named { ident, rename });
            }
        }
        Err(format!("no free field name for `{wire}`"))
    }
}

/// The derive refuses wire names that are empty or hold `.`, `=`, `&` or whitespace.
fn check_wire_name(wire: &str) -> Result<(), String> {
    if wire.is_empty() || wire.contains(['.', '=', '&']) || wire.contains(char::is_whitespace) {
        return Err(format!(
            "the derive cannot send a parameter named `{wire}` (empty, or with `.`, `=`, `&` or whitespace)"
        ));
    }
    Ok(())
}

/// The methods the derive generates for a field besides the setter named like the field.
fn methods(own: &str, wire: &str, ty: &Ty) -> Result<Vec<String>, String> {
    let extra = match ty {
        Ty::Vec(_) => {
            let push = snake_case(wire);
            Some(if push == own {
                format!("push_{own}")
            } else {
                push
            })
        }
        Ty::StrMap => Some(format!("{}_entry", snake_case(wire))),
        _ => None,
    };
    match extra {
        Some(m) if !is_method_name(&m) => Err(format!(
            "the derive would name a method `{m}` after parameter `{wire}`, which is not an identifier"
        )),
        Some(m) => Ok(vec![m]),
        None => Ok(Vec::new()),
    }
}

/// What the derive's `method_ident` accepts: an identifier, raw if need be.
fn is_method_name(name: &str) -> bool {
    !name.contains('#')
        && !["_", "self", "Self", "super", "crate"].contains(&name)
        && (syn::parse_str::<syn::Ident>(name).is_ok()
            || syn::parse_str::<syn::Ident>(&format!("r#{name}")).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assign(names: &mut FieldNames, wire: &str, ty: Ty) -> (String, Option<String>) {
        match names.assign(wire, &ty) {
            Ok(n) => (n.ident, n.rename),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn acronyms_keep_their_wire_names() {
        let mut names = FieldNames::for_derive();
        let s = || Ty::Str.option();
        assert_eq!(
            assign(&mut names, "VSwitchId", s()),
            ("v_switch_id".into(), None)
        );
        assert_eq!(
            assign(&mut names, "KMSKeyId", s()),
            ("kms_key_id".into(), Some("KMSKeyId".into()))
        );
        assert_eq!(assign(&mut names, "Type", s()), ("r#type".into(), None));
    }

    #[test]
    fn clashes_get_suffixes_and_explicit_names() {
        let mut names = FieldNames::for_derive();
        assert_eq!(
            assign(&mut names, "IOPS", Ty::I32.option()),
            ("iops".into(), Some("IOPS".into()))
        );
        assert_eq!(
            assign(&mut names, "Iops", Ty::I32.option()),
            ("iops_2".into(), Some("Iops".into()))
        );
        // `New` would be the constructor.
        assert_eq!(
            assign(&mut names, "New", Ty::Str.option()),
            ("new_2".into(), Some("New".into()))
        );
        // A list `Tag` pushes with `push_tag`, already the setter of `PushTag`: it moves
        // aside, and then pushes with `tag`.
        assert_eq!(
            assign(&mut names, "PushTag", Ty::Str.option()).0,
            "push_tag"
        );
        assert_eq!(
            assign(&mut names, "Tag", Ty::Named("T".into()).vec()),
            ("tag_2".into(), Some("Tag".into()))
        );
        assert_eq!(assign(&mut names, "Tag2", Ty::Str.option()).0, "tag2");
        assert!(names.assign("Bad.Name", &Ty::Str).is_err());
    }
}
