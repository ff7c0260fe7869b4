//! Where the signer collects flattened params: one string for every key and value, their
//! ranges beside it, sorted in canonical order without moving text. Kept per thread between
//! calls, so that a steady stream of signatures allocates none of it.

use std::cmp::Ordering;

use crate::params::{PairFlags, PairSink};

/// The canonical order of two keys: byte order of the raw (unencoded) keys. `a_prefix` and
/// `b_prefix` are their [`key_prefix`]es, compared first: most pairs are ordered by them
/// without touching the keys' bytes. The one rule that the arena's sort, the merge with the
/// common params, and [`CanonicalQuery::new`](super::CanonicalQuery::new) all use.
#[inline]
pub(super) fn canonical_order(a_prefix: u64, a: &[u8], b_prefix: u64, b: &[u8]) -> Ordering {
    a_prefix.cmp(&b_prefix).then_with(|| a.cmp(b))
}

/// The first 8 bytes of `key`, big-endian, zero-padded: `a < b` for two of these means the
/// same for the keys' bytes; equal prefixes say nothing.
pub(super) const fn key_prefix(key: &str) -> u64 {
    let bytes = key.as_bytes();
    let mut prefix = [0u8; 8];
    let mut i = 0;
    while i < 8 && i < bytes.len() {
        prefix[i] = bytes[i];
        i += 1;
    }
    u64::from_be_bytes(prefix)
}

/// Every pair in one string, key and value back to back, with their ranges beside it: no
/// allocation per pair.
#[derive(Debug, Default)]
pub(super) struct ParamArena {
    text: String,
    pairs: Vec<PairRange>,
}

/// `text[key_start..key_end]` is the key, `text[key_end..value_end]` the value.
#[derive(Debug, Clone, Copy)]
struct PairRange {
    /// [`key_prefix`] of the key.
    prefix: u64,
    key_start: usize,
    key_end: usize,
    value_end: usize,
    /// The key is made of unreserved bytes only: encoding leaves it as it is.
    key_unreserved: bool,
    /// What the writer flagged: in the padding after `key_unreserved`, so free.
    flags: PairFlags,
}

/// One pair of a [`ParamArena`], with what the arena knows about its key.
#[derive(Debug, Clone, Copy)]
pub(super) struct ArenaPair<'a> {
    /// [`key_prefix`] of `key`.
    pub(super) prefix: u64,
    pub(super) key: &'a str,
    /// `key` is made of unreserved bytes only.
    pub(super) key_unreserved: bool,
    pub(super) value: &'a str,
    /// What the writer flagged (secret).
    pub(super) flags: PairFlags,
}

impl ParamArena {
    /// An arena for about `bytes` bytes of keys and values in about `pairs` pairs.
    pub(super) fn with_capacity(bytes: usize, pairs: usize) -> Self {
        ParamArena {
            text: String::with_capacity(bytes),
            pairs: Vec::with_capacity(pairs),
        }
    }

    /// The bytes of every key and value together.
    pub(super) fn text_len(&self) -> usize {
        self.text.len()
    }

    /// The number of pairs.
    pub(super) fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Sorts the pairs in [`canonical_order`]. Equal keys keep the order they came in (ties
    /// go by position in the arena), like a stable sort, but without its scratch buffer.
    pub(super) fn sort_canonical(&mut self) {
        let text = self.text.as_bytes();
        self.pairs.sort_unstable_by(|a, b| {
            canonical_order(
                a.prefix,
                &text[a.key_start..a.key_end],
                b.prefix,
                &text[b.key_start..b.key_end],
            )
            .then(a.key_start.cmp(&b.key_start))
        });
    }

    /// The pairs, in their current order.
    pub(super) fn iter(&self) -> impl Iterator<Item = ArenaPair<'_>> + '_ {
        self.pairs.iter().map(|p| ArenaPair {
            prefix: p.prefix,
            key: &self.text[p.key_start..p.key_end],
            key_unreserved: p.key_unreserved,
            value: &self.text[p.key_end..p.value_end],
            flags: p.flags,
        })
    }

    /// Empties the arena, keeping its capacity.
    fn clear(&mut self) {
        self.text.clear();
        self.pairs.clear();
    }

    /// The heap bytes the arena holds on to.
    fn capacity_bytes(&self) -> usize {
        self.text.capacity() + self.pairs.capacity() * std::mem::size_of::<PairRange>()
    }
}

impl PairSink for ParamArena {
    fn push_pair(&mut self, key: &str, key_unreserved: bool, value: &str, flags: PairFlags) {
        let key_start = self.text.len();
        self.text.push_str(key);
        let key_end = self.text.len();
        self.text.push_str(value);
        self.pairs.push(PairRange {
            prefix: key_prefix(key),
            key_start,
            key_end,
            value_end: self.text.len(),
            key_unreserved,
            flags,
        });
    }
}

/// The buffers one signature needs besides its output: the arena and the param writer's key
/// and value. Kept per thread between calls; signing is synchronous, so a buffer is never
/// held across an `.await`.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    pub(super) arena: ParamArena,
    pub(super) key: String,
    pub(super) value: String,
}

