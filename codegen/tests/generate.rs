//! Generation over the vendored products: everything generates and parses, output is
//! deterministic, wire names survive the round trip through field names, and bad input
//! gives errors that name it.

use std::collections::BTreeMap;

use aliyun_rpc_codegen::{Config, Error};
use aliyun_rpc_metadata::{vendored, ApiDocs};

fn generate(config: &Config) -> String {
    match config.generate() {
        Ok(code) => code,
        Err(e) => panic!("{e}"),
    }
}

fn product(file: &str, text: &str) -> Config {
    Config::new().api_docs_str(file, text)
}

fn ecs() -> Config {
    product(vendored::ECS_2014_05_26_FILE, vendored::ECS_2014_05_26)
}

fn nlb() -> Config {
    product(vendored::NLB_2022_04_30_FILE, vendored::NLB_2022_04_30)
}

fn parse(code: &str) -> syn::File {
    match syn::parse_file(code) {
        Ok(file) => file,
        Err(e) => panic!("generated code does not parse: {e}"),
    }
}

/// The derive's default wire name, written out again here: each `_`-separated part of the
/// unrawed field name with its first letter upper-cased.
fn default_wire_name(field: &syn::Ident) -> String {
    let name = field.to_string();
    let name = name.trim_start_matches("r#");
    name.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// What each field of a derive struct sends: its `#[rpc(name = "…")]`, else the default.
fn wire_names(item: &syn::ItemStruct) -> Vec<String> {
    item.fields
        .iter()
        .map(|field| {
            let mut name = None;
            for attr in field.attrs.iter().filter(|a| a.path().is_ident("rpc")) {
                let _ = attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident("name") {
                        let lit: syn::LitStr = meta.value()?.parse()?;
                        name = Some(lit.value());
                    } else if meta.input.peek(syn::Token![=]) {
                        let _: syn::Expr = meta.value()?.parse()?;
                    }
                    Ok(())
                });
            }
            let ident = field.ident.as_ref().expect("named field");
            name.unwrap_or_else(|| default_wire_name(ident))
        })
        .collect()
}

fn structs(file: &syn::File) -> impl Iterator<Item = &syn::ItemStruct> {
    file.items.iter().filter_map(|i| match i {
        syn::Item::Struct(s) => Some(s),
        _ => None,
    })
}

#[test]
fn every_vendored_action_generates_and_parses_with_its_wire_names() {
    for (file, text) in vendored::ALL {
        let docs = ApiDocs::from_json_named(text, file).expect("vendored metadata loads");
        let code = generate(&product(file, text));
        let parsed = parse(&code);
        let mut requests = 0;
        for s in structs(&parsed) {
            let Some(api) = docs.apis.get(&s.ident.to_string()) else {
                continue;
            };
            requests += 1;
            let expected: Vec<&str> = api.parameters.iter().map(|p| p.name.as_str()).collect();
            assert_eq!(wire_names(s), expected, "{file} {}", api.name);
        }
        assert_eq!(requests, docs.apis.len(), "{file}");
    }
}

#[test]
fn acronyms_keep_their_real_wire_names() {
    let code = generate(&ecs().action("RunInstances").action("CreateDisk"));
    let parsed = parse(&code);
    let find = |name: &str| {
        structs(&parsed)
            .find(|s| s.ident == name)
            .unwrap_or_else(|| panic!("no struct {name}"))
    };
    let run = wire_names(find("RunInstances"));
    assert!(run.contains(&"VSwitchId".to_owned()));
    let disk = wire_names(find("RunInstancesSystemDisk"));
    assert!(disk.contains(&"KMSKeyId".to_owned()), "{disk:?}");
    assert!(wire_names(find("CreateDisk")).contains(&"KMSKeyId".to_owned()));
    assert!(code.contains("pub v_switch_id: ::std::option::Option<::std::string::String>,"));
    assert!(code.contains("#[rpc(name = \"KMSKeyId\")]\n    pub kms_key_id:"));
}

#[test]
fn output_is_deterministic_and_independent_of_action_order() {
    let all = generate(&ecs());
    assert_eq!(all, generate(&ecs()));
    let names = [
        "RunInstances",
        "DescribeImageSupportInstanceTypes",
        "CreateDisk",
    ];
    let forward = names.iter().fold(ecs(), |c, a| c.action(*a));
    let backward = names.iter().rev().fold(ecs(), |c, a| c.action(*a));
    let twice = names.iter().chain(&names).fold(ecs(), |c, a| c.action(*a));
    let forward = generate(&forward);
    assert_eq!(forward, generate(&backward));
    assert_eq!(forward, generate(&twice));
}

