//! Text that came from a server: cut to a bound, and shown with its control characters
//! escaped. (Scrubbing our secrets from it is [`redact`](crate::redact)'s.)

use std::borrow::Cow;
use std::fmt;

/// `text` cut to at most `max` bytes on a char boundary, with `…` where cut (the `…`
/// included in the `max`).
pub(crate) fn bound(text: &str, max: usize) -> Cow<'_, str> {
    if text.len() <= max {
        return Cow::Borrowed(text);
    }
    const ELLIPSIS: &str = "…";
    let mut end = max.saturating_sub(ELLIPSIS.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = String::with_capacity(end + ELLIPSIS.len());
    out.push_str(&text[..end]);
    out.push_str(ELLIPSIS);
    Cow::Owned(out)
}

/// [`bound`], owned.
pub(crate) fn bounded(text: String, max: usize) -> String {
    match bound(&text, max) {
        Cow::Borrowed(_) => text,
        Cow::Owned(cut) => cut,
    }
}

/// Shows a server's text with every character that could act on a terminal escaped as
/// Rust writes it (`\n`, `\r`, `\t`, `\u{1b}`): C0 and C1 controls, DEL, and the Unicode
/// bidirectional controls that reorder what is shown. Everything else shows as it is.
pub(crate) struct Escaped<'a>(pub(crate) &'a str);

/// Whether `c` must not reach a terminal as it is.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(is_unsafe) {
            f.write_str(&rest[..at])?;
            let mut chars = rest[at..].chars();
            if let Some(c) = chars.next() {
                match c {
                    '\n' => f.write_str("\\n")?,
                    '\r' => f.write_str("\\r")?,
                    '\t' => f.write_str("\\t")?,
                    c => write!(f, "\\u{{{:x}}}", u32::from(c))?,
                }
            }
            rest = chars.as_str();
        }
        f.write_str(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bound_cuts_on_a_char_boundary_with_an_ellipsis() {
        assert_eq!(bound("short", 10), "short");
        assert_eq!(bound("abcdefghij", 10), "abcdefghij");
        assert_eq!(bound("abcdefghijk", 10), "abcdefg…");
        // `é` is two bytes: a cut inside it falls back before it.
        assert_eq!(bound("abcdeéfghijk", 10), "abcdeé…");
        assert_eq!(bound("abcdeféghij", 10), "abcdef…");
        assert!(bound(&"é".repeat(1000), 1024).len() <= 1024);
        assert_eq!(bound("abc", 0), "…");
    }

    #[test]
    fn control_characters_are_escaped() {
        let shown =
            Escaped("red \u{1b}[31mtext\u{1b}[0m\nnext\r\tline\u{7f}\u{85}\u{202e}é").to_string();
        assert_eq!(
            shown,
            r"red \u{1b}[31mtext\u{1b}[0m\nnext\r\tline\u{7f}\u{85}\u{202e}é"
        );
        assert_eq!(Escaped("plain text: ok").to_string(), "plain text: ok");
    }
}
