//! Doc comments from the metadata's `title`, `summary` and `description`.
//!
//! The title (or summary) is the first paragraph, the description the rest. Lines lose their
//! leading whitespace (an indented line would be a Rust doctest), and a code fence that opens
//! without a language or with `rust` opens as ```` ```text ```` (so Aliyun's examples are not
//! compiled as doctests in the user's crate). Without any of them the generator writes a
//! short fallback naming the wire name, so generated items never trip `missing_docs`.

/// Doc lines from a title-like text and a description; empty when both are absent or blank.
pub fn lines(title: Option<&str>, description: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    for text in [title, description].into_iter().flatten() {
        let text = text.trim();
        if text.is_empty() || out.last().is_some_and(|l: &String| l == text) {
            continue;
        }
        if !out.is_empty() {
            out.push(String::new());
        }
        out.extend(sanitise(text));
    }
    out
}

/// [`lines`], or the single `fallback` line when the metadata has no text.
pub fn or(lines: Vec<String>, fallback: impl FnOnce() -> String) -> Vec<String> {
    if lines.is_empty() {
        vec![fallback()]
    } else {
        lines
    }
}

fn sanitise(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let line = line.trim();
        if let Some(info) = line.strip_prefix("```") {
            if in_fence {
                in_fence = false;
                out.push("```".to_owned());
            } else {
                in_fence = true;
                let info = info.trim();
                if info.is_empty() || info.split(',').any(|w| w.trim() == "rust") {
                    out.push("```text".to_owned());
                } else {
                    out.push(line.to_owned());
                }
            }
            continue;
        }
        out.push(line.to_owned());
    }
    if in_fence {
        out.push("```".to_owned());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_then_description_without_doctests() {
        let doc = lines(
            Some("Creates a disk."),
            Some("  Indented text\n\n```\nlet x = 1;\n```\n```json\n{}\n```\n```rust\nfn f() {}"),
        );
        assert_eq!(
            doc,
            [
                "Creates a disk.",
                "",
                "Indented text",
                "",
                "```text",
                "let x = 1;",
                "```",
                "```json",
                "{}",
                "```",
                "```text",
                "fn f() {}",
                "```",
            ]
        );
    }

    #[test]
    fn falls_back_when_empty() {
        assert_eq!(
            or(lines(None, Some("  ")), || "`RegionId`".into()),
            ["`RegionId`"]
        );
        assert_eq!(lines(Some("Same"), Some("Same")), ["Same"]);
    }
}
