//! [`SignatureVersion`]: which of Aliyun's two signatures a client sends.

use std::fmt;

/// How a [`Client`](crate::Client) signs its calls, set with
/// [`ClientBuilder::signature_version`](crate::ClientBuilder::signature_version).
///
/// - [`V1`](Self::V1) (the default): signature version 1.0, HMAC-SHA1. Every param travels
///   in the query (`GET`) or the form body (`POST`), with the common params `Action`,
///   `Version`, `Format`, `AccessKeyId`, `SignatureMethod`, `SignatureVersion`,
///   `SignatureNonce`, `Timestamp` (and `SecurityToken` with STS credentials) and the
///   `Signature`.
/// - [`V3`](Self::V3): `ACS3-HMAC-SHA256`, what Aliyun recommends and what its current
///   official SDKs send by default. No common params: the call is described by headers
///   (`host`, `x-acs-action`, `x-acs-version`, `x-acs-date`, `x-acs-signature-nonce`,
///   `x-acs-content-sha256`, and `x-acs-security-token` with `x-acs-accesskey-id` for STS
///   credentials) and signed in an `Authorization` header; business params travel in the
///   query, except `#[rpc(body)]` params, which a `POST` sends in a form body.
///
/// **Why v1 stays the default for now.** Every RPC endpoint accepts v1, and this crate's v1
/// signer is pinned to Aliyun's own worked example and to vectors from the official v1
/// signer, checked on every build. The V3 signer is pinned to Aliyun's documented V3 example
/// and to the official SDK utils' test vectors too, and its calls are verified by the bundled
/// emulator, against which Aliyun's official Python and Node SDKs also pass; but it is new
/// in this release, and some of what the emulator checks for V3 (the order of its checks,
/// its error codes for a bad body hash or an unknown algorithm, choosing XML through
/// `Accept`) is our best reading of Aliyun's documents rather than observed behaviour of
/// the live service. V3 is expected to become the default once it has been exercised against
/// the live service; choosing it now is a one-line change:
///
/// ```
/// use aliyun_rpc::client::SignatureVersion;
/// use aliyun_rpc::{Client, Credentials};
///
/// let client = Client::builder()
///     .region("cn-hangzhou")
///     .credentials(Credentials::new("LTAI5tExample", "secret"))
///     .signature_version(SignatureVersion::V3)
///     .build()?;
/// assert_eq!(SignatureVersion::default(), SignatureVersion::V1);
/// assert_eq!(SignatureVersion::V3.to_string(), "ACS3-HMAC-SHA256");
/// # Ok::<(), aliyun_rpc::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SignatureVersion {
    /// Signature version 1.0: HMAC-SHA1 over the canonical query, sent as the `Signature`
    /// param (the default).
    #[default]
    V1,
    /// Signature V3: `ACS3-HMAC-SHA256` over the canonical request, sent in the
    /// `Authorization` header.
    V3,
}

impl SignatureVersion {
    /// The algorithm's name: `HMAC-SHA1` or `ACS3-HMAC-SHA256`.
    pub const fn as_str(self) -> &'static str {
        match self {
            SignatureVersion::V1 => crate::wire::SIGNATURE_METHOD,
            SignatureVersion::V3 => crate::signing::v3::ALGORITHM,
        }
    }
}

impl fmt::Display for SignatureVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
