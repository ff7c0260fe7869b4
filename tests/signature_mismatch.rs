//! `SignatureDoesNotMatch` with a wrong secret: the error says the secret is wrong (both
//! sides signed the same string) and never shows it.

mod common;

use aliyun_rpc::error::SignatureMismatch;
use aliyun_rpc::{Credentials, Error};
use common::{api_error, build, builder, emulator, seed_request};

#[tokio::test]
async fn wrong_secret_is_diagnosed_as_such() {
    let emulator = emulator().await;
    let client = build(
        builder(&emulator)
            .credentials(Credentials::new(emulator.access_key_id(), "not-the-secret")),
    );
    let e = api_error(&client, &seed_request()).await;
    assert_eq!((e.http_status(), e.code()), (400, "SignatureDoesNotMatch"));
    assert!(e.message().starts_with(
        "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3Dtestid%26"
    ));
    assert_eq!(
        e.signature_mismatch(),
        Some(&SignatureMismatch::SameStringToSign)
    );
    let shown = Error::from(e).to_string();
    assert!(shown.contains("the access key secret is wrong"), "{shown}");
    assert!(!shown.contains("not-the-secret"));
}
