//! Whatever the runtime's signer signs, the emulator decodes and verifies.
#![no_main]

use aliyun_rpc_runtime::signing::{percent_encode, sign, string_to_sign};
use libfuzzer_sys::fuzz_target;

const NOW: i64 = 1_456_231_584; // 2016-02-23T12:46:24Z

fuzz_target!(|input: (bool, Vec<(String, String)>)| {
    let (post, business) = input;
    let mut params: Vec<(String, String)> = [
        ("Action", "DescribeRegions"),
        ("Version", "2014-05-26"),
        ("AccessKeyId", "testid"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
        ("Timestamp", "2016-02-23T12:46:24Z"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    for (k, v) in business.into_iter().take(64) {
        if !params.iter().any(|(seen, _)| *seen == k) && k != "Signature" {
            params.push((k, v));
        }
    }
    let method = if post { "POST" } else { "GET" };
    let signature = sign(&string_to_sign(method, &params), "testsecret");
    params.push(("Signature".to_owned(), signature));
    let encoded: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect();
    let encoded = encoded.join("&");
    let (query, body) = if post {
        ("", encoded.as_str())
    } else {
        (encoded.as_str(), "")
    };
    let verified = aliyun_rpc_emulator::fuzz::decode_and_verify(
        query.as_bytes(),
        body.as_bytes(),
        method,
        NOW,
    );
    // A SignatureNonce, SecurityToken or other common param among the fuzzer's keys may be
    // refused by its own check; the signature itself must always match.
    assert_ne!(
        verified,
        Err("SignatureDoesNotMatch".to_owned()),
        "{params:?}"
    );
});