/// The generated items of a file by name: structs, enums and type aliases.
fn named_items(file: &syn::File) -> BTreeMap<String, &syn::Item> {
    file.items
        .iter()
        .filter_map(|item| {
            let name = match item {
                syn::Item::Struct(s) => &s.ident,
                syn::Item::Enum(e) => &e.ident,
                syn::Item::Type(t) => &t.ident,
                _ => return None,
            };
            Some((name.to_string(), item))
        })
        .collect()
}

/// What the type `name` is, whatever it is called: its fields (or variants) with their
/// attributes and, for a field of a generated type, that type's shape in turn; aliases
/// resolved. Doc comments and type names are left out.
fn shape(items: &BTreeMap<String, &syn::Item>, name: &str) -> String {
    use quote::ToTokens;
    let attrs = |attrs: &[syn::Attribute]| -> String {
        attrs
            .iter()
            .filter(|a| !a.path().is_ident("doc"))
            .map(|a| a.to_token_stream().to_string())
            .collect()
    };
    fn ty(items: &BTreeMap<String, &syn::Item>, t: &syn::Type) -> String {
        match t {
            syn::Type::Path(p) if p.qself.is_none() => p
                .path
                .segments
                .iter()
                .map(|seg| {
                    let ident = seg.ident.to_string();
                    let head = if items.contains_key(&ident) {
                        format!("{{{}}}", shape(items, &ident))
                    } else {
                        ident
                    };
                    match &seg.arguments {
                        syn::PathArguments::AngleBracketed(args) => {
                            let inner: Vec<String> = args
                                .args
                                .iter()
                                .map(|a| match a {
                                    syn::GenericArgument::Type(t) => ty(items, t),
                                    other => other.to_token_stream().to_string(),
                                })
                                .collect();
                            format!("{head}<{}>", inner.join(","))
                        }
                        _ => head,
                    }
                })
                .collect::<Vec<_>>()
                .join("::"),
            other => other.to_token_stream().to_string(),
        }
    }
    match items.get(name) {
        Some(syn::Item::Type(alias)) => match &*alias.ty {
            syn::Type::Path(p) if p.path.get_ident().is_some() => {
                shape(items, &p.path.segments[0].ident.to_string())
            }
            other => format!("<alias of {}>", ty(items, other)),
        },
        Some(syn::Item::Struct(s)) => {
            let fields: Vec<String> = s
                .fields
                .iter()
                .map(|f| {
                    let ident = f
                        .ident
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    format!("{}{ident}:{}", attrs(&f.attrs), ty(items, &f.ty))
                })
                .collect();
            format!("{}struct{{{}}}", attrs(&s.attrs), fields.join(";"))
        }
        Some(syn::Item::Enum(e)) => {
            let variants: Vec<String> = e
                .variants
                .iter()
                .map(|v| format!("{}{}", attrs(&v.attrs), v.ident))
                .collect();
            format!("{}enum{{{}}}", attrs(&e.attrs), variants.join(";"))
        }
        _ => format!("<missing {name}>"),
    }
}

/// Type names are per action, so an action generated alone has the same types, under the
/// same names, as among all: every name it defines exists among all (a struct, an enum, or an
/// alias of an identical nested type another action defined first), and is the same type.
#[test]
fn an_action_alone_generates_what_it_does_among_all() {
    for (config, actions) in [
        (
            ecs(),
            &[
                "CreateAutoProvisioningGroup",
                "DescribeInstances",
                "DescribePrice",
                "ModifyCloudAssistantSettings",
                "RunInstances",
            ][..],
        ),
        (nlb(), &["CreateLoadBalancer", "ListListeners"][..]),
    ] {
        let all = parse(&generate(&config));
        let all = named_items(&all);
        let mut aliased = 0;
        for action in actions {
            let alone = parse(&generate(&config.clone().action(*action)));
            let alone = named_items(&alone);
            for name in alone.keys() {
                assert!(
                    all.contains_key(name),
                    "{action}: `{name}` missing among all"
                );
                assert_eq!(shape(&alone, name), shape(&all, name), "{action}: `{name}`");
                aliased += usize::from(matches!(all.get(name), Some(syn::Item::Type(_))));
            }
        }
        // The comparison went through aliases, not only through identical text.
        assert!(aliased > 0);
    }
}

