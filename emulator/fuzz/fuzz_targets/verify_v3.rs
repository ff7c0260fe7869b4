//! The signature V3 checks on any `Authorization` value, headers, query and body: an answer,
//! never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    |input: (bool, i64, &str, Vec<(String, String)>, &[u8], &[u8])| {
        let (post, now, authorization, headers, query, body) = input;
        let method = if post { "POST" } else { "GET" };
        let _ = aliyun_rpc_emulator::fuzz::verify_v3_request(
            authorization,
            &headers,
            query,
            body,
            method,
            now,
        );
    }
);
