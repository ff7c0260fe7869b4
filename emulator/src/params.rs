//! A call's params as the wire carries them: decoded from the query string and a form
//! body, and looked up by name.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::HashMap;

use crate::limits::MAX_PARAMS;

/// A call's params, decoded: the first [`MAX_PARAMS`] pairs, and whether more followed
/// (such a request is refused, but its `Format` still says how to answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecodedParams {
    pub(crate) params: Vec<(String, String)>,
    /// More than [`MAX_PARAMS`] pairs were sent; `params` holds the first ones only.
    pub(crate) too_many: bool,
}

/// Decodes the params of a call from the query string and a
/// `application/x-www-form-urlencoded` body, merged (query first), in time linear in the
/// input, and stops after [`MAX_PARAMS`] pairs.
///
/// Decoding follows the wire rules, not any client's habits: `+` and `%20` are both a
/// space, hex digits may be lower-case, params come in any order. A key sent twice keeps
/// its first position and takes its last value, so a body value overrides a query one.
pub(crate) fn decode_params(query: &[u8], form_body: &[u8]) -> DecodedParams {
    let mut pairs: Vec<(Cow<'_, str>, Cow<'_, str>)> = form_urlencoded::parse(query)
        .chain(form_urlencoded::parse(form_body))
        .take(MAX_PARAMS + 1)
        .collect();
    let too_many = pairs.len() > MAX_PARAMS;
    pairs.truncate(MAX_PARAMS);

    // Each distinct key once, in first-seen order: (index of its first pair, of its last).
    let mut slots: Vec<(usize, usize)> = Vec::with_capacity(pairs.len());
    let mut slot_of: HashMap<&str, usize> = HashMap::with_capacity(pairs.len());
    for (at, (key, _)) in pairs.iter().enumerate() {
        match slot_of.entry(key.as_ref()) {
            Entry::Occupied(slot) => slots[*slot.get()].1 = at,
            Entry::Vacant(slot) => {
                slot.insert(slots.len());
                slots.push((at, at));
            }
        }
    }
    let params = slots
        .into_iter()
        .map(|(first, last)| (pairs[first].0.to_string(), pairs[last].1.to_string()))
        .collect();
    DecodedParams { params, too_many }
}

