//! The fast path of signature V3, as the client signs a request: the params flattened into
//! the thread's arena and sorted once (the canonical order of v1), the query and the form
//! body each encoded once, straight into the URL and the body that are sent; the body hashed
//! once; the canonical request written into a reused buffer and hashed in one call; and the
//! HMAC-SHA256 started from the keyed state the credentials keep.
//!
//! The pure stages of [`super`] compute the same strings from scratch; the tests below and
//! `runtime/tests/prepare_v3.rs` compare the two.

use std::ops::Range;

use sha2::{Digest, Sha256};

use super::{SigningKey, ALGORITHM, EMPTY_PAYLOAD_HASH, RPC_CANONICAL_URI};
use crate::encoding::percent_encode_into;
use crate::params::{PairFlags, ParamWriter};
use crate::request::{Method, Request};
use crate::signing::arena::{ArenaPair, Scratch};
use crate::signing::ClientToken;
use crate::wire;

/// The length of a V3 string to sign: `ACS3-HMAC-SHA256\n` and 64 hex digits.
pub(crate) const STRING_TO_SIGN_LEN: usize = ALGORITHM.len() + 1 + 64;

/// The values of the headers a V3 request signs, borrowed; [`list`](Self::list) gives them
/// in canonical order. The client signs `host`, `content-type` (with a body) and the
/// `x-acs-*` headers it sends, as Aliyun's Go and Java SDKs do; `accept`, `user-agent` and
/// `authorization` itself are sent unsigned.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SignedHeaders<'a> {
    /// Whether the request has a form body, and so a `content-type`.
    pub(crate) form_body: bool,
    /// `host`: the URL's host, with its port unless it is the scheme's default.
    pub(crate) host: &'a str,
    /// `x-acs-action`.
    pub(crate) action: &'a str,
    /// `x-acs-version`.
    pub(crate) version: &'a str,
    /// `x-acs-content-sha256`: the hex SHA-256 of the body.
    pub(crate) content_sha256: &'a str,
    /// `x-acs-date`.
    pub(crate) date: &'a str,
    /// `x-acs-signature-nonce`.
    pub(crate) nonce: &'a str,
    /// With STS credentials: `x-acs-accesskey-id` and `x-acs-security-token`.
    pub(crate) sts: Option<(&'a str, &'a str)>,
}

/// `SignedHeaders` of a request without a body or STS credentials: the mandatory six.
const NAMES: &str =
    "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version";
/// … with a form body.
const NAMES_BODY: &str = "content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;\
                          x-acs-signature-nonce;x-acs-version";
/// … with STS credentials.
const NAMES_STS: &str = "host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;\
                         x-acs-security-token;x-acs-signature-nonce;x-acs-version";
/// … with both.
const NAMES_BODY_STS: &str = "content-type;host;x-acs-accesskey-id;x-acs-action;\
                              x-acs-content-sha256;x-acs-date;x-acs-security-token;\
                              x-acs-signature-nonce;x-acs-version";

impl<'a> SignedHeaders<'a> {
    /// The signed headers as `(name, value)`, names lower-case and in byte order, and how
    /// many of the array's entries are used.
    pub(crate) fn list(&self) -> ([(&'static str, &'a str); 9], usize) {
        let mut out = [("", ""); 9];
        let mut n = 0;
        let mut push = |name: &'static str, value: &'a str| {
            out[n] = (name, value);
            n += 1;
        };
        if self.form_body {
            push(wire::CONTENT_TYPE, wire::FORM_CONTENT_TYPE);
        }
        push(wire::HOST, self.host);
        if let Some((id, _)) = self.sts {
            push(wire::X_ACS_ACCESSKEY_ID, id);
        }
        push(wire::X_ACS_ACTION, self.action);
        push(wire::X_ACS_CONTENT_SHA256, self.content_sha256);
        push(wire::X_ACS_DATE, self.date);
        if let Some((_, token)) = self.sts {
            push(wire::X_ACS_SECURITY_TOKEN, token);
        }
        push(wire::X_ACS_SIGNATURE_NONCE, self.nonce);
        push(wire::X_ACS_VERSION, self.version);
        (out, n)
    }

