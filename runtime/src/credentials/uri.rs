//! Temporary credentials from a credentials URI: `GET` it, and the answer is a JSON document
//! of STS credentials, as `ALIBABA_CLOUD_CREDENTIALS_URI` and aliyun-cli's `CredentialsURI`
//! mode have it:
//!
//! ```json
//! {"Code": "Success", "AccessKeyId": "STS.…", "AccessKeySecret": "…",
//!  "SecurityToken": "…", "Expiration": "2026-11-27T06:00:00Z"}
//! ```
//!
//! `Code` may be absent (credentials-go does not ask for it); any other value than `Success`
//! is an error naming it.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use super::http::{self, json_error};
use super::{BoxFuture, CachedProvider, Credentials, ProvideCredentials, SessionDocument};
use crate::error::{BoxError, Error};
use crate::format::Format;
use crate::limits::MAX_CODE_BYTES;
use crate::untrusted::{bound, Escaped};

/// The variable that names a credentials URI.
pub(crate) const CREDENTIALS_URI_VAR: &str = "ALIBABA_CLOUD_CREDENTIALS_URI";

/// Fetches temporary credentials from a credentials URI at each call: `GET`, HTTP 200, a JSON
/// document with `AccessKeyId`, `AccessKeySecret`, `SecurityToken` and `Expiration` (and
/// `Code: "Success"` when it has a `Code`).
///
/// The URI is `https://…`, or plain `http://` to an address that never leaves the machine or
/// its private network: a loopback, link-local or private IP address (`127.0.0.1`, `[::1]`,
/// `169.254.x.x`, `10.x`, `172.16–31.x`, `192.168.x`, `100.64–127.x`, `fc00::/7`,
/// `fe80::/10`) or `localhost`, which is how credential agents are reached (aliyun-cli
/// fetches plain http). A plain-http URI to any other host is refused: it would carry the
/// credentials in the clear over the internet. Requests to a local address go direct, never
/// through a proxy. User-info and fragments are refused too; the query is kept (and never
/// shown: `Debug` and errors show `?…` for it).
///
/// The answer is read within 64 KiB and 10 s (5 s to connect), redirects are not followed,
/// and nothing of the answer but its `Code` (escaped, cut to 128 bytes) appears in an
/// error. It does not cache: wrap it in [`CachedProvider`] (or call
/// [`cached`](Self::cached)).
///
/// ```
/// use aliyun_rpc::credentials::CredentialsUriProvider;
///
/// let p = CredentialsUriProvider::new("http://127.0.0.1:8080/credentials?role=app")?;
/// assert_eq!(
///     format!("{p:?}"),
///     r#"CredentialsUriProvider { uri: "http://127.0.0.1:8080/credentials?…" }"#
/// );
/// let err = CredentialsUriProvider::new("http://credentials.example.com/").unwrap_err();
/// assert!(err.to_string().contains("plain http"));
/// # Ok::<(), aliyun_rpc::Error>(())
/// ```
#[derive(Clone)]
pub struct CredentialsUriProvider {
    http: Result<reqwest::Client, Arc<reqwest::Error>>,
    url: reqwest::Url,
    /// The URL as errors and `Debug` show it: without its query.
    shown: String,
}

impl fmt::Debug for CredentialsUriProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsUriProvider")
            .field("uri", &self.shown)
            .finish()
    }
}