/// The pairs of a query string, decoded by the same rules as [`decode_params`], in the order
/// sent and without merging a key sent twice (what a V3 canonical query covers), at most
/// [`MAX_PARAMS`] of them. (A request with more is refused by [`decode_params`]' count before
/// anything looks at these.)
pub(crate) fn decode_query(query: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(query)
        .take(MAX_PARAMS)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The value of `key` (the first one if, against the rules, it appears twice).
pub(crate) fn param<'p>(params: &'p [(String, String)], key: &str) -> Option<&'p str> {
    params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pairs(params: &[(String, String)]) -> Vec<(&str, &str)> {
        params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    #[test]
    fn plus_and_percent_20_are_spaces_and_lower_hex_decodes() {
        let decoded = decode_params(b"B=a+b&A=a%20b%2a%7e%2F", b"");
        assert_eq!(pairs(&decoded.params), [("B", "a b"), ("A", "a b*~/")]);
        assert!(!decoded.too_many);
    }

    #[test]
    fn query_and_body_merge_and_body_wins() {
        let decoded = decode_params(b"Action=X&Version=1", b"Name=%E4%BD%A0&Version=2");
        assert_eq!(
            pairs(&decoded.params),
            [("Action", "X"), ("Version", "2"), ("Name", "你")]
        );
    }

    #[test]
    fn a_query_decodes_pair_by_pair_and_stops_at_the_limit() {
        let query = decode_query(b"B=a+b&A=1&A=%7e2&C");
        let pairs: Vec<(&str, &str)> = query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(pairs, [("B", "a b"), ("A", "1"), ("A", "~2"), ("C", "")]);
        let flood = "K=v&".repeat(MAX_PARAMS + 10);
        assert_eq!(decode_query(flood.as_bytes()).len(), MAX_PARAMS);
    }

    #[test]
    fn a_repeated_key_keeps_its_first_place_and_last_value() {
        let decoded = decode_params(b"A=1&B=1&A=2", b"C=1&A=3&B=2");
        assert_eq!(pairs(&decoded.params), [("A", "3"), ("B", "2"), ("C", "1")]);
    }

    #[test]
    fn more_than_max_params_is_flagged_and_cut() {
        let query: String = (0..MAX_PARAMS)
            .map(|i| format!("K{i}=v&"))
            .collect::<String>()
            + "Format=JSON";
        let decoded = decode_params(query.as_bytes(), b"");
        assert!(decoded.too_many);
        assert_eq!(decoded.params.len(), MAX_PARAMS);
        let exactly: String = (0..MAX_PARAMS).map(|i| format!("K{i}=v&")).collect();
        let decoded = decode_params(exactly.as_bytes(), b"");
        assert!(!decoded.too_many);
        assert_eq!(decoded.params.len(), MAX_PARAMS);
        // A repeated key counts each time it is sent.
        let repeated = "K=v&".repeat(MAX_PARAMS + 1);
        let decoded = decode_params(repeated.as_bytes(), b"");
        assert!(decoded.too_many);
        assert_eq!(decoded.params.len(), 1);
    }

    /// The old de-duplication compared each key with every earlier one: 100,000 distinct
    /// keys took 21 s. Now the decoder stops after `MAX_PARAMS + 1` pairs and each pair costs
    /// one hash lookup, so its work is bounded whatever the input's size.
    #[test]
    fn a_huge_flood_of_distinct_keys_stops_at_the_limit() {
        let body: String = (0..100_000).map(|i| format!("K{i}=v&")).collect();
        let decoded = decode_params(b"", body.as_bytes());
        assert!(decoded.too_many);
        assert_eq!(decoded.params.len(), MAX_PARAMS);
        assert_eq!(
            decoded.params[MAX_PARAMS - 1].0,
            format!("K{}", MAX_PARAMS - 1)
        );
    }

    proptest! {
        /// Any bytes decode without panicking, never into more than [`MAX_PARAMS`] pairs or
        /// more text than came in (decoding only shrinks: `%XX` is one byte; `+` one space;
        /// an invalid UTF-8 byte is replaced by U+FFFD, at most 3 bytes for 1).
        #[test]
        fn any_bytes_decode(query in proptest::collection::vec(any::<u8>(), 0..512),
                            body in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let decoded = decode_params(&query, &body);
            prop_assert!(decoded.params.len() <= MAX_PARAMS);
            let out: usize = decoded.params.iter().map(|(k, v)| k.len() + v.len()).sum();
            prop_assert!(out <= 3 * (query.len() + body.len()));
            let mut keys: Vec<&str> = decoded.params.iter().map(|(k, _)| k.as_str()).collect();
            keys.sort_unstable();
            keys.dedup();
            prop_assert_eq!(keys.len(), decoded.params.len(), "keys are distinct");
        }

        /// Structured input: `&`, `=`, `%`, `+` and a few key names, so keys repeat and
        /// escapes half-form. The result is what the rule says: first position, last value.
        #[test]
        fn decoding_follows_the_merge_rule(
            query in "[AB=&%+2a]{0,40}",
            body in "[AB=&%+2a]{0,40}",
        ) {
            let decoded = decode_params(query.as_bytes(), body.as_bytes());
            let all: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
                .chain(form_urlencoded::parse(body.as_bytes()))
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            let mut expected: Vec<(String, String)> = Vec::new();
            for (k, v) in all {
                match expected.iter_mut().find(|(e, _)| *e == k) {
                    Some(slot) => slot.1 = v,
                    None => expected.push((k, v)),
                }
            }
            prop_assert_eq!(decoded.params, expected);
        }
    }
}