/// A nested type identical to one defined before is an alias of it, and the types that
/// contain it still name it: `RunInstances` sends tags of the type `AllocateDedicatedHosts`
/// defined, under the name `RunInstancesTag`.
#[test]
fn identical_nested_types_are_aliases_of_the_first() {
    let code = generate(
        &ecs()
            .action("AllocateDedicatedHosts")
            .action("RunInstances"),
    );
    assert!(
        code.contains("pub type RunInstancesTag = AllocateDedicatedHostsTag;"),
        "{code}"
    );
    let file = parse(&code);
    let run = structs(&file)
        .find(|s| s.ident == "RunInstances")
        .expect("RunInstances");
    let tag = run
        .fields
        .iter()
        .find(|f| f.ident.as_ref().is_some_and(|i| i == "tag"))
        .expect("tag field");
    let ty = quote::ToTokens::to_token_stream(&tag.ty).to_string();
    assert!(ty.contains("RunInstancesTag"), "{ty}");
    // Requests and responses are never aliases, even when identical.
    let items = named_items(&file);
    for name in ["AllocateDedicatedHostsResponse", "RunInstancesResponse"] {
        assert!(
            matches!(items.get(name), Some(syn::Item::Struct(_))),
            "{name}"
        );
    }
}

#[test]
fn unknown_actions_are_errors_listing_close_matches() {
    let err = ecs()
        .action("DescribeInstance")
        .action("RunInstances")
        .action("Nothing")
        .generate()
        .expect_err("unknown actions");
    match &err {
        Error::UnknownActions { unknown, .. } => {
            assert_eq!(unknown.len(), 2);
            assert_eq!(unknown[0].name, "DescribeInstance");
            assert_eq!(unknown[0].suggestions[0], "DescribeInstances");
            assert!(unknown[1].suggestions.is_empty());
        }
        other => panic!("{other:?}"),
    }
    let shown = err.to_string();
    assert!(
        shown.starts_with("ecs-2014-05-26.json has no actions `DescribeInstance` (did you mean `DescribeInstances`"),
        "{shown}"
    );
    assert!(shown.ends_with(", `Nothing`"), "{shown}");
}

#[test]
fn unsupported_metadata_is_an_error_naming_action_and_param() {
    let doc = |param: &str| {
        format!(
            r#"{{"info":{{"product":"P","version":"2020-01-01","style":"RPC"}},
                "apis":{{"A":{{"parameters":[{param}]}}}}}}"#
        )
    };
    for (param, expected) in [
        (
            r#"{"name":"When","in":"query","schema":{"type":"date"}}"#,
            "t.json: action `A`, parameter `When`: type `date` has no Rust equivalent here",
        ),
        (
            r#"{"name":"Id","in":"path","schema":{"type":"string"}}"#,
            "t.json: action `A`, parameter `Id`: a ROA path or header parameter; aliyun-rpc sends RPC query and form params",
        ),
        (
            r#"{"name":"Ids","in":"query","style":"spaceDelimited","schema":{"type":"array","items":{"type":"string"}}}"#,
            "t.json: action `A`, parameter `Ids`: unknown style `spaceDelimited` for a list or object",
        ),
        (
            r#"{"name":"Ids","in":"query","style":"simple","schema":{"type":"array","items":{"type":"object"}}}"#,
            "t.json: action `A`, parameter `Ids`: a comma-joined (`simple`) list of lists or objects has no wire form",
        ),
        (
            r#"{"name":"Opt","in":"query","style":"flat","schema":{"type":"object","properties":{"A=B":{"type":"string"}}}}"#,
            "t.json: action `A`, parameter `Opt.A=B`: the derive cannot send a parameter named `A=B` (empty, or with `.`, `=`, `&` or whitespace)",
        ),
    ] {
        let err = Config::new()
            .api_docs_str("t.json", doc(param))
            .generate()
            .expect_err(param);
        assert_eq!(err.to_string(), expected);
    }
    let roa = r#"{"info":{"product":"P","version":"2020-01-01","style":"ROA"},"apis":{}}"#;
    let err = Config::new()
        .api_docs_str("roa.json", roa)
        .generate()
        .expect_err("ROA");
    assert_eq!(
        err.to_string(),
        "roa.json: `info.style` is Roa; aliyun-rpc generates RPC-style APIs only"
    );
    assert!(matches!(Config::new().generate(), Err(Error::NoApiDocs)));
}

#[test]
fn write_to_and_compile_write_the_same_text() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("aliyun-rpc-codegen");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let config = nlb().action("ListListeners");
    let out = dir.join("nlb.rs");
    config.write_to(&out).expect("write_to");
    let written = std::fs::read_to_string(&out).expect("read");
    assert_eq!(written, generate(&config));
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn config_debug_names_the_source_not_its_text() {
    let config = ecs().action("RunInstances");
    assert_eq!(
        format!("{config:?}"),
        format!(
            "Config {{ api_docs: Some(\"ecs-2014-05-26.json ({} bytes)\"), actions: {{\"RunInstances\"}} }}",
            vendored::ECS_2014_05_26.len()
        )
    );
}
