//! [`ParamWriter`]: the current key in one reusable buffer, and the finished pairs handed on.

use super::{Flatten, ParamValue};
use crate::encoding::is_unreserved;

/// What the writer knows about a pair besides its text: a few bits, kept by the signer's
/// arena in the record it has per pair anyway.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct PairFlags(u8);

impl PairFlags {
    /// The value is secret ([`ParamValue::is_secret`]): shown as a marker, never as it is.
    pub(crate) const SECRET: PairFlags = PairFlags(1);
    /// The param travels in the form body (metadata `in: formData`), written under
    /// [`ParamWriter::body_field`]. Signature v1 sends every param the same way and ignores
    /// it; V3 sends these in the body and the others in the query.
    pub(crate) const BODY: PairFlags = PairFlags(2);

    /// Every flag of `self` and of `other`.
    #[must_use]
    pub(crate) const fn with(self, other: PairFlags) -> PairFlags {
        PairFlags(self.0 | other.0)
    }

    /// Whether every flag of `other` is set.
    pub(crate) const fn has(self, other: PairFlags) -> bool {
        self.0 & other.0 == other.0
    }

    /// [`SECRET`](Self::SECRET) if `secret`, else no flag.
    pub(crate) const fn secret_if(secret: bool) -> PairFlags {
        if secret {
            PairFlags::SECRET
        } else {
            PairFlags(0)
        }
    }
}

/// Where a [`ParamWriter`] hands finished pairs: the caller's `Vec`, or the signer's arena.
pub(crate) trait PairSink {
    /// Accepts one finished pair, neither string percent-encoded; `key_unreserved` says that
    /// encoding would leave `key` as it is (the writer knows it from how it built the key).
    fn push_pair(&mut self, key: &str, key_unreserved: bool, value: &str, flags: PairFlags);
}

impl PairSink for Vec<(String, String)> {
    fn push_pair(&mut self, key: &str, _key_unreserved: bool, value: &str, _flags: PairFlags) {
        self.push((key.to_owned(), value.to_owned()));
    }
}

/// For tests: the pairs with their flags.
#[cfg(test)]
impl PairSink for Vec<(String, String, PairFlags)> {
    fn push_pair(&mut self, key: &str, _key_unreserved: bool, value: &str, flags: PairFlags) {
        self.push((key.to_owned(), value.to_owned(), flags));
    }
}

/// For tests: what `write` writes, with the flags of each pair.
#[cfg(test)]
pub(crate) fn flagged(
    write: impl FnOnce(&mut ParamWriter<'_>),
) -> Vec<(String, String, PairFlags)> {
    let mut out: Vec<(String, String, PairFlags)> = Vec::new();
    let mut w = ParamWriter::with_buffers(&mut out, String::new(), String::new());
    write(&mut w);
    out
}

/// Writes flattened params as `(key, value)` pairs, tracking the current key.
///
/// The impls `#[derive(Request)]` and `#[derive(Params)]` generate write each struct field
/// through [`field`](Self::field); container impls of [`Flatten`] call [`index`](Self::index) and
/// [`entry`](Self::entry); leaf values end in [`value`](Self::value).
///
/// ```
/// use aliyun_rpc::params::ParamWriter;
///
/// let mut out: Vec<(String, String)> = Vec::new();
/// let mut w = ParamWriter::new(&mut out);
/// w.field("RegionId", "cn-hangzhou");
/// w.field("InstanceId", &vec!["i-1", "i-2"]);
/// assert_eq!(out, [
///     ("RegionId".to_owned(), "cn-hangzhou".to_owned()),
///     ("InstanceId.1".to_owned(), "i-1".to_owned()),
///     ("InstanceId.2".to_owned(), "i-2".to_owned()),
/// ]);
/// ```
pub struct ParamWriter<'a> {
    sink: &'a mut dyn PairSink,
    key: String,
    /// Whether every segment of `key` is unreserved, so that signing can skip its scan.
    key_unreserved: bool,
    /// The flags of every pair written now: [`PairFlags::BODY`] under a body field.
    flags: PairFlags,
    value: String,
}

