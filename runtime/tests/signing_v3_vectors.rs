//! Signature V3 (ACS3-HMAC-SHA256) against vectors from Aliyun's documentation, the official
//! utils' own tests and the official Python util (`tests/vectors/README.md` names each source;
//! `tests/vectors/generate_v3.py` made the file). One test per vector; each stage is asserted
//! on its own, the signer's and then the verifier's.

use aliyun_rpc_runtime::signing::v3::{
    hashed_payload, sign, Authorization, CanonicalHeaders, CanonicalRequest, StringToSign,
};
use aliyun_rpc_runtime::signing::CanonicalQuery;
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    name: String,
    method: String,
    canonical_uri: String,
    access_key_id: String,
    access_key_secret: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    /// The body; `None` where the source gives only the payload hash.
    body: Option<String>,
    hashed_payload: String,
    canonical_query: String,
    canonical_headers: String,
    signed_headers: String,
    canonical_request: String,
    string_to_sign: String,
    signature: String,
    authorization: String,
}

fn vectors() -> Vec<Vector> {
    let text = include_str!("vectors/signature_v3.json");
    match serde_json::from_str::<File>(text) {
        Ok(file) => file.vectors,
        Err(e) => panic!("vectors/signature_v3.json does not parse: {e}"),
    }
}

fn vector(name: &str) -> Vector {
    match vectors().into_iter().find(|v| v.name == name) {
        Some(v) => v,
        None => panic!("no vector named {name}"),
    }
}

fn check(name: &str) {
    let v = vector(name);

    // The signer's stages.
    if let Some(body) = &v.body {
        assert_eq!(
            hashed_payload(body.as_bytes()),
            v.hashed_payload,
            "{name}: hashed payload"
        );
    }
    let query = CanonicalQuery::new(&v.query);
    assert_eq!(query.as_str(), v.canonical_query, "{name}: canonical query");
    let headers = CanonicalHeaders::new(&v.headers);
    assert_eq!(
        headers.as_str(),
        v.canonical_headers,
        "{name}: canonical headers"
    );
    assert_eq!(
        headers.signed_headers(),
        v.signed_headers,
        "{name}: signed headers"
    );
    let request = CanonicalRequest::new(
        &v.method,
        &v.canonical_uri,
        &query,
        &headers,
        &v.hashed_payload,
    );
    assert_eq!(
        request.as_str(),
        v.canonical_request,
        "{name}: canonical request"
    );
    assert_eq!(
        request.signed_headers(),
        v.signed_headers,
        "{name}: canonical request's signed headers"
    );
    let string_to_sign = StringToSign::new(&request);
    assert_eq!(
        string_to_sign.as_str(),
        v.string_to_sign,
        "{name}: string to sign"
    );
    let signature = sign(string_to_sign.as_str(), &v.access_key_secret);
    assert_eq!(signature, v.signature, "{name}: signature");
    let authorization = Authorization::new(&v.access_key_id, request.signed_headers(), &signature);
    assert_eq!(
        authorization.as_str(),
        v.authorization,
        "{name}: authorization"
    );

    // The verifier's stages: parse the header as received, rebuild the canonical headers from
    // its SignedHeaders over everything the request carries (here one more, unsigned header),
    // and come to the same signature.
    let parsed = match Authorization::parse(&v.authorization) {
        Ok(parsed) => parsed,
        Err(e) => panic!("{name}: parsing the authorization: {e}"),
    };
    assert_eq!(parsed, authorization, "{name}: parsed authorization");
    assert_eq!(
        parsed.credential(),
        v.access_key_id,
        "{name}: parsed credential"
    );
    let mut received = v.headers.clone();
    received.push(("X-Unsigned-Noise".to_owned(), "ignored".to_owned()));
    let selected = match CanonicalHeaders::select(parsed.signed_header_names(), &received) {
        Ok(selected) => selected,
        Err(e) => panic!("{name}: selecting the signed headers: {e}"),
    };
    assert_eq!(selected, headers, "{name}: verifier's canonical headers");
    assert!(
        parsed.signature_matches(&signature),
        "{name}: verifier's signature comparison"
    );
}

