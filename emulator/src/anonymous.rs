//! The actions a caller may send without a signature: STS `AssumeRoleWithOIDC`, whose caller
//! proves who it is with an OIDC token instead of a key. The list is fixed and narrow; every
//! other call goes through the signature checks.
//!
//! How Aliyun treats an anonymous action that does come signed is not documented; the
//! emulator's best reading: the same, its `AccessKeyId` and `Signature` neither required nor
//! checked, its `SignatureNonce` not remembered.

use crate::params::param;
use crate::wire;

/// `(Version, Action)` of every anonymous action.
const ANONYMOUS: [(&str, &str); 1] = [(crate::sts::VERSION, "AssumeRoleWithOIDC")];

/// The `Version` and `Action` of a call to an anonymous action, or `None` for any other call.
pub(crate) fn anonymous_action(params: &[(String, String)]) -> Option<(&str, &str)> {
    let version = param(params, wire::param::VERSION)?;
    let action = param(params, wire::param::ACTION)?;
    ANONYMOUS
        .iter()
        .any(|&(v, a)| v == version && a == action)
        .then_some((version, action))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn only_the_listed_actions_of_their_version() {
        let oidc = params(&[("Action", "AssumeRoleWithOIDC"), ("Version", "2015-04-01")]);
        assert_eq!(
            anonymous_action(&oidc),
            Some(("2015-04-01", "AssumeRoleWithOIDC"))
        );
        for other in [
            params(&[("Action", "AssumeRole"), ("Version", "2015-04-01")]),
            params(&[("Action", "AssumeRoleWithOIDC"), ("Version", "2014-05-26")]),
            params(&[("Action", "AssumeRoleWithOIDC")]),
            params(&[("Action", "assumerolewithoidc"), ("Version", "2015-04-01")]),
        ] {
            assert_eq!(anonymous_action(&other), None, "{other:?}");
        }
    }
}
