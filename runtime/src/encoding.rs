//! Percent-encoding by Aliyun's rules, the one encoder: UTF-8 bytes, `A-Z a-z 0-9 - _ . ~`
//! stay, everything else becomes upper-case `%XX`. Below both `params` (which notes whether
//! a key needs encoding) and `signing` (which encodes), so that neither imports the other.

/// `true` for the bytes that stay as they are: `A-Z a-z 0-9 - _ . ~`.
pub(crate) const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] =
            matches!(b as u8, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~');
        b += 1;
    }
    table
};

/// The digits of an escape, upper-case as Aliyun wants them.
pub(crate) const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// `true` if percent-encoding leaves `s` as it is; usable in constants, so that the signer
/// knows at compile time that an action or version needs no encoding.
pub(crate) const fn is_unreserved(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !UNRESERVED[bytes[i] as usize] {
            return false;
        }
        i += 1;
    }
    true
}

/// Appends the percent-encoding of `s` to `out`.
pub(crate) fn percent_encode_into(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !UNRESERVED[b as usize] {
            // A non-empty run starts and ends beside ASCII bytes: always on char boundaries.
            if run < i {
                out.push_str(&s[run..i]);
            }
            push_escape(out, b);
            run = i + 1;
        }
    }
    if run < bytes.len() {
        out.push_str(&s[run..]);
    }
}

/// Appends the percent-encoding of raw `bytes` (which need not be UTF-8: every byte that
/// stays is ASCII, every other one is escaped).
pub(crate) fn percent_encode_bytes_into(out: &mut String, bytes: &[u8]) {
    for &b in bytes {
        if UNRESERVED[b as usize] {
            out.push(b as char);
        } else {
            push_escape(out, b);
        }
    }
}

/// The text that [`percent_encode_into`] encoded to `s`: every valid `%XX` becomes its
/// byte, anything else stays; bytes that are not UTF-8 become U+FFFD.
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&hi), Some(&lo)) => hex_digit(hi).zip(hex_digit(lo)),
            _ => None,
        };
        match escaped {
            Some((hi, lo)) => {
                out.push(hi << 4 | lo);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'F' => Some(b - b'A' + 10),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    }
}

/// Appends `%XX` for `b`.
#[inline]
fn push_escape(out: &mut String, b: u8) {
    out.push('%');
    out.push(HEX_UPPER[(b >> 4) as usize] as char);
    out.push(HEX_UPPER[(b & 0xf) as usize] as char);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_undoes_encoding() {
        for s in ["", "a b*c~d/é", "plain-_.~", "%2F", "+/=", "日本 🎉"] {
            let mut encoded = String::new();
            percent_encode_into(&mut encoded, s);
            assert_eq!(percent_decode(&encoded), s);
        }
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%ff"), "\u{fffd}");
    }

    #[test]
    fn the_two_encoders_agree() {
        for s in ["", "a b*c~d/é", "plain-_.~", "%2F", "+/="] {
            let (mut text, mut bytes) = (String::new(), String::new());
            percent_encode_into(&mut text, s);
            percent_encode_bytes_into(&mut bytes, s.as_bytes());
            assert_eq!(text, bytes, "{s:?}");
            assert_eq!(is_unreserved(s), text == s, "{s:?}");
        }
        let mut out = String::new();
        percent_encode_into(&mut out, "a b*c~d/é");
        assert_eq!(out, "a%20b%2Ac~d%2F%C3%A9");
    }
}