impl CredentialsUriProvider {
    /// A provider for `uri`; an error when it is not an `http(s)` URL with a host, carries
    /// user-info or a fragment, or is plain `http` to a host that is not local (see above).
    pub fn new(uri: impl AsRef<str>) -> Result<Self, Error> {
        let uri = uri.as_ref().trim();
        let refuse = |why: &str| {
            Error::config(format!(
                "credentials URI `{}` {why}",
                Escaped(&bound(&shown_without_secrets(uri), 256))
            ))
        };
        let url = reqwest::Url::parse(uri).map_err(|_| refuse("is not a URL"))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(refuse(
                "has user-info before its host; credentials in a URI are never sent",
            ));
        }
        if url.fragment().is_some() {
            return Err(refuse("has a fragment"));
        }
        let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
            return Err(refuse("has no host"));
        };
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let local = match bare.parse::<IpAddr>() {
            Ok(ip) => is_local(ip),
            Err(_) => host.eq_ignore_ascii_case("localhost"),
        };
        match url.scheme() {
            "https" => {}
            "http" if local => {}
            "http" => {
                return Err(refuse(
                    "is plain http to a host that is not a loopback, link-local or private \
                     address; use https (plain http is for local credential agents only)",
                ))
            }
            _ => return Err(refuse("is not http or https")),
        }
        let shown = shown_without_secrets(url.as_str());
        Ok(CredentialsUriProvider {
            http: http::client(local),
            url,
            shown,
        })
    }

    /// This provider behind a [`CachedProvider`].
    pub fn cached(self) -> CachedProvider<Self> {
        CachedProvider::new(self)
    }

    /// The URI as messages show it: its query as `?…`.
    pub(crate) fn shown(&self) -> &str {
        &self.shown
    }

    /// Fetches the credentials once.
    pub async fn fetch(&self) -> Result<Credentials, Error> {
        let what = format!("GET {}", self.shown);
        let http = self.http.as_ref().map_err(|e| {
            self.error(
                "cannot build the HTTP client".to_owned(),
                Some(Box::new(Arc::clone(e))),
            )
        })?;
        let answer = http::exchange(http.get(self.url.clone()))
            .await
            .map_err(|failure| {
                let (message, source) = failure.describe(&what);
                self.error(message, source)
            })?;
        if answer.status != 200 {
            let api = crate::response::decode_error(Format::Json, answer.status, &answer.body);
            let code = if api.code().starts_with("Http") {
                String::new()
            } else {
                format!(": `{}`", Escaped(&bound(api.code(), MAX_CODE_BYTES)))
            };
            return Err(self.error(
                format!("{what} answered http {}{code}", answer.status),
                None,
            ));
        }
        let doc: SessionDocument = serde_json::from_slice(&answer.body)
            .map_err(|e| self.error(format!("{what}: the answer is {}", json_error(&e)), None))?;
        if let Some(code) = doc.code.as_deref().filter(|c| *c != "Success") {
            return Err(self.error(
                format!(
                    "{what}: the answer's `Code` is `{}`, not `Success`",
                    Escaped(&bound(code, MAX_CODE_BYTES))
                ),
                None,
            ));
        }
        doc.into_credentials()
            .map_err(|(problem, source)| self.error(format!("{what}: {problem}"), source))
    }

    fn error(&self, what: String, source: Option<BoxError>) -> Error {
        Error::Credentials {
            message: format!("credentials URI: {what}"),
            source,
        }
    }
}

impl ProvideCredentials for CredentialsUriProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.fetch())
    }
}

/// `uri` with its query and fragment shown as `?…` / `#…`, and its user-info (if any) as
/// `…@`: what may be shown of a URI whose query or user-info could hold a token.
fn shown_without_secrets(uri: &str) -> String {
    let (head, tail) = uri.split_at(uri.find(['?', '#']).unwrap_or(uri.len()));
    let head = match head.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            match authority.rsplit_once('@') {
                Some((_, host)) => format!("{scheme}://…@{host}{path}"),
                None => head.to_owned(),
            }
        }
        None => head.to_owned(),
    };
    let marker = match tail.chars().next() {
        Some('?') => "?…",
        Some('#') => "#…",
        _ => "",
    };
    format!("{head}{marker}")
}

/// Whether `ip` is an address plain http may go to: loopback, link-local, private (RFC 1918,
/// unique local), or the shared address space (RFC 6598) where Alibaba Cloud serves its
/// in-VPC services (`100.100.100.200`).
fn is_local(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_link_local()
                || v4.is_private()
                || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback()
                || (first & 0xffc0) == 0xfe80
                || (first & 0xfe00) == 0xfc00
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| is_local(IpAddr::V4(v4)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_local_addresses() {
        for ok in [
            "http://127.0.0.1:8080/credentials",
            "http://localhost/c",
            "http://[::1]:9/c",
            "http://169.254.10.1/c",
            "http://10.0.0.1/c",
            "http://172.31.255.1/c",
            "http://192.168.1.1/c",
            "http://100.100.100.200/latest/credentials",
            "http://[fd00::1]/c",
            "http://[fe80::1]/c",
            "https://credentials.example.com/c?token=x",
        ] {
            assert!(CredentialsUriProvider::new(ok).is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("http://credentials.example.com/c", "plain http"),
            ("http://8.8.8.8/c", "plain http"),
            ("http://172.32.0.1/c", "plain http"),
            ("http://100.128.0.1/c", "plain http"),
            ("ftp://127.0.0.1/c", "not http or https"),
            ("https://user:pw@example.com/c", "user-info"),
            ("https://example.com/c#frag", "fragment"),
            ("not a uri", "not a URL"),
        ] {
            match CredentialsUriProvider::new(bad) {
                Ok(p) => panic!("{bad}: {p:?}"),
                Err(e) => assert!(e.to_string().contains(why), "{bad}: {e}"),
            }
        }
    }

    #[test]
    fn queries_and_user_info_are_never_shown() {
        assert_eq!(
            shown_without_secrets("https://example.com/c?token=s3cr3t"),
            "https://example.com/c?…"
        );
        assert_eq!(
            shown_without_secrets("https://me:s3cr3t@example.com/c#s3cr3t"),
            "https://…@example.com/c#…"
        );
        let err = CredentialsUriProvider::new("https://me:s3cr3t@example.com/c?t=s3cr3t")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("s3cr3t") && !err.contains("me:"), "{err}");
    }
}
