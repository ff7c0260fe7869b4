//! Signing calls by hand, with the runtime's signer, and sending them over loopback.
#![allow(dead_code)]

pub mod v3;

use aliyun_rpc_runtime::signing::{percent_encode, sign, string_to_sign};
use reqwest::header::HeaderMap;
use time::macros::format_description;
use time::OffsetDateTime;

/// Aliyun's `Timestamp` format.
pub fn timestamp(at: OffsetDateTime) -> String {
    at.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
    ))
    .unwrap()
}

pub fn owned(params: &[(&str, &str)]) -> Vec<(String, String)> {
    params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The common params of a call, with a fresh nonce and the current time.
pub fn common(action: &str, version: &str, key_id: &str, format: &str) -> Vec<(String, String)> {
    let nonce = uuid::Uuid::new_v4().to_string();
    let now = timestamp(OffsetDateTime::now_utc());
    owned(&[
        ("Action", action),
        ("Version", version),
        ("Format", format),
        ("AccessKeyId", key_id),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", &nonce),
        ("Timestamp", &now),
    ])
}

/// Replaces (or adds) `key`.
pub fn set(params: &mut Vec<(String, String)>, key: &str, value: &str) {
    params.retain(|(k, _)| k != key);
    params.push((key.to_owned(), value.to_owned()));
}

pub fn remove(params: &mut Vec<(String, String)>, key: &str) {
    params.retain(|(k, _)| k != key);
}

/// `params` plus their `Signature` for `method` with `secret`.
pub fn signed(
    method: &str,
    mut params: Vec<(String, String)>,
    secret: &str,
) -> Vec<(String, String)> {
    remove(&mut params, "Signature");
    let signature = sign(&string_to_sign(method, &params), secret);
    params.push(("Signature".to_owned(), signature));
    params
}

/// `k=v&…` with Aliyun's percent-encoding, in the order given.
pub fn encode(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} header"))
            .to_str()
            .unwrap()
    }

    /// Asserts an error reply: status, code, a RequestId, a Date header; returns the JSON.
    pub fn assert_error(&self, status: u16, code: &str) -> serde_json::Value {
        assert_eq!(self.status, status, "{}", self.body);
        let json = self.json();
        assert_eq!(json["Code"], code, "{}", self.body);
        let request_id = json["RequestId"].as_str().expect("RequestId");
        assert_eq!(request_id.len(), 36);
        assert!(json["HostId"].as_str().is_some_and(|h| !h.is_empty()));
        assert!(json["Message"].as_str().is_some_and(|m| !m.is_empty()));
        let recommend = json["Recommend"].as_str().expect("Recommend");
        assert!(
            recommend.starts_with(&format!("https://api.aliyun.com/troubleshoot?q={code}")),
            "{recommend}"
        );
        assert!(recommend.ends_with(&format!("requestId={request_id}")));
        httpdate::parse_http_date(self.header("date")).expect("Date header in RFC 7231 format");
        json
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn reply(response: reqwest::Response) -> Reply {
    Reply {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.text().await.unwrap(),
    }
}

/// `GET {endpoint}/?{query}`.
pub async fn get(endpoint: &str, query: &str) -> Reply {
    let response = client()
        .get(format!("{endpoint}/?{query}"))
        .send()
        .await
        .unwrap();
    reply(response).await
}

/// `POST {endpoint}/?{query}` with a form body.
pub async fn post(endpoint: &str, query: &str, body: &str) -> Reply {
    let url = if query.is_empty() {
        format!("{endpoint}/")
    } else {
        format!("{endpoint}/?{query}")
    };
    let response = client()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    reply(response).await
}

/// Signs `params` for GET with `secret` and sends them in the query.
pub async fn call(endpoint: &str, params: Vec<(String, String)>, secret: &str) -> Reply {
    let params = signed("GET", params, secret);
    get(endpoint, &encode(&params)).await
}

/// Sends `request` (built on [`client`]) and reads the reply.
pub async fn send(request: reqwest::RequestBuilder) -> Reply {
    reply(request.send().await.unwrap()).await
}
