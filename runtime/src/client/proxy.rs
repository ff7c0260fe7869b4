//! Which proxy a client's calls go through: the environment's (reqwest's defaults), one the
//! builder names, or none; and the rule that a loopback endpoint is reached directly.

use std::fmt;

use crate::untrusted::{bound, Escaped};

/// The proxy choice a [`ClientBuilder`](crate::ClientBuilder) keeps.
#[derive(Clone, Debug, Default)]
pub(super) enum ProxyChoice {
    /// reqwest's defaults: `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` (or their
    /// lower-case forms) — but never for a loopback endpoint.
    #[default]
    Environment,
    /// No proxy at all, whatever the environment says.
    Off,
    /// Every call through this proxy, whatever the endpoint and the environment.
    Url(ProxyUrl),
}

/// A proxy URL, checked. `Debug` shows it with any user-info replaced by `***`.
#[derive(Clone)]
pub(super) struct ProxyUrl {
    url: reqwest::Url,
}

impl fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&shown(&self.url))
    }
}

impl ProxyUrl {
    /// `proxy` as an `http://` or `https://` proxy URL (`host[:port]` alone gets `http://`),
    /// or why not; the message never repeats the user-info.
    pub(super) fn parse(proxy: &str) -> Result<ProxyUrl, String> {
        let proxy = proxy.trim();
        let with_scheme = if proxy.contains("://") {
            proxy.to_owned()
        } else {
            format!("http://{proxy}")
        };
        let url = reqwest::Url::parse(&with_scheme).map_err(|e| {
            format!(
                "proxy `{}` is not a URL ({e}); expected `http://host:port`, optionally with \
                 `user:password@` before the host",
                shown_unparsed(&with_scheme)
            )
        })?;
        let refuse = |what: &str| format!("proxy `{}` {what}", shown(&url));
        match url.scheme() {
            "http" | "https" => {}
            other => {
                return Err(refuse(&format!(
                    "has the scheme `{}`; expected `http` or `https` (the client speaks HTTP \
                     CONNECT to its proxy)",
                    Escaped(&bound(other, 32))
                )))
            }
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(refuse("has no host"));
        }
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(refuse(
                "has a path, a query or a fragment; a proxy is `scheme://[user:password@]host[:port]`",
            ));
        }
        Ok(ProxyUrl { url })
    }

    /// The reqwest proxy for every scheme, with the URL's user-info as basic authentication.
    pub(super) fn to_reqwest(&self) -> Result<reqwest::Proxy, String> {
        reqwest::Proxy::all(self.url.clone())
            .map_err(|e| format!("proxy `{}`: {}", shown(&self.url), e.without_url()))
    }
}

/// `url` with its user-info, if any, replaced by `***`.
fn shown(url: &reqwest::Url) -> String {
    let mut url = url.clone();
    if !url.username().is_empty() || url.password().is_some() {
        // Neither can fail for a URL with a host, which every proxy URL here has.
        let _ = url.set_username("***");
        let _ = url.set_password(None);
    }
    Escaped(&bound(url.as_str(), 256)).to_string()
}

/// Text that did not parse as a URL, without anything before an `@`.
fn shown_unparsed(text: &str) -> String {
    let shown = match text.rsplit_once('@') {
        Some((before, host)) => {
            let scheme = before.split_once("://").map_or("", |(s, _)| s);
            format!("{scheme}://***@{host}")
        }
        None => text.to_owned(),
    };
    Escaped(&bound(&shown, 256)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_urls_are_checked_and_never_show_their_credentials() {
        let ok = ProxyUrl::parse("http://alice:hunter2@proxy.corp:3128");
        match ok {
            Ok(p) => assert_eq!(format!("{p:?}"), "http://***@proxy.corp:3128/"),
            Err(e) => panic!("{e}"),
        }
        match ProxyUrl::parse("proxy.corp:3128") {
            Ok(p) => assert_eq!(format!("{p:?}"), "http://proxy.corp:3128/"),
            Err(e) => panic!("{e}"),
        }
        for (input, want) in [
            (
                "socks5://alice:hunter2@proxy:1080",
                "has the scheme `socks5`",
            ),
            ("http://alice:hunter2@proxy:3128/path", "has a path"),
            (
                "http://alice:hunter2@proxy:3128/?q=1",
                "has a path, a query",
            ),
            ("http://alice:hunter2@:3128", "not a URL"),
            ("http://alice:hunter2@proxy:99999", "not a URL"),
        ] {
            match ProxyUrl::parse(input) {
                Ok(p) => panic!("{input}: accepted as {p:?}"),
                Err(e) => {
                    assert!(e.contains(want), "{input}: {e}");
                    assert!(!e.contains("hunter2") && !e.contains("alice"), "{e}");
                }
            }
        }
    }
}
