//! Signature V3 calls built by hand with the runtime's pure V3 stages (an independent
//! signer: not the emulator's code path) and sent over loopback.

use aliyun_rpc_emulator::Emulator;
use aliyun_rpc_runtime::signing::percent_encode;
use aliyun_rpc_runtime::signing::v3::{
    hashed_payload, sign, Authorization, CanonicalHeaders, CanonicalRequest, StringToSign,
    RPC_CANONICAL_URI,
};
use aliyun_rpc_runtime::signing::CanonicalQuery;
use time::OffsetDateTime;

use super::{client, owned, send, timestamp, Reply};

/// A V3 call, as a client builds it: every header it sends is signed unless listed in
/// `unsigned` or `omit`ted from `SignedHeaders`.
#[derive(Clone)]
pub struct V3 {
    pub method: &'static str,
    pub query: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Sent and signed, `host` first (reqwest sends that one itself, with the same value).
    pub headers: Vec<(String, String)>,
    /// Sent, not signed.
    pub unsigned: Vec<(String, String)>,
    /// Sent, but left out of `SignedHeaders`.
    pub omit: Vec<&'static str>,
    pub key_id: String,
    pub secret: String,
}

impl V3 {
    /// A call of `action` to `emulator`, signed with its first key.
    pub fn new(emulator: &Emulator, action: &str, version: &str) -> V3 {
        V3::at(
            emulator.endpoint(),
            (emulator.access_key_id(), emulator.access_key_secret()),
            action,
            version,
        )
    }

    /// A call of `action` to the emulator at `endpoint`, signed with `key`.
    pub fn at(endpoint: &str, key: (&str, &str), action: &str, version: &str) -> V3 {
        let host = endpoint.trim_start_matches("http://").to_owned();
        let mut call = V3 {
            method: "GET",
            query: Vec::new(),
            body: Vec::new(),
            headers: owned(&[
                ("host", &host),
                ("x-acs-action", action),
                ("x-acs-version", version),
                ("x-acs-date", &timestamp(OffsetDateTime::now_utc())),
                ("x-acs-signature-nonce", &uuid::Uuid::new_v4().to_string()),
            ]),
            unsigned: owned(&[("accept", "application/json")]),
            omit: Vec::new(),
            key_id: key.0.to_owned(),
            secret: key.1.to_owned(),
        };
        call.hash_body();
        call
    }

    pub fn method(mut self, method: &'static str) -> V3 {
        self.method = method;
        self
    }

    pub fn query(mut self, key: &str, value: &str) -> V3 {
        self.query.push((key.to_owned(), value.to_owned()));
        self
    }

    /// A form body, with its `content-type` (signed) and hash.
    pub fn form(mut self, body: &str) -> V3 {
        self.body = body.as_bytes().to_vec();
        self.set("content-type", "application/x-www-form-urlencoded");
        self.hash_body();
        self
    }

    pub fn key(mut self, id: &str, secret: &str) -> V3 {
        self.key_id = id.to_owned();
        self.secret = secret.to_owned();
        self
    }

    /// Sets a signed header.
    pub fn set(&mut self, name: &str, value: &str) {
        self.headers.retain(|(n, _)| n != name);
        self.headers.push((name.to_owned(), value.to_owned()));
    }

    pub fn with(mut self, name: &str, value: &str) -> V3 {
        self.set(name, value);
        self
    }

    pub fn without(mut self, name: &str) -> V3 {
        self.headers.retain(|(n, _)| n != name);
        self
    }

    pub fn hash_body(&mut self) {
        let hash = hashed_payload(&self.body);
        self.set("x-acs-content-sha256", &hash);
    }

    pub fn canonical_request(&self) -> CanonicalRequest {
        let signed: Vec<&(String, String)> = self
            .headers
            .iter()
            .filter(|(n, _)| !self.omit.contains(&n.as_str()))
            .collect();
        let signed: Vec<(&str, &str)> = signed
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        CanonicalRequest::new(
            self.method,
            RPC_CANONICAL_URI,
            &CanonicalQuery::new(&self.query),
            &CanonicalHeaders::new(&signed),
            &hashed_payload(&self.body),
        )
    }

    pub fn authorization(&self) -> String {
        let request = self.canonical_request();
        let signature = sign(StringToSign::new(&request).as_str(), &self.secret);
        Authorization::new(&self.key_id, request.signed_headers(), &signature)
            .as_str()
            .to_owned()
    }

    pub async fn send(&self, endpoint: &str) -> Reply {
        self.send_with(endpoint, &self.authorization()).await
    }

    /// Sends the call as it stands now (perhaps changed since `authorization` was made).
    pub async fn send_with(&self, endpoint: &str, authorization: &str) -> Reply {
        let query = self
            .query
            .iter()
            .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let url = if query.is_empty() {
            format!("{endpoint}/")
        } else {
            format!("{endpoint}/?{query}")
        };
        let mut request = match self.method {
            "POST" => client().post(url),
            _ => client().get(url),
        };
        for (name, value) in self.headers.iter().chain(&self.unsigned) {
            if name != "host" {
                request = request.header(name.as_str(), value.as_str());
            }
        }
        send(
            request
                .header("authorization", authorization)
                .body(self.body.clone()),
        )
        .await
    }
}