    /// `SignedHeaders`: the names of [`list`](Self::list) joined with `;`.
    pub(crate) fn names(&self) -> &'static str {
        match (self.form_body, self.sts.is_some()) {
            (false, false) => NAMES,
            (true, false) => NAMES_BODY,
            (false, true) => NAMES_STS,
            (true, true) => NAMES_BODY_STS,
        }
    }
}

/// Appends the canonical request of a request with `method`, the encoded canonical `query`,
/// `headers` and the hex SHA-256 of its body, as [`CanonicalRequest`](super::CanonicalRequest)
/// writes it. The one writer of it: signing hashes what it writes, a diagnosis shows it.
pub(crate) fn write_canonical_request(
    out: &mut String,
    method: Method,
    query: &str,
    headers: &SignedHeaders<'_>,
) {
    out.push_str(method.as_str());
    out.push('\n');
    out.push_str(RPC_CANONICAL_URI);
    out.push('\n');
    out.push_str(query);
    out.push('\n');
    let (list, n) = headers.list();
    for (name, value) in list.iter().take(n) {
        out.push_str(name);
        out.push(':');
        out.push_str(value.trim());
        out.push('\n');
    }
    out.push('\n');
    out.push_str(headers.names());
    out.push('\n');
    out.push_str(headers.content_sha256);
}

/// What a V3 signature covers besides the request's params and the method.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Values<'a> {
    /// `scheme://host[:port]`: the URL is this, `/`, and the query if there is one.
    pub(crate) base: &'a str,
    /// The `host` header as the HTTP client sends it for `base`.
    pub(crate) host: &'a str,
    /// `x-acs-date`.
    pub(crate) date: &'a str,
    /// `x-acs-signature-nonce`.
    pub(crate) nonce: &'a str,
    /// The access key id (the `Credential`).
    pub(crate) access_key_id: &'a str,
    /// The STS security token, if any.
    pub(crate) security_token: Option<&'a str>,
}

/// A request signed by V3: its URL and body, where its parts sit, and the signature.
#[derive(Debug)]
pub(crate) struct Signed {
    /// `base/`, then `?` and the canonical query when there is one.
    pub(crate) url: String,
    /// Where the canonical query sits in `url` (empty at its end without one).
    pub(crate) query: Range<usize>,
    /// The form body: the params flagged body, with `POST`; `None` when there are none.
    pub(crate) body: Option<String>,
    /// Where the encoded values of secret params sit in `url`.
    pub(crate) url_secrets: Vec<Range<usize>>,
    /// Where the encoded values of secret params sit in `body`.
    pub(crate) body_secrets: Vec<Range<usize>>,
    /// `x-acs-content-sha256`, lower-case hex.
    pub(crate) content_sha256: [u8; 64],
    /// `ACS3-HMAC-SHA256\n` + the hex SHA-256 of the canonical request.
    pub(crate) string_to_sign: [u8; STRING_TO_SIGN_LEN],
    /// The signature, lower-case hex.
    pub(crate) signature: [u8; 64],
}

impl Signed {
    /// `x-acs-content-sha256` as text.
    pub(crate) fn content_sha256(&self) -> &str {
        ascii(&self.content_sha256)
    }

    /// The string to sign as text.
    #[cfg(test)]
    pub(crate) fn string_to_sign(&self) -> &str {
        ascii(&self.string_to_sign)
    }

    /// The signature as text.
    pub(crate) fn signature(&self) -> &str {
        ascii(&self.signature)
    }

    /// The `SignedHeaders` this request was signed with (they depend on whether it has a
    /// body and STS credentials only).
    pub(crate) fn signed_header_names(&self, sts: bool) -> &'static str {
        SignedHeaders {
            form_body: self.body.is_some(),
            host: "",
            action: "",
            version: "",
            content_sha256: "",
            date: "",
            nonce: "",
            sts: sts.then_some(("", "")),
        }
        .names()
    }
}

