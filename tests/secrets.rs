//! `Debug` and `Display` of the client, a prepared request and an error never show the
//! secret or the security token. (Logs: `tracing.rs`.)

mod common;

use aliyun_rpc::{Credentials, Error};
use common::{api_error, build, builder, emulator, seed_request};

#[tokio::test]
async fn debug_and_display_never_show_secrets() -> Result<(), Error> {
    let emulator = emulator().await;
    let creds = Credentials::new(emulator.access_key_id(), emulator.access_key_secret())
        .with_security_token("tok-SECRET");
    let client = build(builder(&emulator).credentials(creds));
    let shown = format!("{client:?}");
    assert!(
        !shown.contains(emulator.access_key_secret()) && !shown.contains("tok-SECRET"),
        "{shown}"
    );
    let prepared = client.prepare(&seed_request()).await?;
    for shown in [format!("{prepared:?}"), prepared.to_string()] {
        assert!(
            !shown.contains(emulator.access_key_secret()) && !shown.contains("tok-SECRET"),
            "{shown}"
        );
    }
    // The emulator's error about the token must not surface it either.
    let e = api_error(&client, &seed_request()).await;
    let shown = format!("{} {:?}", Error::from(e.clone()), e);
    assert!(!shown.contains("tok-SECRET"), "{shown}");
    Ok(())
}
