//! Our secrets, scrubbed from what a server sends back.
//!
//! The secret matcher ([`Redactor`]) is the one place that knows in which encodings a
//! secret can come back: every text the client shows from a server (an error's message,
//! code and ids, a decode error's body prefix and parser message, a `SignatureDoesNotMatch`
//! diagnosis, a redirect's `Location`) goes through it.

use std::borrow::Cow;

use crate::wire::REDACTED;

/// A match of at least this many bytes of a secret is redacted even when the secret does
/// not go on: a server that cut its echo (at 512 bytes, say) still shows no usable part.
pub(crate) const MIN_SECRET_PREFIX: usize = 8;

/// How many times over a secret byte may be percent-encoded (`%2F`, `%252F`, `%25252F`).
const MAX_ENCODINGS: usize = 3;

/// Finds our secrets (the access key secret, the security token, the values of secret
/// params) in a server's text, in every encoding they could come back in, and replaces each
/// match with [`REDACTED`](crate::wire::REDACTED).
///
/// The text is matched byte by byte against the secret, each byte of which may appear raw,
/// percent-encoded (`%XX` with either case of hex, once, twice as `%25XX` or three times),
/// as a JSON `\u00XX` escape, or, for `/`, as JSON's `\/`: so raw, form- or URL-encoded,
/// double-encoded (a string to sign), JSON-escaped and partly encoded echoes are all found.
/// A match is redacted when it covers the whole secret, or at least
/// [`MIN_SECRET_PREFIX`] bytes of it (an echo cut short). Empty secrets are ignored, and so
/// is an access key secret shorter than [`MIN_SECRET_PREFIX`]: it is never sent, a real one
/// is 30 characters, and a test's `"s"` would otherwise scrub every `s` of a message.
#[derive(Clone, Default)]
pub(crate) struct Redactor<'a> {
    secrets: Vec<Cow<'a, str>>,
}

impl<'a> Redactor<'a> {
    /// A redactor for the access key secret and the security token.
    pub(crate) fn new(secret: Option<&'a str>, token: Option<&'a str>) -> Self {
        let mut redactor = Redactor::default();
        let secret = secret.filter(|s| s.len() >= MIN_SECRET_PREFIX);
        for s in [secret, token].into_iter().flatten() {
            redactor.push(s);
        }
        redactor
    }

    /// Looks for `secret` too.
    pub(crate) fn push(&mut self, secret: impl Into<Cow<'a, str>>) {
        let secret = secret.into();
        if !secret.is_empty() {
            self.secrets.push(secret);
        }
    }

    /// Whether there is anything to look for.
    pub(crate) fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// `text` with every match of a secret replaced by the marker.
    pub(crate) fn redact<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut out = Cow::Borrowed(text);
        for secret in &self.secrets {
            if let Cow::Owned(changed) = redact_one(&out, secret.as_bytes()) {
                out = Cow::Owned(changed);
            }
        }
        out
    }

    /// [`redact`](Self::redact) in place.
    pub(crate) fn redact_string(&self, text: &mut String) {
        if let Cow::Owned(changed) = self.redact(text) {
            *text = changed;
        }
    }
}

/// `text` with every match of `secret` replaced by the marker; borrowed when none.
fn redact_one<'t>(text: &'t str, secret: &[u8]) -> Cow<'t, str> {
    let bytes = text.as_bytes();
    let Some(&first) = secret.first() else {
        return Cow::Borrowed(text);
    };
    let min = secret.len().min(MIN_SECRET_PREFIX);
    let mut out: Option<String> = None;
    // `copied`: how much of `text` is in `out` (or would be).
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b != first && b != b'%' && b != b'\\' {
            i += 1;
            continue;
        }
        let mut budget = BRANCH_BUDGET;
        let (matched, mut end) = match_at(bytes, i, secret, &mut budget);
        if matched < min {
            i += 1;
            continue;
        }
        // A match that ends inside a multi-byte character takes the whole character.
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
        out.push_str(&text[copied..i]);
        out.push_str(REDACTED);
        copied = end;
        i = end;
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut out) => {
            out.push_str(&text[copied..]);
            Cow::Owned(out)
        }
    }
}

/// How many branch points one match may explore (see [`match_at`]).
const BRANCH_BUDGET: u32 = 64;

/// How many bytes of `secret` the text at `start` spells, in any mix of encodings, and where
/// that spelling ends. A text that ends inside an encoded byte counts as spelling it up to
/// its end (the server cut there).
///
/// A secret byte can sometimes be read more than one way (`%` raw or as the start of
/// `%25`; `%2525` as one `%` or as `%25` then `25`): every reading is tried, up to
/// [`BRANCH_BUDGET`] branch points per match, after which the first reading is taken.
/// Letters, digits and `+/=` have one reading each, so real keys and tokens are matched in
/// one pass.
fn match_at(text: &[u8], start: usize, secret: &[u8], budget: &mut u32) -> (usize, usize) {
    match_from(text, start, secret, 0, budget)
}