thread_local! {
    static SCRATCH: std::cell::Cell<Option<Scratch>> = const { std::cell::Cell::new(None) };
}

/// Buffers larger than this (a request with thousands of params) are freed, not kept.
const SCRATCH_KEEP_BYTES: usize = 16 * 1024;

impl Scratch {
    /// This thread's buffers, emptied, or new ones. A signature made while another is under
    /// way on the same thread finds the cell empty and gets buffers of its own.
    pub(super) fn take() -> Scratch {
        let mut scratch = SCRATCH.with(|cell| cell.take()).unwrap_or_else(|| Scratch {
            arena: ParamArena::with_capacity(512, 24),
            key: String::with_capacity(64),
            value: String::with_capacity(64),
        });
        scratch.arena.clear();
        scratch
    }

    /// Hands the buffers back for the next signature on this thread.
    pub(super) fn give_back(self) {
        if self.arena.capacity_bytes() <= SCRATCH_KEEP_BYTES {
            SCRATCH.with(|cell| cell.set(Some(self)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The arena sorts like a stable sort by raw key bytes: prefixes, shared 8-byte heads,
    /// NUL bytes, non-ASCII and duplicate keys (which keep their order).
    #[test]
    fn arena_sorts_by_key_bytes_stably() {
        let keys = [
            "SignatureVersion",
            "Signature",
            "SignatureNonce",
            "Filter.10.Key",
            "Filter.1.Value",
            "Filter.1.Key",
            "Filter.2.Key",
            "a\0",
            "a",
            "",
            "é",
            "Z",
            "Dup",
            "Filter",
            "Dup",
            "SignatureMethod",
            "AccessKeyId",
            "Action",
        ];
        let mut arena = ParamArena::default();
        let mut expected: Vec<(String, String)> = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            arena.push_pair(k, false, &i.to_string(), PairFlags::default());
            expected.push((k.to_string(), i.to_string()));
        }
        expected.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        arena.sort_canonical();
        let sorted: Vec<(String, String)> = arena
            .iter()
            .map(|p| (p.key.to_owned(), p.value.to_owned()))
            .collect();
        assert_eq!(sorted, expected);
        assert!(arena.iter().all(|p| p.prefix == key_prefix(p.key)));
    }

    /// The flags ride along with their pair through the sort, and cost no room: the record
    /// is the size it was without them (a prefix, three offsets, a bool and padding).
    #[test]
    fn flags_stay_with_their_pair_for_free() {
        let mut arena = ParamArena::default();
        arena.push_pair("B", true, "plain", PairFlags::default());
        arena.push_pair("A", true, "hunter2", PairFlags::SECRET);
        arena.sort_canonical();
        let flags: Vec<(&str, bool)> = arena
            .iter()
            .map(|p| (p.key, p.flags.has(PairFlags::SECRET)))
            .collect();
        assert_eq!(flags, [("A", true), ("B", false)]);
        assert_eq!(
            std::mem::size_of::<PairRange>(),
            std::mem::size_of::<u64>() + 4 * std::mem::size_of::<usize>()
        );
    }
}
