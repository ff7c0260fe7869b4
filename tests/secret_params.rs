//! `#[rpc(secret)]` and `params::Secret`: a secret param is sent as it is, and shown as
//! `** redacted **` in `Debug`, in the `curl` rendering, in errors and in tracing.

use aliyun_rpc::params::Secret;
use aliyun_rpc::{Client, Credentials, Error, Method, Params, Request, RetryPolicy};
use time::macros::datetime;

mod common;

use common::logs::CapturedLogs;

const PASSWORD: &str = "hunter2-Qx7 &=é";

#[derive(Debug, serde::Deserialize)]
pub struct Empty {}

#[derive(Debug, Clone, Params)]
pub struct Login {
    pub user: String,
    #[rpc(secret)]
    pub password: Secret<String>,
}

#[derive(Debug, Clone, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "ModifyInstanceAttribute", response = Empty)]
pub struct ModifyInstanceAttribute {
    pub instance_id: String,
    #[rpc(secret, max_len = 30)]
    pub password: Option<Secret<String>>,
    #[rpc(secret, simple)]
    pub keys: Vec<Secret<String>>,
    pub login: Option<Login>,
    pub description: Option<String>,
}

fn request() -> ModifyInstanceAttribute {
    ModifyInstanceAttribute::new("i-1")
        .password(PASSWORD)
        .push_keys("key-1")
        .push_keys(Secret::from("key-2"))
        .login(Login::new("root", PASSWORD))
        .description("visible")
}

#[test]
fn setters_take_plain_strings_and_the_values_are_sent() {
    let req = request();
    assert_eq!(
        req.to_params(),
        [
            ("InstanceId", "i-1"),
            ("Password", PASSWORD),
            ("Keys", "key-1,key-2"),
            ("Login.User", "root"),
            ("Login.Password", PASSWORD),
            ("Description", "visible"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    assert!(req.validate().is_ok());
    assert_eq!(
        req.password.as_ref().map(|p| p.expose().as_str()),
        Some(PASSWORD)
    );
}

#[test]
fn debug_never_shows_the_values() {
    let shown = format!("{:?} {:#?}", request(), request());
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(!shown.contains("key-1"), "{shown}");
    assert!(
        shown.contains(r#"password: Some(Secret("** redacted **"))"#),
        "{shown}"
    );
    assert!(shown.contains("visible"), "{shown}");
}

#[test]
fn validation_errors_name_the_param_not_the_value() {
    let long = request().password("a-password-longer-than-thirty-chars");
    let err = long.validate().unwrap_err().to_string();
    assert_eq!(
        err,
        "invalid request parameter `Password`: at most 30 characters allowed, got 35"
    );
    let comma = request().push_keys("a,b");
    let err = comma.validate().unwrap_err().to_string();
    assert_eq!(
        err,
        "invalid request parameter `Keys`: item 3 contains `,`, which separates the items of this comma-joined list"
    );
}

#[test]
fn curl_rendering_redacts_the_values() -> Result<(), Error> {
    let creds = Credentials::new("testid", "testsecret");
    for method in [Method::Get, Method::Post] {
        let client = Client::builder()
            .credentials(creds.clone())
            .region("cn-hangzhou")
            .method(method)
            .build()?;
        let prepared = client.prepare_with(
            &request(),
            &creds,
            datetime!(2016-02-23 12:46:24 UTC),
            "nonce",
        )?;
        let sent = prepared.body().unwrap_or(prepared.url());
        assert!(
            sent.contains("&Password=hunter2-Qx7%20%26%3D%C3%A9&"),
            "{sent}"
        );
        assert!(sent.contains("&Keys=key-1%2Ckey-2&"), "{sent}");
        let shown = prepared.to_string();
        for key in ["Password", "Keys", "Login.Password"] {
            assert!(
                shown.contains(&format!("{key}=** redacted **&")),
                "{method:?}, {key}: {shown}"
            );
        }
        assert!(shown.contains("Description=visible"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains("key-1"), "{shown}");
    }
    Ok(())
}

/// A wrong secret: the emulator answers `SignatureDoesNotMatch` with its string to sign,
/// which holds every param. Neither the error nor any event of the call shows the values.
#[test]
fn errors_and_tracing_redact_the_values() {
    let captured = CapturedLogs::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    let runtime = common::current_thread_runtime();
    let shown = tracing::subscriber::with_default(subscriber, || {
        runtime.block_on(async {
            let emulator = common::emulator().await;
            let client = common::build(
                Client::builder()
                    .credentials(Credentials::new(emulator.access_key_id(), "wrong-secret"))
                    .region("cn-hangzhou")
                    .endpoint(emulator.endpoint())
                    .retry(RetryPolicy::none()),
            );
            match client.call(&request()).await {
                Ok(_) => panic!("a wrong secret was accepted"),
                Err(e) => {
                    assert_eq!(e.code(), Some("SignatureDoesNotMatch"), "{e}");
                    format!("{e} {e:?}")
                }
            }
        })
    });
    assert!(shown.contains("** redacted **"), "{shown}");
    let logged = captured.text();
    assert!(logged.contains("SignatureDoesNotMatch"), "{logged}");
    for text in [&shown, &logged] {
        for value in ["hunter2", "key-1", "key-2"] {
            assert!(!text.contains(value), "{value} in {text}");
        }
    }
}