/// [`match_at`] from byte `from` of the secret on; the count returned is of the whole secret.
fn match_from(
    text: &[u8],
    start: usize,
    secret: &[u8],
    from: usize,
    budget: &mut u32,
) -> (usize, usize) {
    let mut at = start;
    for (k, &b) in secret.iter().enumerate().skip(from) {
        let spelt = spellings(text, at, b);
        let lens = &spelt.lens[..spelt.count];
        match (lens, spelt.cut) {
            ([], false) => return (k, at),
            ([], true) => return (k, text.len()),
            ([len], false) => at += len,
            ([len, ..], _) if *budget == 0 => at += len,
            (lens, cut) => {
                *budget -= 1;
                let mut readings: Vec<(usize, usize)> = lens
                    .iter()
                    .map(|len| match_from(text, at + len, secret, k + 1, budget))
                    .collect();
                if cut {
                    readings.push((k, text.len()));
                }
                return best(readings, secret.len());
            }
        }
    }
    (secret.len(), at)
}

/// Of several readings `(bytes matched, end)`, one that redacts and covers the most text,
/// or else the one that matched the most.
fn best(readings: Vec<(usize, usize)>, secret_len: usize) -> (usize, usize) {
    let redacts =
        |(matched, _): &(usize, usize)| *matched == secret_len || *matched >= MIN_SECRET_PREFIX;
    let redacting = readings.iter().filter(|r| redacts(r)).max_by_key(|r| r.1);
    match redacting {
        Some(r) => *r,
        None => readings.into_iter().max().unwrap_or_default(),
    }
}

/// The ways the text at `at` spells the byte `b`: up to four lengths (raw first), and
/// whether the text ends inside a possible encoding of it.
struct Spellings {
    lens: [usize; 4],
    count: usize,
    cut: bool,
}

impl Spellings {
    fn push(&mut self, len: usize) {
        if let Some(slot) = self.lens.get_mut(self.count) {
            *slot = len;
            self.count += 1;
        }
    }

    fn note(&mut self, prefix: Prefix, len: usize) {
        match prefix {
            Prefix::Full => self.push(len),
            Prefix::CutShort => self.cut = true,
            Prefix::No => {}
        }
    }
}

fn spellings(text: &[u8], at: usize, b: u8) -> Spellings {
    let mut out = Spellings {
        lens: [0; 4],
        count: 0,
        cut: false,
    };
    let Some(&c) = text.get(at) else {
        return out;
    };
    if c == b {
        out.push(1);
    }
    let rest = &text[at..];
    let hex = hex_of(b);
    match c {
        b'%' => {
            // `%XX`, `%25XX`, `%2525XX`: the `25`s are escaped percent signs.
            let mut j = 1;
            for level in 0..MAX_ENCODINGS {
                out.note(prefix_ci(&rest[j..], &hex), j + 2);
                if level + 1 == MAX_ENCODINGS {
                    break;
                }
                match prefix_ci(&rest[j..], b"25") {
                    Prefix::Full => j += 2,
                    Prefix::CutShort => {
                        out.cut = true;
                        break;
                    }
                    Prefix::No => break,
                }
            }
        }
        b'\\' => {
            if b == b'/' {
                out.note(prefix_ci(&rest[1..], b"/"), 2);
            }
            if b.is_ascii() {
                out.note(
                    prefix_ci(&rest[1..], &[b'u', b'0', b'0', hex[0], hex[1]]),
                    6,
                );
            }
        }
        _ => {}
    }
    out
}

/// The two upper-case hex digits of `b`.
fn hex_of(b: u8) -> [u8; 2] {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    [HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]
}

enum Prefix {
    Full,
    /// `text` ends before `want` does, and agrees with it so far.
    CutShort,
    No,
}

