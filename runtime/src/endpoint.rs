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
//! Every piece that goes into a host (the product, the region, the suffix, the network) must
//! be one DNS label: letters, digits and `-`, at most 63, not starting or ending with `-`.
//! Anything else (`x@evil.com/`, `a.b`, an empty piece) is a configuration error, so no
//! value can move the request to another host. An endpoint override must be a bare
//! `scheme://host[:port]` (`http` or `https`, an optional trailing `/`): user-info, a path,
//! a query or a fragment are refused, and user-info is never echoed back.
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
use crate::untrusted::{bound, Escaped};

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
    check_label("product", "a product code like `Ecs`", &product)?;
    let region = region.map(str::trim).filter(|r| !r.is_empty());
    if let Some(r) = region {
        check_region(r)?;
    }
    let suffix = suffix.map(str::trim).filter(|s| !s.is_empty());
    if let Some(s) = suffix {
        check_suffix(s)?;
    }
    if let Some(n) = network.host_part() {
        check_label("network", "a network like `vpc`", n)?;
    }
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

/// `region` is one DNS label, as a region id is (`cn-hangzhou`).
pub(crate) fn check_region(region: &str) -> Result<(), Error> {
    check_label("region", "a region id like `cn-hangzhou`", region)
}

/// `suffix` is one DNS label (`inner`).
pub(crate) fn check_suffix(suffix: &str) -> Result<(), Error> {
    check_label("endpoint suffix", "one DNS label like `inner`", suffix)
}

/// Whether `label` is one DNS label: 1 to 63 letters, digits and `-`, not starting or ending
/// with `-`.
fn is_dns_label(label: &str) -> bool {
    let b = label.as_bytes();
    (1..=63).contains(&b.len())
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        && b.first() != Some(&b'-')
        && b.last() != Some(&b'-')
}

/// An [`Error::Config`] unless `value` (the `what` of a host) is a DNS label.
fn check_label(what: &str, like: &str, value: &str) -> Result<(), Error> {
    if is_dns_label(value) {
        return Ok(());
    }
    Err(Error::config(format!(
        "{what} `{}` is not {like}: a host label is 1 to 63 letters, digits and `-`, not \
         starting or ending with `-`",
        Escaped(&bound(value, 128))
    )))
}

/// The endpoint override `endpoint` as `scheme://host[:port]` (no trailing `/`), or what is
/// wrong with it. A bare host gets `https://`. The error never repeats user-info.
pub(crate) fn parse_override(endpoint: &str) -> Result<String, Error> {
    const LIKE: &str = "an endpoint is `scheme://host[:port]`, like `https://ecs.aliyuncs.com`";
    let endpoint = endpoint.trim();
    let (scheme, rest) = match endpoint.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None => ("https".to_owned(), endpoint),
    };
    let (authority, tail) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    // User-info first: nothing of it may be repeated, in this message or any other.
    if let Some((_, host)) = authority.rsplit_once('@') {
        return Err(Error::config(format!(
            "endpoint `{}://…@{}` has user-info before its host; credentials in an \
             endpoint are never sent: remove them ({LIKE})",
            Escaped(&bound(&scheme, 32)),
            Escaped(&bound(host, 256))
        )));
    }
    let shown = || {
        format!(
            "{}://{}",
            Escaped(&bound(&scheme, 32)),
            Escaped(&bound(authority, 256))
        )
    };
    if scheme != "http" && scheme != "https" {
        return Err(Error::config(format!(
            "endpoint `{}` has the scheme `{}`; expected `http` or `https` ({LIKE})",
            shown(),
            Escaped(&bound(&scheme, 32))
        )));
    }
    let tail = tail.strip_prefix('/').unwrap_or(tail);
    let extra = if tail.starts_with('?') {
        Some("a query")
    } else if tail.starts_with('#') {
        Some("a fragment")
    } else if !tail.is_empty() {
        Some("a path")
    } else {
        None
    };
    if let Some(extra) = extra {
        return Err(Error::config(format!(
            "endpoint `{}` has {extra} after its host, which would swallow or move the signed \
             params ({LIKE})",
            shown()
        )));
    }
    let (host, port) = split_host_port(authority);
    let host_ok = match host.strip_prefix('[') {
        Some(v6) => v6
            .strip_suffix(']')
            .is_some_and(|ip| ip.parse::<std::net::Ipv6Addr>().is_ok()),
        None => {
            !host.is_empty()
                && host.split('.').all(|label| {
                    !label.is_empty()
                        && label
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                })
        }
    };
    let port_ok = port.is_none_or(|p| {
        !p.is_empty()
            && p.len() <= 5
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u16>().is_ok()
    });
    if !host_ok || !port_ok {
        let what = if host.is_empty() {
            "has no host".to_owned()
        } else if !host_ok {
            "has a host that is not a host name or an IP address".to_owned()
        } else {
            "has a port that is not a number from 0 to 65535".to_owned()
        };
        return Err(Error::config(format!(
            "endpoint `{}` {what} ({LIKE})",
            shown()
        )));
    }
    let normalized = format!("{scheme}://{authority}");
    match reqwest::Url::parse(&normalized) {
        Ok(url) if url.host().is_some() => Ok(normalized),
        _ => Err(Error::config(format!(
            "endpoint `{}` is not a URL ({LIKE})",
            shown()
        ))),
    }
}

