//! The fast path of signature v1: an HMAC keyed once per secret, and a canonical query
//! written pair by pair while the MAC of its string to sign is fed in the same pass, so that
//! the string to sign is never built.

use std::ops::Range;

use base64::Engine as _;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha1::{Digest, Sha1};

use crate::encoding::{is_unreserved, percent_encode_bytes_into, HEX_UPPER, UNRESERVED};

/// The HMAC-SHA1 keyed with `secret&`, before any input: keying hashes two blocks, so
/// [`Credentials`](crate::Credentials) keep one and every signature starts from a copy.
#[derive(Clone)]
pub(crate) struct SigningKey(Hmac<Sha1>);

impl SigningKey {
    /// Keys the HMAC with `access_key_secret` + `&`. HMAC (RFC 2104) zero-pads a key to
    /// the 64-byte block, or first hashes it if it is longer; done here, so that the key
    /// always has the block's size and keying cannot fail.
    pub(crate) fn new(access_key_secret: &str) -> Self {
        let secret = access_key_secret.as_bytes();
        let mut block = [0u8; 64];
        if secret.len() < block.len() {
            block[..secret.len()].copy_from_slice(secret);
            block[secret.len()] = b'&';
        } else {
            let mut hash = Sha1::new();
            Digest::update(&mut hash, secret);
            Digest::update(&mut hash, b"&");
            block[..20].copy_from_slice(&hash.finalize());
        }
        SigningKey(<Hmac<Sha1> as KeyInit>::new(&block.into()))
    }

    /// The MAC of `message`.
    pub(super) fn mac(&self, message: &[u8]) -> [u8; 20] {
        let mut mac = self.0.clone();
        mac.update(message);
        mac.finalize().into_bytes().into()
    }
}

/// A canonical query being written pair by pair, with the HMAC of its string to sign,
/// `METHOD&%2F&enc(canonical)`, fed in the same pass: each raw byte is encoded once for the
/// query and once more for the MAC. Pairs must come in canonical order.
pub(super) struct SignedQuery<'o> {
    out: &'o mut String,
    feed: MacFeed,
    first: bool,
}

impl<'o> SignedQuery<'o> {
    /// Starts the canonical query at the end of `out`, for `method`, signed with `key`.
    pub(super) fn new(out: &'o mut String, method: &str, key: &SigningKey) -> Self {
        let mut feed = MacFeed::new(key.0.clone());
        feed.push(method.as_bytes());
        feed.push(b"&%2F&");
        SignedQuery {
            out,
            feed,
            first: true,
        }
    }

    /// Appends `enc(key)=enc(value)` (after a `&` unless it is the first pair).
    #[cfg(test)]
    pub(super) fn pair(&mut self, key: &str, value: &str) {
        self.pair_with(key, false, value, false);
    }

    /// [`pair`](Self::pair), where the caller knows which of the two strings are
    /// unreserved only and so need no scan: they go in as they are. Returns where the
    /// encoded value sits in the output.
    #[inline]
    pub(super) fn pair_with(
        &mut self,
        key: &str,
        key_clean: bool,
        value: &str,
        value_clean: bool,
    ) -> Range<usize> {
        debug_assert!(!key_clean || is_unreserved(key), "{key:?} is not clean");
        debug_assert!(
            !value_clean || is_unreserved(value),
            "{value:?} is not clean"
        );
        if !self.first {
            self.out.push('&');
            self.feed.push(b"%26");
        }
        self.first = false;
        self.encode(key, key_clean);
        self.out.push('=');
        self.feed.push(b"%3D");
        let start = self.out.len();
        self.encode(value, value_clean);
        start..self.out.len()
    }

    #[inline]
    fn encode(&mut self, s: &str, clean: bool) {
        if clean {
            self.out.push_str(s);
            self.feed.push(s.as_bytes());
        } else {
            encode_twice(self.out, &mut self.feed, s);
        }
    }

    /// The HMAC-SHA1 of the string to sign.
    pub(super) fn finish(self) -> [u8; 20] {
        self.feed.finish()
    }
}

/// Appends `enc(s)` to `out` and feeds `enc(enc(s))` to the MAC: a byte that stays, stays
/// in both; an escape `%XX` is itself escaped to `%25XX` for the string to sign.
fn encode_twice(out: &mut String, feed: &mut MacFeed, s: &str) {
    let bytes = s.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !UNRESERVED[b as usize] {
            // A non-empty run starts and ends beside ASCII bytes: always on char boundaries.
            if run < i {
                out.push_str(&s[run..i]);
                feed.push(&bytes[run..i]);
            }
            let (hi, lo) = (HEX_UPPER[(b >> 4) as usize], HEX_UPPER[(b & 0xf) as usize]);
            out.push('%');
            out.push(hi as char);
            out.push(lo as char);
            feed.push(&[b'%', b'2', b'5', hi, lo]);
            run = i + 1;
        }
    }
    if run < bytes.len() {
        out.push_str(&s[run..]);
        feed.push(&bytes[run..]);
    }
}

/// Bytes on their way into a MAC, gathered on the stack so that the many short runs and
/// escapes of an encoding cost one `update` per buffer, not one each.
struct MacFeed {
    mac: Hmac<Sha1>,
    buf: [u8; 256],
    len: usize,
}

impl MacFeed {
    fn new(mac: Hmac<Sha1>) -> Self {
        MacFeed {
            mac,
            buf: [0; 256],
            len: 0,
        }
    }

    #[inline]
    fn push(&mut self, bytes: &[u8]) {
        if self.len + bytes.len() > self.buf.len() {
            self.flush();
            if bytes.len() > self.buf.len() {
                self.mac.update(bytes);
                return;
            }
        }
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    fn flush(&mut self) {
        self.mac.update(&self.buf[..self.len]);
        self.len = 0;
    }

    fn finish(mut self) -> [u8; 20] {
        self.flush();
        self.mac.finalize().into_bytes().into()
    }
}

/// The base64 of a digest, on the stack.
pub(super) fn base64_of(digest: &[u8; 20]) -> [u8; 28] {
    let mut b64 = [0u8; 28];
    // base64 of 20 bytes is 4 * ceil(20 / 3) = 28 bytes, so the buffer always fits.
    let written = base64::engine::general_purpose::STANDARD
        .encode_slice(digest, &mut b64)
        .expect("28 bytes hold the base64 of a 20-byte digest");
    debug_assert_eq!(written, b64.len());
    b64
}

/// Appends the percent-encoded base64 of `digest`: the `Signature` value as sent.
pub(super) fn write_encoded_signature(out: &mut String, digest: &[u8; 20]) {
    percent_encode_bytes_into(out, &base64_of(digest));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keying by hand (zero-pad, or hash a key longer than the block) gives the MAC that
    /// the `hmac` crate computes from the raw key, for every secret length around the block.
    #[test]
    fn signing_key_matches_hmac_keyed_from_the_raw_key() {
        for len in [0, 1, 10, 62, 63, 64, 65, 100, 200] {
            let secret = "k".repeat(len);
            let mut expected =
                <Hmac<Sha1> as Mac>::new_from_slice(format!("{secret}&").as_bytes()).unwrap();
            expected.update(b"GET&%2F&A%3D1");
            let ours = SigningKey::new(&secret).mac(b"GET&%2F&A%3D1");
            assert_eq!(
                ours,
                <[u8; 20]>::from(expected.finalize().into_bytes()),
                "secret of {len} bytes"
            );
        }
    }
}
