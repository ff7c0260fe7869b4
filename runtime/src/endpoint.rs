//! Where a call goes, resolved offline and deterministically:
//!
//! 1. the client's endpoint override, if set (the emulator, a VPC endpoint, a proxy);
//! 2. the exceptions table below, for the public network without a suffix;
//! 3. the rule `https://{product}[-{suffix}][-{network}].{region}.aliyuncs.com`, or
//!    `https://{product}[-{suffix}][-{network}].aliyuncs.com` for central products.
//!
//! The product code is lower-cased. The exceptions are products whose host is not their
//! code (`Cms` answers at `metrics.{region}`, `BssOpenApi` at `business.aliyuncs.com`), and
//! ECS regions without an `ecs.{region}` host, taken from the official SDKs' endpoint maps.
//!
//! ```
//! use aliyun_rpc::endpoint::{resolve, resolve_with};
//! use aliyun_rpc::Network;
//!
//! assert_eq!(resolve("Ecs", Some("cn-hangzhou"))?, "https://ecs.cn-hangzhou.aliyuncs.com");
//! assert_eq!(resolve("Ram", Some("cn-hangzhou"))?, "https://ram.aliyuncs.com");
//! assert_eq!(
//!     resolve_with("Ecs", Some("cn-shanghai"), Network::Vpc, None)?,
//!     "https://ecs-vpc.cn-shanghai.aliyuncs.com"
//! );
//! assert!(resolve("Ecs", None).is_err());
//! # Ok::<(), aliyun_rpc::Error>(())
//! ```

use crate::error::Error;
use crate::network::Network;

/// How a product is reached when it is not by the plain regional rule.
enum Exception {
    /// One host for every region.
    Central,
    /// The host's first label is not the product code.
    Renamed(&'static str),
    /// A fixed host.
    Host(&'static str),
}

/// `(product code, region or "*", exception)`, product codes lower-case.
const EXCEPTIONS: &[(&str, &str, Exception)] = &[
    ("ram", "*", Exception::Central),
    ("sts", "*", Exception::Central),
    ("resourcemanager", "*", Exception::Central),
    ("cdn", "*", Exception::Central),
    ("dcdn", "*", Exception::Central),
    ("domain", "*", Exception::Central),
    ("alidns", "*", Exception::Central),
    ("bssopenapi", "*", Exception::Host("business.aliyuncs.com")),
    ("cms", "*", Exception::Renamed("metrics")),
    // ECS regions that have no `ecs.{region}` host (the official ECS SDK's endpoint map).
    (
        "ecs",
        "cn-hangzhou-finance",
        Exception::Host("ecs.aliyuncs.com"),
    ),
    (
        "ecs",
        "cn-shanghai-finance-1",
        Exception::Host("ecs-cn-hangzhou.aliyuncs.com"),
    ),
    (
        "ecs",
        "cn-shenzhen-finance-1",
        Exception::Host("ecs-cn-hangzhou.aliyuncs.com"),
    ),
    (
        "ecs",
        "cn-north-2-gov-1",
        Exception::Host("ecs.aliyuncs.com"),
    ),
    (
        "ecs",
        "cn-beijing-gov-1",
        Exception::Host("ecs.aliyuncs.com"),
    ),
    (
        "ecs",
        "cn-hongkong-finance-pop",
        Exception::Host("ecs.aliyuncs.com"),
    ),
];

/// The endpoint for `product` in `region` on the public network: see the [module docs](self).
pub fn resolve(product: &str, region: Option<&str>) -> Result<String, Error> {
    resolve_with(product, region, Network::Public, None)
}

/// The endpoint for `product` in `region` on `network`, with an optional host `suffix`.
pub fn resolve_with(
    product: &str,
    region: Option<&str>,
    network: Network,
    suffix: Option<&str>,
) -> Result<String, Error> {
    let product = product.to_ascii_lowercase();
    if product.is_empty()
        || !product
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(Error::config(format!(
            "product `{product}` is not a product code like `Ecs`"
        )));
    }
    let region = region.map(str::trim).filter(|r| !r.is_empty());
    if let Some(r) = region {
        check_region(r)?;
    }
    let suffix = suffix.map(str::trim).filter(|s| !s.is_empty());
    let exception = EXCEPTIONS
        .iter()
        .find(|(p, r, _)| *p == product && (*r == "*" || Some(*r) == region))
        .map(|(_, _, e)| e);

    let mut label = match exception {
        Some(Exception::Renamed(name)) => (*name).to_owned(),
        _ => product.clone(),
    };
    if let Some(s) = suffix {
        label.push('-');
        label.push_str(s);
    }
    if let Some(n) = network.host_part() {
        label.push('-');
        label.push_str(n);
    }
    let plain = network == Network::Public && suffix.is_none();
    match (exception, region) {
        (Some(Exception::Host(host)), _) if plain => Ok(format!("https://{host}")),
        (Some(Exception::Central), _) => Ok(format!("https://{label}.aliyuncs.com")),
        (_, Some(region)) => Ok(format!(
            "https://{label}.{}.aliyuncs.com",
            region.to_ascii_lowercase()
        )),
        (_, None) => Err(Error::config(format!(
            "no region for product `{product}`: set one with `ClientBuilder::region` or \
             ALIBABA_CLOUD_REGION_ID, or set an endpoint with `ClientBuilder::endpoint`"
        ))),
    }
}

/// `region` is made of the characters a region id has (`cn-hangzhou`).
fn check_region(region: &str) -> Result<(), Error> {
    if region.is_empty()
        || !region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(Error::config(format!(
            "region `{region}` is not a region id like `cn-hangzhou`"
        )));
    }
    Ok(())
}