/// Text written from ASCII alone (hex digits, the algorithm's name): never the fallback.
fn ascii(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or_default()
}

/// Signs `request` by signature V3 for `method`, with `values`, keyed by `key`.
///
/// Params flagged body ([`ParamWriter::body_field`], `#[rpc(body)]`) go in a form body with
/// `POST`; every other param, and every param with `GET` (which has no body), goes in the
/// query. `client_token`, a token the client fills in, goes where its field says.
pub(crate) fn sign_request<R: Request>(
    request: &R,
    client_token: Option<ClientToken<'_>>,
    method: Method,
    values: &Values<'_>,
    key: &SigningKey,
) -> Signed {
    let Scratch {
        mut arena,
        key: key_buf,
        value: value_buf,
    } = Scratch::take();
    let mut writer = ParamWriter::with_buffers(&mut arena, key_buf, value_buf);
    request.write_params(&mut writer);
    if let Some(token) = client_token {
        token.write(&mut writer);
    }
    let (key_buf, mut canonical) = writer.into_buffers();
    arena.sort_canonical();

    let in_body = |pair: &ArenaPair<'_>| method == Method::Post && pair.flags.has(PairFlags::BODY);
    let text = arena.text_len();
    let room = text + text / 4 + 2 * arena.len();

    let mut url = String::with_capacity(values.base.len() + 2 + room);
    url.push_str(values.base);
    url.push('/');
    let mut query_start = None;
    let mut url_secrets = Vec::new();
    let mut body = None::<String>;
    let mut body_secrets = Vec::new();
    for pair in arena.iter() {
        let (out, secrets) = if in_body(&pair) {
            let body = match &mut body {
                Some(body) => {
                    body.push('&');
                    body
                }
                None => body.insert(String::with_capacity(room)),
            };
            (body, &mut body_secrets)
        } else {
            match query_start {
                Some(_) => url.push('&'),
                None => {
                    url.push('?');
                    query_start = Some(url.len());
                }
            }
            (&mut url, &mut url_secrets)
        };
        let value = write_pair(out, &pair);
        if pair.flags.has(PairFlags::SECRET) {
            secrets.push(value);
        }
    }
    let query = query_start.unwrap_or(url.len())..url.len();

    let mut content_sha256 = [0u8; 64];
    match &body {
        Some(body) => hex_into(&mut content_sha256, &Sha256::digest(body.as_bytes())),
        None => content_sha256.copy_from_slice(EMPTY_PAYLOAD_HASH.as_bytes()),
    }
    let headers = SignedHeaders {
        form_body: body.is_some(),
        host: values.host,
        action: R::ACTION,
        version: R::VERSION,
        content_sha256: ascii(&content_sha256),
        date: values.date,
        nonce: values.nonce,
        sts: values.security_token.map(|t| (values.access_key_id, t)),
    };
    canonical.clear();
    write_canonical_request(
        &mut canonical,
        method,
        url.get(query.clone()).unwrap_or_default(),
        &headers,
    );
    let mut string_to_sign = [0u8; STRING_TO_SIGN_LEN];
    string_to_sign[..ALGORITHM.len()].copy_from_slice(ALGORITHM.as_bytes());
    string_to_sign[ALGORITHM.len()] = b'\n';
    hex_into(
        &mut string_to_sign[ALGORITHM.len() + 1..],
        &Sha256::digest(canonical.as_bytes()),
    );
    let mut signature = [0u8; 64];
    hex_into(&mut signature, &key.mac(&string_to_sign));

    Scratch {
        arena,
        key: key_buf,
        value: canonical,
    }
    .give_back();
    Signed {
        url,
        query,
        body,
        url_secrets,
        body_secrets,
        content_sha256,
        string_to_sign,
        signature,
    }
}

/// Appends `enc(key)=enc(value)` to `out`; returns where the encoded value sits.
fn write_pair(out: &mut String, pair: &ArenaPair<'_>) -> Range<usize> {
    if pair.key_unreserved {
        out.push_str(pair.key);
    } else {
        percent_encode_into(out, pair.key);
    }
    out.push('=');
    let start = out.len();
    percent_encode_into(out, pair.value);
    start..out.len()
}

