//! Fresh identifiers: request ids, and the random strings that issued keys, tokens and
//! resource ids are made of.

/// A fresh request id: a UUID v4, upper-case, as Aliyun's.
pub(crate) fn new_request_id() -> String {
    uuid::Uuid::new_v4()
        .hyphenated()
        .encode_upper(&mut uuid::Uuid::encode_buffer())
        .to_owned()
}

/// `len` random characters of `A-Z a-z 0-9`.
pub(crate) fn random_alphanumeric(len: usize) -> String {
    std::iter::repeat_with(fastrand::alphanumeric)
        .take(len)
        .collect()
}

/// `len` random decimal digits.
pub(crate) fn random_digits(len: usize) -> String {
    std::iter::repeat_with(|| fastrand::digit(10))
        .take(len)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_id_is_upper_case_uuid_v4() {
        let id = new_request_id();
        assert_eq!(id.len(), 36);
        assert_eq!(id, id.to_uppercase());
        assert_eq!(&id[14..15], "4");
    }

    #[test]
    fn random_strings_have_their_length_and_alphabet() {
        let text = random_alphanumeric(44);
        assert_eq!(text.len(), 44);
        assert!(text.bytes().all(|b| b.is_ascii_alphanumeric()), "{text}");
        let digits = random_digits(17);
        assert_eq!(digits.len(), 17);
        assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{digits}");
    }
}
