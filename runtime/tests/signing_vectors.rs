//! Signature v1 against vectors computed by Aliyun's official Python SDK
//! (`tests/vectors/generate.py` says how they were made). Each stage is asserted on its own.

use aliyun_rpc_runtime::signing::{
    percent_encode, sign, string_to_sign, CanonicalQuery, StringToSign,
};
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    percent_encoding: Vec<(String, String)>,
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    name: String,
    method: String,
    access_key_secret: String,
    params: Vec<(String, String)>,
    canonical_query: String,
    string_to_sign: String,
    signature: String,
}

fn vectors() -> File {
    let text = include_str!("vectors/signature_v1.json");
    match serde_json::from_str(text) {
        Ok(file) => file,
        Err(e) => panic!("vectors/signature_v1.json does not parse: {e}"),
    }
}

fn vector(name: &str) -> Vector {
    match vectors().vectors.into_iter().find(|v| v.name == name) {
        Some(v) => v,
        None => panic!("no vector named {name}"),
    }
}

fn check(name: &str) {
    let v = vector(name);
    let query = CanonicalQuery::new(&v.params);
    assert_eq!(
        query.as_str(),
        v.canonical_query,
        "{name}: canonicalized query"
    );
    let sts = StringToSign::new(&v.method, &query);
    assert_eq!(sts.as_str(), v.string_to_sign, "{name}: string to sign");
    assert_eq!(
        string_to_sign(&v.method, &v.params),
        v.string_to_sign,
        "{name}: string_to_sign()"
    );
    assert_eq!(
        sign(sts.as_str(), &v.access_key_secret),
        v.signature,
        "{name}: signature"
    );
}

#[test]
fn documented_describe_regions() {
    check("documented-describe-regions");
    // The figure printed in Aliyun's documentation, independent of the generator.
    assert_eq!(
        vector("documented-describe-regions").signature,
        "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
    );
}

#[test]
fn seed_request_post_with_empty_value() {
    check("seed-request-post");
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
fn byte_order_sort() {
    check("byte-order-sort");
}

#[test]
fn sts_token() {
    check("sts-token");
}

#[test]
fn every_vector_is_covered() {
    let names: Vec<String> = vectors().vectors.into_iter().map(|v| v.name).collect();
    assert_eq!(
        names,
        [
            "documented-describe-regions",
            "seed-request-post",
            "reserved-characters",
            "unicode",
            "byte-order-sort",
            "sts-token"
        ]
    );
}

#[test]
fn percent_encoding() {
    for (input, expected) in vectors().percent_encoding {
        assert_eq!(
            percent_encode(&input),
            expected,
            "percent_encode({input:?})"
        );
    }
}

#[test]
fn signature_changes_with_any_param() {
    let v = vector("seed-request-post");
    let mut tampered = v.params.clone();
    tampered[0].1.push('x');
    assert_ne!(
        sign(&string_to_sign(&v.method, &tampered), &v.access_key_secret),
        v.signature
    );
    assert_ne!(
        sign(&string_to_sign("GET", &v.params), &v.access_key_secret),
        v.signature
    );
    assert_ne!(sign(&v.string_to_sign, "othersecret"), v.signature);
}
