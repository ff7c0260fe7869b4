//! No two modules of one crate import each other (issue 9): for every library crate of the
//! workspace, this reads each source file, lists the top-level modules it names through
//! `crate::…` (or `super::…` up to the crate root), and fails on any cycle between
//! top-level modules, printing the files that close it.
//!
//! A name the crate root re-exports (`crate::Client`) counts as its defining module. Comments
//! are ignored, so intra-doc links create no edge. Run with `--nocapture` to see the whole
//! graph: `cargo test -p aliyun-rpc-runtime --test module_graph -- --nocapture`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The library crates checked, relative to the workspace root.
const CRATES: [&str; 5] = [
    "runtime/src",
    "emulator/src",
    "macros/src",
    "metadata/src",
    "codegen/src",
];

/// `module -> (module it names -> files that name it)`.
type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

#[test]
fn no_two_modules_of_a_crate_import_each_other() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut failures = Vec::new();
    for src in CRATES {
        let graph = crate_graph(&root.join(src));
        println!("{src}:");
        for (module, uses) in &graph {
            let names: Vec<&str> = uses.keys().map(String::as_str).collect();
            println!("  {module} -> {}", names.join(", "));
        }
        for cycle in cycles(&graph) {
            let mut why = format!("{src}: modules {} import each other:", cycle.join(", "));
            for from in &cycle {
                for (to, files) in &graph[from] {
                    if cycle.contains(to) {
                        let files: Vec<&str> = files.iter().map(String::as_str).collect();
                        why.push_str(&format!("\n  {from} -> {to} in {}", files.join(", ")));
                    }
                }
            }
            failures.push(why);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The detector itself: a cycle through `super::` and root re-exports is found, and
/// comments make no edge.
#[test]
fn the_detector_sees_super_paths_and_root_reexports_and_skips_comments() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("module-graph");
    let _ = fs::remove_dir_all(&dir);
    let write = |path: &str, text: &str| {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().unwrap_or(&dir)).map_err(|e| e.to_string())?;
        fs::write(path, text).map_err(|e| e.to_string())
    };
    let files = [
        (
            "lib.rs",
            "mod a;\nmod b;\nmod c;\npub use b::inner::Thing;\n",
        ),
        ("a.rs", "use super::Thing;\n"),
        ("b/mod.rs", "pub(crate) mod inner;\n"),
        (
            "b/inner.rs",
            "pub struct Thing;\nfn f() { super::super::a::g() }\n",
        ),
        (
            "c.rs",
            "//! [`x`](crate::a::x)\n/* crate::b */ fn h() {} // crate::a\n",
        ),
    ];
    for (path, text) in files {
        if let Err(e) = write(path, text) {
            panic!("cannot write the fixture {path}: {e}");
        }
    }
    let graph = crate_graph(&dir);
    let _ = fs::remove_dir_all(&dir);
    assert_eq!(graph["a"].keys().collect::<Vec<_>>(), ["b"], "{graph:?}");
    assert_eq!(graph["b"].keys().collect::<Vec<_>>(), ["a"], "{graph:?}");
    assert!(graph["c"].is_empty(), "{graph:?}");
    assert_eq!(cycles(&graph), [vec!["a".to_owned(), "b".to_owned()]]);
}

/// Every top-level module of the crate at `src`, with the top-level modules it names.
fn crate_graph(src: &Path) -> Graph {
    let lib = read(&src.join("lib.rs"));
    let reexports = root_reexports(&strip_comments(&lib));
    let mut graph = Graph::new();
    for file in rust_files(src) {
        let rel = file.strip_prefix(src).unwrap_or(&file);
        let Some(module) = module_path(rel) else {
            continue;
        };
        let Some(top) = module.first().cloned() else {
            continue;
        };
        let uses = graph.entry(top.clone()).or_default();
        let text = strip_comments(&read(&file));
        for named in crate_paths(&text, &module) {
            let target = match reexports.get(&named) {
                Some(defining) => defining.clone(),
                None => named,
            };
            if target != top && is_module(src, &target) {
                uses.entry(target)
                    .or_default()
                    .insert(rel.display().to_string());
            }
        }
    }
    graph
}

fn read(path: &Path) -> String {
    match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => panic!("cannot read {}: {e}", path.display()),
    }
}

/// `.rs` files under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The module path of a file relative to `src` (`client/call.rs` → `[client, call]`); `None`
/// for the crate roots (`lib.rs`, `main.rs` and binaries under `bin/`).
fn module_path(rel: &Path) -> Option<Vec<String>> {
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let (last, dirs) = parts.split_last()?;
    if dirs.is_empty() && (last == "lib.rs" || last == "main.rs") || parts[0] == "bin" {
        return None;
    }
    let mut module: Vec<String> = dirs.to_vec();
    if last != "mod.rs" {
        module.push(last.trim_end_matches(".rs").to_owned());
    }
    Some(module)
}

fn is_module(src: &Path, name: &str) -> bool {
    src.join(format!("{name}.rs")).is_file() || src.join(name).join("mod.rs").is_file()
}

