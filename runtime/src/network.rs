//! [`Network`]: which of a product's endpoints a client reaches (public, VPC, …); the rule
//! that turns it into a host is in [`endpoint`](crate::endpoint).

/// The network an endpoint serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Network {
    /// The internet (the default): no network part in the host.
    #[default]
    Public,
    /// From inside a VPC: `{product}-vpc.{region}.aliyuncs.com`.
    Vpc,
    /// The international site: `{product}-intl.{region}.aliyuncs.com`.
    Intl,
    /// Shared endpoints: `{product}-share.{region}.aliyuncs.com`.
    Share,
}

impl Network {
    /// The host part (`vpc`, `intl`, `share`), or `None` for the public network.
    pub const fn host_part(self) -> Option<&'static str> {
        match self {
            Network::Public => None,
            Network::Vpc => Some("vpc"),
            Network::Intl => Some("intl"),
            Network::Share => Some("share"),
        }
    }
}