/// Whether `text` starts with `want`, ASCII case-insensitively.
fn prefix_ci(text: &[u8], want: &[u8]) -> Prefix {
    let n = text.len().min(want.len());
    if !text[..n].eq_ignore_ascii_case(&want[..n]) {
        Prefix::No
    } else if n < want.len() {
        Prefix::CutShort
    } else {
        Prefix::Full
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redact(secret: &str, text: &str) -> String {
        Redactor::new(Some(secret), None).redact(text).into_owned()
    }

    #[test]
    fn every_encoding_of_a_secret_is_redacted() {
        let token = "CAIS/abc+def==";
        for echoed in [
            "CAIS/abc+def==",
            "CAIS%2Fabc%2Bdef%3D%3D",
            "CAIS%2fabc%2bdef%3d%3d",
            "CAIS%252Fabc%252Bdef%253D%253D",
            "CAIS%252fabc%252Bdef%253d%253D",
            r"CAIS\/abc+def==",
            r"CAIS\u002Fabc+def==",
            r"CAIS\u002fabc\u002Bdef==",
            "%43%41%49%53%2F%61bc+def==",
            "CAIS%2Fabc+def%3D=",
        ] {
            assert_eq!(
                redact(token, &format!("echo: {echoed}.")),
                format!("echo: {REDACTED}."),
                "{echoed}"
            );
        }
    }

    #[test]
    fn a_prefix_of_eight_bytes_or_more_is_redacted_a_shorter_one_is_not() {
        let token = "CAISabcdefghijkl";
        assert_eq!(redact(token, "x CAISabcd"), format!("x {REDACTED}"));
        assert_eq!(redact(token, "x CAISabcd%6"), format!("x {REDACTED}"));
        assert_eq!(redact(token, "x CAISabcd%"), format!("x {REDACTED}"));
        assert_eq!(redact(token, "x CAISabc%6"), "x CAISabc%6");
        assert_eq!(
            redact(token, "x CAISabcd… more"),
            format!("x {REDACTED}… more")
        );
        assert_eq!(redact(token, "x CAISabc"), "x CAISabc");
        // A short secret (a token, a secret param) is redacted whole only.
        let short = |text: &str| {
            Redactor::new(None, Some("s3cr3t"))
                .redact(text)
                .into_owned()
        };
        assert_eq!(short("a s3cr3t b s3cr"), format!("a {REDACTED} b s3cr"));
    }

    #[test]
    fn text_without_secrets_is_borrowed() {
        let r = Redactor::new(Some("testsecret"), Some("CAIS-token-1"));
        assert!(matches!(r.redact("100% fine \\ ok"), Cow::Borrowed(_)));
        assert!(Redactor::new(Some(""), None).is_empty());
        assert!(
            Redactor::new(Some("s3cr3t"), None).is_empty(),
            "too short to be a real access key secret"
        );
        assert!(
            Redactor::new(Some("s3cr3t"), None).is_empty(),
            "too short to be a real one"
        );
        assert_eq!(
            r.redact("a testsecret and CAIS-token-1"),
            format!("a {REDACTED} and {REDACTED}")
        );
    }

    #[test]
    fn a_match_inside_a_multibyte_character_takes_all_of_it() {
        let secret = "ééééé";
        // Four whole `é` (8 bytes) then the lead byte of a different character.
        let text = "x éééé\u{e0}";
        let shown = redact(secret, text);
        assert_eq!(shown, format!("x {REDACTED}"));
    }

    /// One way of writing the secret byte `b`, picked by `how`: raw, `%XX` in either case,
    /// `%25XX` in either case, JSON's `\/` (for `/`) or `\u00XX`.
    fn encode(b: u8, how: u8) -> String {
        match how % 8 {
            0 | 1 => char::from(b).to_string(),
            2 => format!("%{b:02X}"),
            3 => format!("%{b:02x}"),
            4 => format!("%25{b:02X}"),
            5 => format!("%25{b:02x}"),
            6 if b == b'/' => "\\/".to_owned(),
            6 => format!("\\u00{b:02x}"),
            _ => format!("\\u00{b:02X}"),
        }
    }

    /// A secret of printable ASCII (`%` and `\\` included), and the text around its echo, from
    /// characters no encoding uses.
    fn case(
        secret: &'static str,
    ) -> impl proptest::strategy::Strategy<Value = (String, Vec<u8>, String, String)> {
        use proptest::prelude::*;
        (
            secret,
            proptest::collection::vec(any::<u8>(), 64),
            "[ \n\u{e9}\u{2014}]{0,16}",
            "[ \n\u{e9}\u{2014}]{0,16}",
        )
    }

    proptest::proptest! {
        /// A secret echoed in any mix of the encodings, anywhere in a text, is redacted whole.
        #[test]
        fn echoed_secrets_are_always_redacted((secret, hows, before, after) in case("[!-~]{1,64}")) {
            let echoed: String =
                secret.bytes().zip(hows.iter().cycle()).map(|(b, how)| encode(b, *how)).collect();
            let text = format!("{before}{echoed}{after}");
            let as_token = Redactor::new(None, Some(&secret)).redact(&text).into_owned();
            proptest::prop_assert_eq!(as_token, format!("{before}{REDACTED}{after}"));
        }

        /// An echo cut after at least eight bytes of the secret (inside an encoding or not) is
        /// redacted up to the cut.
        #[test]
        fn an_echo_cut_short_is_redacted(
            (secret, hows, before, _) in case("[!-~]{9,64}"),
            keep in 8usize..64,
            partial in 0usize..6,
        ) {
            let keep = keep.min(secret.len() - 1);
            let pieces: Vec<String> =
                secret.bytes().zip(hows.iter().cycle()).map(|(b, how)| encode(b, *how)).collect();
            let next = &pieces[keep];
            let cut = &next[..partial.min(next.len() - 1)];
            let text = format!("{before}{}{cut}", pieces[..keep].concat());
            proptest::prop_assert_eq!(redact(&secret, &text), format!("{before}{REDACTED}"));
        }
    }
}
