//! A call's params as the wire carries them: decoded from the query string and a form
//! body, and looked up by name.

/// Decodes the params of a call from the query string and a
/// `application/x-www-form-urlencoded` body, merged (query first).
///
/// Decoding follows the wire rules, not any client's habits: `+` and `%20` are both a
/// space, hex digits may be lower-case, params come in any order. A key sent twice keeps
/// its first position and takes its last value, so a body value overrides a query one.
pub(crate) fn decode_params(query: &[u8], form_body: &[u8]) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = Vec::new();
    for (key, value) in form_urlencoded::parse(query).chain(form_urlencoded::parse(form_body)) {
        match params.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value.into_owned(),
            None => params.push((key.into_owned(), value.into_owned())),
        }
    }
    params
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

    fn pairs(params: &[(String, String)]) -> Vec<(&str, &str)> {
        params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    #[test]
    fn plus_and_percent_20_are_spaces_and_lower_hex_decodes() {
        let params = decode_params(b"B=a+b&A=a%20b%2a%7e%2F", b"");
        assert_eq!(pairs(&params), [("B", "a b"), ("A", "a b*~/")]);
    }

    #[test]
    fn query_and_body_merge_and_body_wins() {
        let params = decode_params(b"Action=X&Version=1", b"Name=%E4%BD%A0&Version=2");
        assert_eq!(
            pairs(&params),
            [("Action", "X"), ("Version", "2"), ("Name", "你")]
        );
    }
}