/// The `host` header an HTTP client sends for `base` (`scheme://host[:port]`): the host as
/// the URL parser normalises it (lower case, IPv4 and IPv6 in their canonical form), and
/// `:port` unless it is the scheme's default. Signature V3 signs this value, so it must be
/// the one that reaches the server.
pub(crate) fn host_header(base: &str) -> Result<String, Error> {
    let url = reqwest::Url::parse(base).map_err(|e| {
        Error::config(format!(
            "endpoint `{}` is not a URL: {e}",
            Escaped(&bound(base, 256))
        ))
    })?;
    let host = url.host_str().ok_or_else(|| {
        Error::config(format!(
            "endpoint `{}` has no host",
            Escaped(&bound(base, 256))
        ))
    })?;
    Ok(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

/// `host` and `port` of `host[:port]` or `[v6][:port]`.
fn split_host_port(authority: &str) -> (&str, Option<&str>) {
    if authority.starts_with('[') {
        return match authority.find(']') {
            Some(end) => {
                let (host, rest) = authority.split_at(end + 1);
                (
                    host,
                    rest.strip_prefix(':')
                        .or(Some(rest).filter(|r| !r.is_empty())),
                )
            }
            None => (authority, None),
        };
    }
    match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    }
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

/// The regions the endpoint rules know: every region of ECS's endpoint list in the vendored
/// API metadata (`metadata/data/ecs-2014-05-26.json`, its `endpoints`), sorted. A test pins
/// this table to that file, so a refresh of the metadata that adds a region fails until the
/// table follows. A region outside it still works (Aliyun opens regions faster than any
/// table), but a client whose endpoint is derived from it logs a warning when it is built.
pub const KNOWN_REGIONS: &[&str] = &[
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "cn-beijing",
    "cn-beijing-finance-1",
    "cn-chengdu",
    "cn-fuzhou",
    "cn-guangzhou",
    "cn-hangzhou",
    "cn-hangzhou-finance",
    "cn-heyuan",
    "cn-hongkong",
    "cn-huhehaote",
    "cn-nanjing",
    "cn-qingdao",
    "cn-shanghai",
    "cn-shanghai-finance-1",
    "cn-shenzhen",
    "cn-shenzhen-finance-1",
    "cn-wuhan-lr",
    "cn-wulanchabu",
    "cn-zhangjiakou",
    "cn-zhengzhou-jva",
    "eu-central-1",
    "eu-west-1",
    "me-central-1",
    "me-east-1",
    "us-east-1",
    "us-west-1",
];

/// Whether `region` (any case) is one of [`KNOWN_REGIONS`], or a region the exceptions table
/// names.
///
/// ```
/// use aliyun_rpc::endpoint::is_known_region;
///
/// assert!(is_known_region("cn-hangzhou") && is_known_region("AP-Southeast-1"));
/// assert!(!is_known_region("cn-hangzou"));
/// ```
pub fn is_known_region(region: &str) -> bool {
    let region = region.trim();
    KNOWN_REGIONS.iter().any(|r| r.eq_ignore_ascii_case(region))
        || EXCEPTIONS
            .iter()
            .any(|(_, r, _)| *r != "*" && r.eq_ignore_ascii_case(region))
}

/// Whether the host of `base` (`scheme://host[:port]`) is a loopback address: `127.0.0.0/8`,
/// `::1` (also IPv4-mapped), `localhost` or a name under `.localhost`. Such an endpoint is
/// reached without a proxy.
pub(crate) fn is_loopback(base: &str) -> bool {
    let Ok(url) = reqwest::Url::parse(base) else {
        return false;
    };
    let Some(host) = url.host_str() else {
        return false;
    };
    match host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>()
    {
        Ok(std::net::IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(std::net::IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => {
            let name = host.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
    }
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

    /// Every piece of a host is one DNS label: hostile values are configuration errors that
    /// name the piece, never a request to another host.
    #[test]
    fn host_pieces_must_be_dns_labels() {
        let long = "a".repeat(64);
        for bad in [
            "x@evil.com/",
            "a.b",
            "evil.com#",
            "-vpc",
            "vpc-",
            "in ner",
            "a/b",
            "a\u{1b}[31m",
            long.as_str(),
            "é",
        ] {
            for (what, result) in [
                (
                    "region",
                    resolve_with("Ecs", Some(bad), Network::Public, None),
                ),
                (
                    "endpoint suffix",
                    resolve_with("Ecs", Some("cn-hangzhou"), Network::Public, Some(bad)),
                ),
                (
                    "product",
                    resolve_with(bad, Some("cn-hangzhou"), Network::Public, None),
                ),
            ] {
                match result {
                    Err(Error::Config { message, .. }) => {
                        assert!(message.starts_with(what), "{bad:?}: {message}");
                        assert!(!message.contains('\u{1b}'), "{message}");
                    }
                    other => panic!("{what} {bad:?}: {other:?}"),
                }
            }
        }
        let longest = "a".repeat(63);
        assert!(resolve_with("Ecs", Some(&longest), Network::Public, Some("x-1")).is_ok());
    }

    /// `(input, Ok(normalized) | Err(part of the message))`.
    const OVERRIDES: &[(&str, Result<&str, &str>)] = &[
        ("https://ecs.aliyuncs.com", Ok("https://ecs.aliyuncs.com")),
        ("https://ecs.aliyuncs.com/", Ok("https://ecs.aliyuncs.com")),
        ("  http://127.0.0.1:8080/ ", Ok("http://127.0.0.1:8080")),
        ("HTTP://[::1]:9", Ok("http://[::1]:9")),
        (
            "ecs.cn-hangzhou.aliyuncs.com",
            Ok("https://ecs.cn-hangzhou.aliyuncs.com"),
        ),
        ("my_proxy.internal:443", Ok("https://my_proxy.internal:443")),
        ("x@evil.com/", Err("has user-info before its host")),
        (
            "https://alice:hunter2@host",
            Err("has user-info before its host"),
        ),
        (
            "https://alice:hunter2@host/path?q#f",
            Err("has user-info before its host"),
        ),
        ("alice@evil.com", Err("has user-info before its host")),
        ("https://h/?a=b", Err("has a query after its host")),
        ("https://h?a=b", Err("has a query after its host")),
        ("https://h/?", Err("has a query after its host")),
        ("https://h/#f", Err("has a fragment after its host")),
        ("evil.com#", Err("has a fragment after its host")),
        ("https://h/path", Err("has a path after its host")),
        ("https://h//", Err("has a path after its host")),
        ("https://", Err("has no host")),
        ("https:///", Err("has no host")),
        ("https://:80", Err("has no host")),
        ("", Err("has no host")),
        ("https://h:99999", Err("has a port that is not a number")),
        ("https://h:", Err("has a port that is not a number")),
        ("https://h:8a", Err("has a port that is not a number")),
        ("https://a b", Err("has a host that is not a host name")),
        ("https://a..b", Err("has a host that is not a host name")),
        ("https://evil.com\\@good.com", Err("has user-info")),
        (
            "https://evil.com\\.good.com",
            Err("has a host that is not a host name"),
        ),
        ("https://[zz]:1", Err("has a host that is not a host name")),
        ("ftp://h", Err("has the scheme `ftp`")),
        ("https://h\u{1b}[31m", Err("has a host that is not")),
        ("\u{1b}[31m://h", Err("has the scheme `\\u{1b}[31m`")),
        ("\u{c}/://", Err("has the scheme")),
        ("\u{1b}://a@h", Err("has user-info")),
    ];

    #[test]
    fn endpoint_overrides_are_bare_hosts() {
        for (input, expected) in OVERRIDES {
            match (parse_override(input), expected) {
                (Ok(got), Ok(want)) => assert_eq!(got, *want, "{input:?}"),
                (Err(Error::Config { message, .. }), Err(want)) => {
                    assert!(message.contains(want), "{input:?}: {message}");
                    for secret in ["alice", "hunter2"] {
                        assert!(!message.contains(secret), "{input:?}: {message}");
                    }
                    assert!(!message.contains('\u{1b}'), "{input:?}: {message}");
                }
                (got, _) => panic!("{input:?}: {got:?}, expected {expected:?}"),
            }
        }
    }

    /// The table is the vendored ECS metadata's regions, no more and no fewer.
    #[test]
    fn known_regions_are_the_vendored_ecs_metadata_regions() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../metadata/data/ecs-2014-05-26.json"
        );
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let doc: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut regions: Vec<&str> = doc["endpoints"]
            .as_array()
            .unwrap_or_else(|| panic!("{path}: no `endpoints` list"))
            .iter()
            .filter_map(|e| e["regionId"].as_str())
            .collect();
        regions.sort_unstable();
        regions.dedup();
        assert!(regions.len() > 20, "{regions:?}");
        assert_eq!(KNOWN_REGIONS, regions.as_slice());
        assert!(is_known_region("cn-north-2-gov-1")); // from the exceptions table
        assert!(!is_known_region("cn-hangzou") && !is_known_region(""));
    }

    #[test]
    fn loopback_endpoints_are_recognised() {
        for base in [
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://[::1]:9",
            "http://[::ffff:127.0.0.1]:9",
            "http://localhost:1",
            "http://LOCALHOST.",
            "http://emu.localhost",
        ] {
            assert!(is_loopback(base), "{base}");
        }
        for base in [
            "https://ecs.cn-hangzhou.aliyuncs.com",
            "http://10.0.0.1",
            "http://[::2]",
            "http://localhost.example.com",
            "http://128.0.0.1",
            "not a url",
        ] {
            assert!(!is_loopback(base), "{base}");
        }
    }
}