/// `https://{product}.{region}.aliyuncs.com` by the rule alone, for a caller that asks for
/// the regional host of a product the exceptions send elsewhere (STS in a chosen region).
pub(crate) fn regional(product: &str, region: &str) -> Result<String, Error> {
    let region = region.trim();
    check_region(region)?;
    Ok(format!(
        "https://{}.{}.aliyuncs.com",
        product.to_ascii_lowercase(),
        region.to_ascii_lowercase()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(product, region, network, suffix, expected)`; expectations from Aliyun's endpoint
    /// documentation and the official SDKs' endpoint rules.
    type Case = (
        &'static str,
        Option<&'static str>,
        Network,
        Option<&'static str>,
        &'static str,
    );

    const CASES: &[Case] = &[
        (
            "Ecs",
            Some("cn-hangzhou"),
            Network::Public,
            None,
            "https://ecs.cn-hangzhou.aliyuncs.com",
        ),
        (
            "Ecs",
            Some("ap-southeast-1"),
            Network::Public,
            None,
            "https://ecs.ap-southeast-1.aliyuncs.com",
        ),
        (
            "ECS",
            Some("CN-Beijing"),
            Network::Public,
            None,
            "https://ecs.cn-beijing.aliyuncs.com",
        ),
        (
            "Ecs",
            Some("cn-shanghai"),
            Network::Vpc,
            None,
            "https://ecs-vpc.cn-shanghai.aliyuncs.com",
        ),
        (
            "Ecs",
            Some("cn-shanghai"),
            Network::Intl,
            None,
            "https://ecs-intl.cn-shanghai.aliyuncs.com",
        ),
        (
            "Ecs",
            Some("cn-shanghai"),
            Network::Share,
            None,
            "https://ecs-share.cn-shanghai.aliyuncs.com",
        ),
        (
            "Ecs",
            Some("cn-shanghai"),
            Network::Vpc,
            Some("inner"),
            "https://ecs-inner-vpc.cn-shanghai.aliyuncs.com",
        ),
        (
            "Ecs",
            Some("cn-hangzhou-finance"),
            Network::Public,
            None,
            "https://ecs.aliyuncs.com",
        ),
        (
            "Ecs",
            Some("cn-shanghai-finance-1"),
            Network::Public,
            None,
            "https://ecs-cn-hangzhou.aliyuncs.com",
        ),
        (
            "Ecs",
            Some("cn-shanghai-finance-1"),
            Network::Vpc,
            None,
            "https://ecs-vpc.cn-shanghai-finance-1.aliyuncs.com",
        ),
        (
            "Vpc",
            Some("cn-hangzhou"),
            Network::Public,
            None,
            "https://vpc.cn-hangzhou.aliyuncs.com",
        ),
        (
            "R-kvstore",
            Some("cn-hangzhou"),
            Network::Public,
            None,
            "https://r-kvstore.cn-hangzhou.aliyuncs.com",
        ),
        (
            "Ram",
            Some("cn-hangzhou"),
            Network::Public,
            None,
            "https://ram.aliyuncs.com",
        ),
        (
            "Ram",
            None,
            Network::Public,
            None,
            "https://ram.aliyuncs.com",
        ),
        (
            "Sts",
            None,
            Network::Public,
            None,
            "https://sts.aliyuncs.com",
        ),
        (
            "Sts",
            Some("cn-hangzhou"),
            Network::Vpc,
            None,
            "https://sts-vpc.aliyuncs.com",
        ),
        (
            "ResourceManager",
            None,
            Network::Public,
            None,
            "https://resourcemanager.aliyuncs.com",
        ),
        (
            "BssOpenApi",
            Some("cn-hangzhou"),
            Network::Public,
            None,
            "https://business.aliyuncs.com",
        ),
        (
            "Cms",
            Some("cn-hangzhou"),
            Network::Public,
            None,
            "https://metrics.cn-hangzhou.aliyuncs.com",
        ),
        (
            "Cms",
            Some("cn-hangzhou"),
            Network::Vpc,
            None,
            "https://metrics-vpc.cn-hangzhou.aliyuncs.com",
        ),
    ];

    #[test]
    fn table() {
        for (product, region, network, suffix, expected) in CASES {
            let got = resolve_with(product, *region, *network, *suffix);
            assert_eq!(
                got.ok().as_deref(),
                Some(*expected),
                "{product} {region:?} {network:?} {suffix:?}"
            );
        }
    }

    #[test]
    fn missing_region_is_a_clear_error() {
        let err = resolve("Ecs", None).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                "configuration: no region for product `ecs`: set one with `ClientBuilder::region` or \
                 ALIBABA_CLOUD_REGION_ID, or set an endpoint with `ClientBuilder::endpoint`"
            )
        );
        assert!(resolve("Ecs", Some("  ")).is_err());
    }

    #[test]
    fn malformed_inputs_are_rejected() {
        assert!(resolve("Ecs", Some("cn-hangzhou.evil.com/")).is_err());
        assert!(resolve("E cs", Some("cn-hangzhou")).is_err());
        assert!(resolve("", Some("cn-hangzhou")).is_err());
    }
}
