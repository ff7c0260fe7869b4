//! The build script the READMEs show is the one `Config::compile`'s doc test compiles
//! (`src/config.rs`), line for line: a change to the API that breaks the example breaks the
//! doc test, and this test keeps the READMEs in step with it.

use std::path::Path;

/// The lines of the first fenced block of `text` whose first line is `// build.rs`.
fn build_script_block(text: &str) -> Option<Vec<&str>> {
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim_start().starts_with("```") {
            let block: Vec<&str> = lines
                .by_ref()
                .take_while(|l| !l.trim_start().starts_with("```"))
                .collect();
            if block.first().is_some_and(|l| l.trim() == "// build.rs") {
                return Some(block);
            }
        }
    }
    None
}

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_readmes_show_the_build_script_the_doc_test_compiles() {
    let config = read("src/config.rs");
    // `///`-comment lines, as rustdoc sees them.
    let docs: Vec<&str> = config
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("///"))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect();
    let docs = docs.join("\n");
    let Some(example) = build_script_block(&docs) else {
        panic!("src/config.rs has no doc example starting with `// build.rs`");
    };
    // Up to the end of `fn main`: the doc test goes on with a note on `src/lib.rs`.
    let end = example.iter().position(|l| *l == "}").map_or(0, |i| i + 1);
    let compiled = example[..end].join("\n");
    for readme in ["README.md", "../README.md"] {
        let text = read(readme);
        let Some(shown) = build_script_block(&text) else {
            panic!("{readme} shows no block starting with `// build.rs`");
        };
        assert!(
            shown.join("\n") == compiled,
            "{readme}'s build.rs differs from Config::compile's doc test:\n{}\n---\n{compiled}",
            shown.join("\n")
        );
    }
}