/// The source without `//` and `/* */` comments (doc comments included) or the text of
/// string literals, so that neither makes an edge.
fn strip_comments(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            i += rest.find("*/").map_or(rest.len(), |end| end + 2);
        } else if rest.starts_with("r#\"") || rest.starts_with("r\"") {
            let hashes = rest[1..].bytes().take_while(|b| *b == b'#').count();
            let close = format!("\"{}", "#".repeat(hashes));
            let body = 2 + hashes;
            i += body
                + rest[body..]
                    .find(&close)
                    .map_or(rest.len() - body, |end| end + close.len());
            out.push_str("\"\"");
        } else if rest.starts_with('"') {
            let mut j = 1;
            while j < rest.len() {
                match rest.as_bytes()[j] {
                    b'\\' => j += 2,
                    b'"' => break,
                    _ => j += 1,
                }
            }
            i += (j + 1).min(rest.len());
            out.push_str("\"\"");
        } else if let Some(len) = char_literal_len(rest) {
            i += len;
            out.push_str("' '");
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The length of the char literal `text` starts with (`'"'`, `'\''`, `'\u{7f}'`), or
/// `None` (a lifetime, or no quote).
fn char_literal_len(text: &str) -> Option<usize> {
    let body = text.strip_prefix('\'')?;
    if let Some(escaped) = body.strip_prefix('\\') {
        // The escape's first char may itself be a quote (`'\''`).
        let first = escaped.chars().next()?;
        let after = &escaped[first.len_utf8()..];
        return after.find('\'').map(|end| 2 + first.len_utf8() + end + 1);
    }
    let c = body.chars().next()?;
    body[c.len_utf8()..]
        .starts_with('\'')
        .then_some(1 + c.len_utf8() + 1)
}

/// What the crate root re-exports, by name: `pub use client::handle::Client;` maps
/// `Client` to `client`.
fn root_reexports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for statement in lib.split(';') {
        let statement = statement.trim();
        let Some(at) = statement.find("use ") else {
            continue;
        };
        if !statement[..at].trim_start().starts_with("pub") {
            continue;
        }
        let path = statement[at + 4..].trim().trim_start_matches("crate::");
        let Some((module, rest)) = path.split_once("::") else {
            continue;
        };
        for name in leaf_names(rest) {
            out.insert(name, module.to_owned());
        }
    }
    out
}

/// The names a use tree brings in: `a::{B, c::D}` → `B`, `D`.
fn leaf_names(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let inner = tree[open + 1..].trim_end().trim_end_matches('}');
        return split_top_level(inner)
            .iter()
            .flat_map(|part| leaf_names(part))
            .collect();
    }
    let last = tree.rsplit("::").next().unwrap_or(tree);
    let name = last.split(" as ").last().unwrap_or(last).trim();
    if name.is_empty() || name == "self" || name == "*" {
        Vec::new()
    } else {
        vec![name.to_owned()]
    }
}

/// `a, b::{c, d}, e` → `["a", "b::{c, d}", "e"]`.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(text[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(text[start..].trim());
    parts.retain(|p| !p.is_empty());
    parts
}

/// The first segment after the crate root of every path in `text` that starts at the root:
/// `crate::x…`, `crate::{x, y}`, and `super::…` chains that climb out of `module`.
fn crate_paths(text: &str, module: &[String]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut search = 0;
    while let Some(found) = find_root_path(&text[search..], module) {
        let (start, after) = (search + found.0, search + found.1);
        search = after.max(start + 1);
        let prev = text[..start].chars().next_back();
        if prev.is_some_and(|c| is_ident(c) || c == ':') {
            continue;
        }
        let rest = &text[after..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = matching_brace(group);
            for part in split_top_level(&group[..end]) {
                let first: String = part.chars().take_while(|c| is_ident(*c)).collect();
                if !first.is_empty() && first != "self" {
                    out.insert(first);
                }
            }
        } else {
            let first: String = rest.chars().take_while(|c| is_ident(*c)).collect();
            if !first.is_empty() {
                out.insert(first);
            }
        }
    }
    out
}

/// The next `crate::` or climbing `super::…::` prefix: its start and where the path after
/// it begins.
fn find_root_path(text: &str, module: &[String]) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    if let Some(at) = text.find("crate::") {
        best = Some((at, at + "crate::".len()));
    }
    // From a file of module depth d, `super::` repeated d times reaches the root.
    let depth = module.len();
    if depth > 0 {
        let climb = "super::".repeat(depth);
        let mut from = 0;
        while let Some(at) = text[from..].find(&climb) {
            let at = from + at;
            // Not a longer chain that started earlier.
            if !text[..at].ends_with("super::") {
                if best.is_none_or(|(b, _)| at < b) {
                    best = Some((at, at + climb.len()));
                }
                break;
            }
            from = at + climb.len();
        }
    }
    best
}

/// The index of the `}` closing a group whose `{` came just before `text`.
fn matching_brace(text: &str) -> usize {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return i,
            '}' => depth -= 1,
            _ => {}
        }
    }
    text.len()
}

/// The strongly connected components with more than one module (Tarjan), each sorted.
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        let edges: Vec<&'g str> = s
            .graph
            .get(v)
            .map(|uses| uses.keys().map(String::as_str).collect())
            .unwrap_or_default();
        for w in edges {
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low[v];
                s.low.insert(v, lv.min(lw));
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low[v];
                s.low.insert(v, lv.min(iw));
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out.sort();
    s.out
}
