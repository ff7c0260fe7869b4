//! Naming rules: wire names to Rust field, type and variant names, and the derive's own
//! rules mirrored so the generator knows when `#[rpc(name = "…")]` is needed.

/// Words that cannot be identifiers even as raw identifiers (`r#self` is not valid).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Rust keywords (2015–2024 editions, strict and reserved): a field with one of these names
/// is written as a raw identifier (`r#type`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// The derive's default wire name for a field (`region_id` → `RegionId`): the unrawed name,
/// each `_`-separated part with its first letter upper-cased. Mirrors `aliyun-rpc-macros`
/// (and serde's `rename_all = "PascalCase"`, which is the same rule).
pub fn default_wire_name(field: &str) -> String {
    field
        .trim_start_matches("r#")
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// A wire name in snake_case, the derive's rule for its generated methods (`InstanceId` →
/// `instance_id`, `VSwitchId` → `v_switch_id`, `KMSKeyId` → `kms_key_id`, `Ipv6Address` →
/// `ipv6_address`): a `_` before an upper-case letter that follows a lower-case letter or a
/// digit, or that starts a word after an acronym.
pub fn snake_case(wire: &str) -> String {
    let chars: Vec<char> = wire.chars().collect();
    let mut out = String::with_capacity(wire.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let boundary = prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower);
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The field name for a wire name: [`snake_case`] of its ASCII letters and digits, other
/// characters (`.`, `-`, spaces) as `_`, runs of `_` collapsed; a keyword becomes a raw
/// identifier (`r#type`), a name that cannot be one (`self`) or starts with a digit gets a
/// `_` (`self_`, `_1st`).
pub fn field_name(wire: &str) -> String {
    let cleaned: String = wire
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let mut snake = String::with_capacity(cleaned.len() + 4);
    for c in snake_case(&cleaned).chars() {
        if !(c == '_' && (snake.is_empty() || snake.ends_with('_'))) {
            snake.push(c);
        }
    }
    while snake.ends_with('_') {
        snake.pop();
    }
    if snake.is_empty() {
        return "param".to_owned();
    }
    identifier(snake)
}

/// `name` as an identifier: raw for keywords, `_` appended for the unraw-able, prefixed
/// with `_` when it starts with a digit.
fn identifier(name: String) -> String {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// A name as a PascalCase type or variant name: split at anything but ASCII letters and
/// digits, each piece with its first letter upper-cased and the rest kept (`General-purpose`
/// → `GeneralPurpose`, `local_ssd_pro` → `LocalSsdPro`, `InProgress` stays). A name that would
/// start with a digit gets `V` in front (`60` → `V60`); `Self` becomes `Self_`.
pub fn pascal_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for piece in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = piece.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.push_str(chars.as_str());
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    if out == "Self" {
        out.push('_');
    }
    out
}

/// The name without its raw prefix: `r#type` → `type`.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Up to three names in `candidates` close to `wanted`: same letters ignoring case, or an
/// edit distance of at most a third of its length (at least 2), nearest first, then by name.
pub fn close_matches<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<String> {
    let wanted_lower = wanted.to_ascii_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let d = edit_distance(&wanted_lower, &c.to_ascii_lowercase());
            (d <= limit).then_some((d, c))
        })
        .collect();
    scored.sort_unstable();
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_owned())
        .collect()
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_splits_acronyms_like_the_derive() {
        for (wire, snake) in [
            ("RegionId", "region_id"),
            ("VSwitchId", "v_switch_id"),
            ("KMSKeyId", "kms_key_id"),
            ("Ipv6Address", "ipv6_address"),
            ("DBInstanceId", "db_instance_id"),
            ("IOPS", "iops"),
            ("HTTP1Only", "http1_only"),
        ] {
            assert_eq!(snake_case(wire), snake, "{wire}");
        }
    }

    #[test]
    fn default_wire_names_capitalise_each_part() {
        assert_eq!(default_wire_name("region_id"), "RegionId");
        assert_eq!(default_wire_name("v_switch_id"), "VSwitchId");
        assert_eq!(default_wire_name("kms_key_id"), "KmsKeyId");
        assert_eq!(default_wire_name("r#type"), "Type");
        assert_eq!(default_wire_name("ipv6_address"), "Ipv6Address");
    }

    #[test]
    fn field_names_are_identifiers() {
        for (wire, field) in [
            ("Type", "r#type"),
            ("Self", "self_"),
            ("SystemDisk.Size", "system_disk_size"),
            ("Big data", "big_data"),
            ("1st", "_1st"),
            ("-", "param"),
            ("Async", "r#async"),
        ] {
            assert_eq!(field_name(wire), field, "{wire}");
        }
    }

    #[test]
    fn pascal_case_names_types_and_variants() {
        for (value, name) in [
            ("General-purpose", "GeneralPurpose"),
            ("local_ssd_pro", "LocalSsdPro"),
            ("Big data", "BigData"),
            ("InProgress", "InProgress"),
            ("inprogress", "Inprogress"),
            ("60", "V60"),
            ("Self", "Self_"),
            ("SystemDisk.Size", "SystemDiskSize"),
        ] {
            assert_eq!(pascal_case(value), name, "{value}");
        }
    }

    #[test]
    fn close_matches_rank_by_distance() {
        let names = [
            "DescribeInstances",
            "DescribeInstanceStatus",
            "RunInstances",
            "DescribeImages",
        ];
        assert_eq!(
            close_matches("describeinstance", names),
            ["DescribeInstances"]
        );
        assert_eq!(
            close_matches("DescribeInstanceStatu", names),
            ["DescribeInstanceStatus", "DescribeInstances"]
        );
        assert!(close_matches("Nothing", names).is_empty());
    }
}