#[test]
fn documented_run_instances() {
    check("documented-run-instances");
    // The figures printed in Aliyun's documentation, independent of the generator.
    let v = vector("documented-run-instances");
    assert_eq!(
        v.string_to_sign,
        "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
    );
    assert_eq!(
        v.signature,
        "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    );
}

#[test]
fn utils_test_python() {
    check("utils-test-python");
}

#[test]
fn utils_test_go() {
    check("utils-test-go");
}

#[test]
fn utils_test_java() {
    check("utils-test-java");
}

#[test]
fn utils_test_typescript() {
    check("utils-test-typescript");
}

#[test]
fn utils_test_typescript_empty() {
    check("utils-test-typescript-empty");
}

#[test]
fn seed_request_get() {
    check("seed-request-get");
}

#[test]
fn post_form_body() {
    check("post-form-body");
}

#[test]
fn reserved_characters() {
    check("reserved-characters");
}

#[test]
fn unicode() {
    check("unicode");
}

#[test]
fn empty_values() {
    check("empty-values");
}

#[test]
fn repeated_looking_names() {
    check("repeated-looking-names");
}

#[test]
fn sts_token() {
    check("sts-token");
}

#[test]
fn python_sdk_default_headers() {
    check("python-sdk-default-headers");
}

#[test]
fn header_case_and_spaces() {
    check("header-case-and-spaces");
}

#[test]
fn secret_longer_than_the_hmac_block() {
    check("secret-longer-than-the-hmac-block");
}

#[test]
fn every_vector_is_covered() {
    let names: Vec<String> = vectors().into_iter().map(|v| v.name).collect();
    assert_eq!(
        names,
        [
            "documented-run-instances",
            "utils-test-python",
            "utils-test-go",
            "utils-test-java",
            "utils-test-typescript",
            "utils-test-typescript-empty",
            "seed-request-get",
            "post-form-body",
            "reserved-characters",
            "unicode",
            "empty-values",
            "repeated-looking-names",
            "sts-token",
            "python-sdk-default-headers",
            "header-case-and-spaces",
            "secret-longer-than-the-hmac-block",
        ]
    );
}

/// Any change to what is signed changes the signature: a query value, a signed header's
/// value, the body's hash, the method, the secret.
#[test]
fn signature_changes_with_anything_signed() {
    let v = vector("post-form-body");
    let signature = |method: &str, query: &[(String, String)], headers: &[(String, String)]| {
        let headers = CanonicalHeaders::new(headers);
        let request = CanonicalRequest::new(
            method,
            &v.canonical_uri,
            &CanonicalQuery::new(query),
            &headers,
            &v.hashed_payload,
        );
        sign(StringToSign::new(&request).as_str(), &v.access_key_secret)
    };
    assert_eq!(signature(&v.method, &v.query, &v.headers), v.signature);

    let mut query = v.query.clone();
    query[0].1.push('x');
    assert_ne!(
        signature(&v.method, &query, &v.headers),
        v.signature,
        "query"
    );

    let mut headers = v.headers.clone();
    if let Some(date) = headers.iter_mut().find(|(n, _)| n == "x-acs-date") {
        date.1 = "2026-11-30T10:00:01Z".to_owned();
    }
    assert_ne!(
        signature(&v.method, &v.query, &headers),
        v.signature,
        "date"
    );

    let mut headers = v.headers.clone();
    if let Some(hash) = headers
        .iter_mut()
        .find(|(n, _)| n == "x-acs-content-sha256")
    {
        hash.1 = hashed_payload(b"tampered");
    }
    assert_ne!(
        signature(&v.method, &v.query, &headers),
        v.signature,
        "body hash header"
    );

    assert_ne!(
        signature("GET", &v.query, &v.headers),
        v.signature,
        "method"
    );
    assert_ne!(
        sign(&v.string_to_sign, "othersecret"),
        v.signature,
        "secret"
    );
}
