//! An endpoint override, region and suffix from any text: `build()` accepts or refuses, never
//! panics, and an accepted endpoint is a bare `scheme://host[:port]`.
#![no_main]

use aliyun_rpc_runtime::{Client, Credentials};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\n');
    let (endpoint, region, suffix) = (parts.next(), parts.next(), parts.next());
    let mut builder = Client::builder().credentials(Credentials::new("testid", "testsecret"));
    if let Some(e) = endpoint {
        builder = builder.endpoint(e);
    }
    if let Some(r) = region {
        builder = builder.region(r);
    }
    if let Some(s) = suffix {
        builder = builder.endpoint_suffix(s);
    }
    match builder.build() {
        Ok(client) => {
            let shown = format!("{client:?}");
            assert!(!shown.contains('@') && !shown.contains('#'), "{shown}");
        }
        Err(e) => assert!(!e.to_string().contains(|c: char| c.is_control())),
    }
});
