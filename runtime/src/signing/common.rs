//! The common params of one signature, made in canonical order so that they merge into the
//! sorted business params without being sorted or copied.

use std::cmp::Ordering;
use std::ops::Range;

use super::arena::{canonical_order, key_prefix, ParamArena};
use super::fast::SignedQuery;
use crate::encoding::is_unreserved;
use crate::format::Format;
use crate::params::PairFlags;
use crate::request::Request;
use crate::wire::{self, param};

/// One common param: its key (unreserved, as all of them are) and the key's sort prefix,
/// its value, and whether the value is known to be unreserved (then encoding skips its scan).
#[derive(Debug, Clone, Copy)]
struct CommonParam<'a> {
    prefix: u64,
    key: &'static str,
    value: &'a str,
    value_unreserved: bool,
}

/// The values of the common params that one signature covers (all but `Signature`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct CommonValues<'a> {
    /// `Format`.
    pub(crate) format: Format,
    /// `AccessKeyId`.
    pub(crate) access_key_id: &'a str,
    /// `SecurityToken`, sent only when there is one.
    pub(crate) security_token: Option<&'a str>,
    /// `SignatureNonce`.
    pub(crate) nonce: &'a str,
    /// `Timestamp`, already formatted.
    pub(crate) timestamp: &'a str,
}

/// The common params of a call to `R`, in canonical order.
pub(super) struct CommonParams<'a> {
    params: [CommonParam<'a>; 9],
    len: usize,
}

impl<'a> CommonParams<'a> {
    pub(super) fn new<R: Request>(values: &CommonValues<'a>) -> Self {
        macro_rules! param {
            ($key:expr, $value:expr, $unreserved:expr) => {
                CommonParam {
                    prefix: const { key_prefix($key) },
                    key: $key,
                    value: $value,
                    value_unreserved: $unreserved,
                }
            };
        }
        let token = values.security_token;
        // In canonical order, as `wire::COMMON_PARAMS` lists them (without `Signature`).
        let mut params = [
            param!(param::ACCESS_KEY_ID, values.access_key_id, false),
            param!(
                param::ACTION,
                R::ACTION,
                (const { is_unreserved(R::ACTION) })
            ),
            param!(param::FORMAT, values.format.as_str(), true),
            param!(param::SECURITY_TOKEN, token.unwrap_or_default(), false),
            param!(param::SIGNATURE_METHOD, wire::SIGNATURE_METHOD, true),
            param!(param::SIGNATURE_NONCE, values.nonce, false),
            param!(param::SIGNATURE_VERSION, wire::SIGNATURE_VERSION, true),
            param!(param::TIMESTAMP, values.timestamp, false),
            param!(
                param::VERSION,
                R::VERSION,
                (const { is_unreserved(R::VERSION) })
            ),
        ];
        // Without STS credentials there is no `SecurityToken` at all.
        let len = if token.is_some() {
            params.len()
        } else {
            params.copy_within(4.., 3);
            params.len() - 1
        };
        CommonParams { params, len }
    }

    fn as_slice(&self) -> &[CommonParam<'a>] {
        self.params.get(..self.len).unwrap_or_default()
    }

    /// The bytes of every key and value, plus `=` and `&` each.
    pub(super) fn text_len(&self) -> usize {
        self.as_slice()
            .iter()
            .map(|c| c.key.len() + c.value.len() + 2)
            .sum()
    }

    /// Writes the sorted `business` params and these into `query`, merged in canonical
    /// order; on equal keys the business param goes first, as a stable sort would put it.
    /// Where each secret business value landed in the output goes into `secrets`.
    pub(super) fn merge_into(
        &self,
        business: &ParamArena,
        query: &mut SignedQuery<'_>,
        secrets: &mut Vec<Range<usize>>,
    ) {
        let common = self.as_slice();
        let mut next = 0;
        for pair in business.iter() {
            while let Some(c) = common.get(next) {
                if canonical_order(c.prefix, c.key.as_bytes(), pair.prefix, pair.key.as_bytes())
                    != Ordering::Less
                {
                    break;
                }
                query.pair_with(c.key, true, c.value, c.value_unreserved);
                next += 1;
            }
            let value = query.pair_with(pair.key, pair.key_unreserved, pair.value, false);
            if pair.flags.has(PairFlags::SECRET) {
                secrets.push(value);
            }
        }
        for c in common.get(next..).unwrap_or_default() {
            query.pair_with(c.key, true, c.value, c.value_unreserved);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::params::ParamWriter;

    struct Req;

    impl Request for Req {
        const PRODUCT: &'static str = "Ecs";
        const VERSION: &'static str = "2014-05-26";
        const ACTION: &'static str = "DescribeRegions";
        type Response = ();
        fn write_params(&self, _: &mut ParamWriter<'_>) {}
        fn validate(&self) -> Result<(), Error> {
            Ok(())
        }
    }

    /// The merge relies on the common params coming sorted, with true prefixes and hints;
    /// with `Signature`, they are the wire's common params.
    #[test]
    fn common_params_are_sorted_with_true_prefixes_and_hints() {
        for (token, count) in [(None, 8), (Some("tok"), 9)] {
            let values = CommonValues {
                format: Format::Json,
                access_key_id: "id",
                security_token: token,
                nonce: "n",
                timestamp: "t",
            };
            let common = CommonParams::new::<Req>(&values);
            let common = common.as_slice();
            assert_eq!(common.len(), count);
            assert!(common.windows(2).all(|w| w[0].key < w[1].key));
            for c in common {
                assert_eq!(c.prefix, key_prefix(c.key), "{}", c.key);
                assert!(is_unreserved(c.key));
                assert!(!c.value_unreserved || is_unreserved(c.value), "{}", c.key);
            }
            let sent = common.iter().find(|c| c.key == param::SECURITY_TOKEN);
            assert_eq!(sent.map(|c| c.value), token);
            if token.is_some() {
                let mut names: Vec<&str> = common.iter().map(|c| c.key).collect();
                names.push(param::SIGNATURE);
                names.sort_unstable();
                assert_eq!(names, wire::COMMON_PARAMS);
            }
        }
    }
}