/// Writes `bytes` as lower-case hex into `out`, which holds exactly twice as many bytes.
fn hex_into(out: &mut [u8], bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for (pair, &b) in out.chunks_exact_mut(2).zip(bytes) {
        pair[0] = DIGITS[usize::from(b >> 4)];
        pair[1] = DIGITS[usize::from(b & 0xf)];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::v3::{
        hashed_payload, sign, CanonicalHeaders, CanonicalRequest, StringToSign,
    };
    use crate::signing::CanonicalQuery;

    fn headers(form_body: bool, sts: bool) -> SignedHeaders<'static> {
        SignedHeaders {
            form_body,
            host: "ecs.cn-hangzhou.aliyuncs.com",
            action: "RunInstances",
            version: "2014-05-26",
            content_sha256: EMPTY_PAYLOAD_HASH,
            date: "2023-10-26T10:22:32Z",
            nonce: "3156853299f313e23d1673dc12e1703d",
            sts: sts.then_some(("STS.id", " tok en ")),
        }
    }

    /// The names are the list's, sorted, joined; the canonical request is the pure stages'.
    #[test]
    fn signed_headers_are_sorted_and_named_as_the_pure_stages_name_them() {
        for (form_body, sts) in [(false, false), (true, false), (false, true), (true, true)] {
            let h = headers(form_body, sts);
            let (list, n) = h.list();
            let list = &list[..n];
            assert!(list.windows(2).all(|w| w[0].0 < w[1].0), "{list:?}");
            let names: Vec<&str> = list.iter().map(|(name, _)| *name).collect();
            assert_eq!(h.names(), names.join(";"));
            for mandatory in super::super::MANDATORY_HEADERS {
                assert!(names.contains(&mandatory), "{mandatory}");
            }
            let pure = CanonicalHeaders::new(list);
            assert_eq!(pure.signed_headers(), h.names());

            let query = CanonicalQuery::new(&[("RegionId", "cn-hangzhou"), ("A b", "*~")]);
            let mut ours = String::new();
            write_canonical_request(&mut ours, Method::Post, query.as_str(), &h);
            let theirs =
                CanonicalRequest::new("POST", RPC_CANONICAL_URI, &query, &pure, EMPTY_PAYLOAD_HASH);
            assert_eq!(ours, theirs.as_str());
        }
    }

    #[derive(aliyun_rpc_macros::Request)]
    #[rpc(crate = "crate", product = "Nlb", version = "2022-04-30", action = "CreateListener",
          response = ())]
    struct CreateListener {
        region_id: String,
        #[rpc(body)]
        listener_description: Option<String>,
        #[rpc(body, secret)]
        password: Option<crate::params::Secret<String>>,
        #[rpc(body, client_token)]
        client_token: Option<String>,
        tag: Vec<String>,
    }

    /// Query and body, signed on the fast path, equal the pure stages over the same pairs:
    /// the body params (and the client token of a body field) in the body with `POST`,
    /// everything in the query with `GET`.
    #[test]
    fn the_fast_path_signs_what_the_pure_stages_sign() {
        let request = CreateListener::new("cn-hangzhou")
            .listener_description("web & api *~")
            .password("p w")
            .tag(["a b".to_owned(), "é".to_owned()]);
        for (method, sts) in [
            (Method::Post, None),
            (Method::Post, Some("tok")),
            (Method::Get, None),
        ] {
            let values = Values {
                base: "http://127.0.0.1:8080",
                host: "127.0.0.1:8080",
                date: "2023-10-26T10:22:32Z",
                nonce: "n-1",
                access_key_id: "id",
                security_token: sts,
            };
            let token = ClientToken {
                name: "ClientToken",
                value: "t 1",
                in_body: true,
            };
            let signed = sign_request(
                &request,
                Some(token),
                method,
                &values,
                &SigningKey::new("secret"),
            );

            let mut query = vec![
                ("RegionId", "cn-hangzhou"),
                ("Tag.1", "a b"),
                ("Tag.2", "é"),
            ];
            let body = [
                ("ListenerDescription", "web & api *~"),
                ("Password", "p w"),
                ("ClientToken", "t 1"),
            ];
            let (query, body) = match method {
                Method::Post => (
                    CanonicalQuery::new(&query),
                    Some(CanonicalQuery::new(&body).into_string()),
                ),
                Method::Get => {
                    query.extend(body);
                    (CanonicalQuery::new(&query), None)
                }
            };
            assert_eq!(
                signed.url,
                format!("http://127.0.0.1:8080/?{}", query.as_str()),
                "url"
            );
            assert_eq!(&signed.url[signed.query.clone()], query.as_str());
            assert_eq!(signed.body, body, "body");
            let payload = hashed_payload(body.as_deref().unwrap_or_default().as_bytes());
            assert_eq!(signed.content_sha256(), payload, "content hash");

            let mut pure_headers = vec![
                ("host", "127.0.0.1:8080"),
                ("x-acs-action", "CreateListener"),
                ("x-acs-version", "2022-04-30"),
                ("x-acs-date", "2023-10-26T10:22:32Z"),
                ("x-acs-signature-nonce", "n-1"),
                ("x-acs-content-sha256", payload.as_str()),
            ];
            if body.is_some() {
                pure_headers.push(("content-type", wire::FORM_CONTENT_TYPE));
            }
            if let Some(token) = sts {
                pure_headers.push(("x-acs-security-token", token));
                pure_headers.push(("x-acs-accesskey-id", "id"));
            }
            let pure_headers = CanonicalHeaders::new(&pure_headers);
            let canonical = CanonicalRequest::new(
                method.as_str(),
                RPC_CANONICAL_URI,
                &query,
                &pure_headers,
                &payload,
            );
            let sts_text = StringToSign::new(&canonical);
            assert_eq!(signed.string_to_sign(), sts_text.as_str(), "string to sign");
            assert_eq!(signed.signature(), sign(sts_text.as_str(), "secret"));
            assert_eq!(
                signed.signed_header_names(sts.is_some()),
                pure_headers.signed_headers()
            );

            // The secret's value is where the ranges say, in the text that holds it.
            let (text, ranges) = match method {
                Method::Post => (signed.body.as_deref().unwrap_or(""), &signed.body_secrets),
                Method::Get => (signed.url.as_str(), &signed.url_secrets),
            };
            let shown: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
            assert_eq!(shown, ["p%20w"]);
        }
    }

    /// Without params there is no `?`; without body params, `POST` has no body.
    #[test]
    fn no_params_means_no_query_and_no_body() {
        #[derive(aliyun_rpc_macros::Request)]
        #[rpc(crate = "crate", product = "Ecs", version = "2014-05-26",
              action = "DescribeRegions", response = ())]
        struct DescribeRegions {}
        let values = Values {
            base: "https://ecs.aliyuncs.com",
            host: "ecs.aliyuncs.com",
            date: "d",
            nonce: "n",
            access_key_id: "id",
            security_token: None,
        };
        let signed = sign_request(
            &DescribeRegions {},
            None,
            Method::Post,
            &values,
            &SigningKey::new("s"),
        );
        assert_eq!(signed.url, "https://ecs.aliyuncs.com/");
        assert_eq!(signed.query, signed.url.len()..signed.url.len());
        assert_eq!(signed.body, None);
        assert_eq!(signed.content_sha256(), EMPTY_PAYLOAD_HASH);
    }

    /// The in-place hex is the pure stages' hex.
    #[test]
    fn hex_in_place_matches_the_pure_stages_hex() {
        let bytes = [0x00, 0x0f, 0xa0, 0xff, 0x12];
        let mut out = [0u8; 10];
        hex_into(&mut out, &bytes);
        let mut expected = String::new();
        super::super::push_hex_lower(&mut expected, &bytes);
        assert_eq!(ascii(&out), expected);
    }
}