impl std::fmt::Debug for ParamWriter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParamWriter")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl<'a> ParamWriter<'a> {
    /// A writer at the top level (empty key) that appends every pair to `out`.
    pub fn new(out: &'a mut Vec<(String, String)>) -> Self {
        ParamWriter::with_buffers(out, String::with_capacity(64), String::with_capacity(64))
    }

    /// A writer into `sink` that works in `key` and `value` (cleared first), handed back by
    /// [`into_buffers`](Self::into_buffers) so that their capacity can be reused.
    pub(crate) fn with_buffers(sink: &'a mut dyn PairSink, key: String, value: String) -> Self {
        let (mut key, mut value) = (key, value);
        key.clear();
        value.clear();
        ParamWriter {
            sink,
            key,
            key_unreserved: true,
            flags: PairFlags::default(),
            value,
        }
    }

    /// The key and value buffers, for the next [`with_buffers`](Self::with_buffers).
    pub(crate) fn into_buffers(self) -> (String, String) {
        (self.key, self.value)
    }

    /// The key the next [`value`](Self::value) is written under.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Writes `value` under `name` (joined to the current key with `.`).
    pub fn field<T: Flatten + ?Sized>(&mut self, name: &str, value: &T) {
        let mark = push_segment(&mut self.key, name);
        let outer = self.key_unreserved;
        // Checked here, once per name, so that signing need not scan every key it makes.
        self.key_unreserved = outer && is_unreserved(name);
        Flatten::flatten(value, self);
        self.key.truncate(mark);
        self.key_unreserved = outer;
    }

    /// [`field`](Self::field) for a param that travels in the form body (Aliyun's metadata
    /// says `in: formData`): every pair written under it is flagged so. Signature v1 sends
    /// all params alike, so only V3 sends these differently. `#[rpc(body)]` fields are
    /// written with it.
    ///
    /// ```
    /// use aliyun_rpc::params::ParamWriter;
    ///
    /// let mut out: Vec<(String, String)> = Vec::new();
    /// let mut w = ParamWriter::new(&mut out);
    /// w.body_field("ListenerDescription", "web");
    /// assert_eq!(out, [("ListenerDescription".to_owned(), "web".to_owned())]);
    /// ```
    pub fn body_field<T: Flatten + ?Sized>(&mut self, name: &str, value: &T) {
        self.in_body(|w| w.field(name, value));
    }

    /// Runs `write` with every pair it writes flagged [`PairFlags::BODY`].
    pub(crate) fn in_body(&mut self, write: impl FnOnce(&mut Self)) {
        let outer = self.flags;
        self.flags = outer.with(PairFlags::BODY);
        write(self);
        self.flags = outer;
    }

    /// Writes `value` under the 1-based list index `index`.
    pub fn index<T: Flatten + ?Sized>(&mut self, index: usize, value: &T) {
        let mark = push_index(&mut self.key, index);
        Flatten::flatten(value, self);
        self.key.truncate(mark);
    }

    /// Writes `value` under the map key `key`.
    pub fn entry<T: Flatten + ?Sized>(&mut self, key: &str, value: &T) {
        self.field(key, value);
    }

    /// Emits one pair: the current key and `value`'s wire form, flagged secret when the
    /// value [is](ParamValue::is_secret).
    pub fn value<V: ParamValue + ?Sized>(&mut self, value: &V) {
        let flags = self.flags.with(PairFlags::secret_if(value.is_secret()));
        if let Some(text) = value.as_wire_str() {
            self.sink
                .push_pair(&self.key, self.key_unreserved, text, flags);
            return;
        }
        self.value.clear();
        value.write_value(&mut self.value);
        self.sink
            .push_pair(&self.key, self.key_unreserved, &self.value, flags);
    }

    /// Emits one pair under `name` whose value `write` builds in the writer's (cleared)
    /// value buffer, flagged as `write` says, or nothing when it says `None`: for values made
    /// of several parts, such as a comma-joined list, without a buffer of their own.
    pub(crate) fn field_with(
        &mut self,
        name: &str,
        write: impl FnOnce(&mut String) -> Option<PairFlags>,
    ) {
        self.value.clear();
        let Some(flags) = write(&mut self.value) else {
            return;
        };
        let flags = self.flags.with(flags);
        let mark = push_segment(&mut self.key, name);
        let unreserved = self.key_unreserved && is_unreserved(name);
        self.sink
            .push_pair(&self.key, unreserved, &self.value, flags);
        self.key.truncate(mark);
    }

    /// Emits one pair with an already formatted value (not secret: write a
    /// [`Secret`](super::Secret) with [`value`](Self::value)).
    pub fn raw(&mut self, value: &str) {
        self.sink
            .push_pair(&self.key, self.key_unreserved, value, self.flags);
    }
}

/// Appends `.segment` (or `segment` at the top level) and returns the length to truncate back to.
fn push_segment(key: &mut String, segment: &str) -> usize {
    let mark = key.len();
    if mark != 0 {
        key.push('.');
    }
    key.push_str(segment);
    mark
}

/// Appends `.index` (or `index` at the top level) and returns the length to truncate back to.
fn push_index(key: &mut String, index: usize) -> usize {
    let mark = key.len();
    if mark != 0 {
        key.push('.');
    }
    push_decimal(key, index as u128);
    mark
}

/// Appends `n` in decimal, without going through `fmt` (list indices are on the hot path).
pub(super) fn push_decimal(out: &mut String, mut n: u128) {
    let mut digits = [0u8; 39];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(d as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Secret;

    #[test]
    fn secret_values_are_flagged_wherever_they_sit() {
        let secret = Secret::new("hunter2");
        let pairs = flagged(|w| {
            w.field("A", "plain");
            w.field("Password", &secret);
            w.field("Maybe", &Some(Secret::new(7u8)));
            w.field("List", &vec![Secret::new("x")]);
            w.raw("raw");
        });
        let secret_keys: Vec<(&str, bool)> = pairs
            .iter()
            .map(|(k, _, f)| (k.as_str(), f.has(PairFlags::SECRET)))
            .collect();
        assert_eq!(
            secret_keys,
            [
                ("A", false),
                ("Password", true),
                ("Maybe", true),
                ("List.1", true),
                ("", false)
            ]
        );
        assert_eq!(pairs[1].1, "hunter2", "sent as it is");
    }

    #[test]
    fn pairs_under_a_body_field_are_flagged_body() {
        let pairs = flagged(|w| {
            w.field("Query", "q");
            w.body_field("Tag", &vec![Some("a"), None, Some("c")]);
            w.body_field("Password", &Secret::new("p"));
            w.field("After", &1u8);
            w.in_body(|w| {
                w.field("Nested", "n");
                w.raw("raw");
            });
        });
        let shown: Vec<(&str, bool, bool)> = pairs
            .iter()
            .map(|(k, _, f)| (k.as_str(), f.has(PairFlags::BODY), f.has(PairFlags::SECRET)))
            .collect();
        assert_eq!(
            shown,
            [
                ("Query", false, false),
                ("Tag.1", true, false),
                ("Tag.3", true, false),
                ("Password", true, true),
                ("After", false, false),
                ("Nested", true, false),
                ("", true, false),
            ]
        );
    }
}
