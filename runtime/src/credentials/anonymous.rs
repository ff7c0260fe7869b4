//! Calling an STS action that takes no signature: `AssumeRoleWithOIDC`, whose caller has an
//! OIDC token and no key. As the official credentials-go sends it: `POST /` with `Action`,
//! `Version`, `Format=JSON` and `Timestamp` in the query and the business params in a form
//! body, without `AccessKeyId`, `SignatureNonce` or `Signature`.
//!
//! The answer is read within [`CREDENTIALS_DOCUMENT_BYTES`](crate::limits::CREDENTIALS_DOCUMENT_BYTES)
//! and the credentials timeouts, a redirect is refused, and an error answer has every secret
//! param (the OIDC token) scrubbed from its text before anyone sees it.

use crate::error::Error;
use crate::format::Format;
use crate::params::{PairFlags, PairSink, ParamWriter};
use crate::redact::Redactor;
use crate::request::Request;
use crate::signing::percent_encode;
use crate::wire::{self, param, FORM_CONTENT_TYPE};

use super::http::{self, json_error};

/// The business params with whether each is secret.
#[derive(Default)]
struct Pairs(Vec<(String, String, bool)>);

impl PairSink for Pairs {
    fn push_pair(&mut self, key: &str, _key_unreserved: bool, value: &str, flags: PairFlags) {
        self.0.push((
            key.to_owned(),
            value.to_owned(),
            flags.has(PairFlags::SECRET),
        ));
    }
}

/// `a=b&c=d`, each part percent-encoded.
fn form<'p>(pairs: impl Iterator<Item = (&'p str, &'p str)>) -> String {
    let encoded: Vec<String> = pairs
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect();
    encoded.join("&")
}

/// Sends `request` unsigned to `endpoint` (`scheme://host[:port]`) and decodes its JSON
/// answer. An error answer is an [`Error::Api`] with our secret params scrubbed from it;
/// every other failure an [`Error::Credentials`] naming `POST {endpoint}/` and never a param.
pub(crate) async fn call<R: Request>(
    http: &reqwest::Client,
    endpoint: &str,
    request: &R,
) -> Result<R::Response, Error> {
    request.validate()?;
    let mut pairs = Pairs::default();
    {
        let mut writer = ParamWriter::with_buffers(&mut pairs, String::new(), String::new());
        request.write_params(&mut writer);
    }

    let timestamp = wire::format_timestamp(time::OffsetDateTime::now_utc());
    let query = form(
        [
            (param::ACTION, R::ACTION),
            (param::VERSION, R::VERSION),
            (param::FORMAT, Format::Json.as_str()),
            (param::TIMESTAMP, timestamp.as_str()),
        ]
        .into_iter(),
    );
    let body = form(pairs.0.iter().map(|(k, v, _)| (k.as_str(), v.as_str())));
    let what = format!("POST {endpoint}/");
    let sent = http
        .post(format!("{endpoint}/?{query}"))
        .header(reqwest::header::CONTENT_TYPE, FORM_CONTENT_TYPE)
        .body(body);
    let answer = http::exchange(sent).await.map_err(|failure| {
        let (message, source) = failure.describe(&what);
        Error::Credentials { message, source }
    })?;

    if !(200..300).contains(&answer.status) {
        let mut redactor = Redactor::default();
        for (_, value, secret) in &pairs.0 {
            if *secret {
                redactor.push(value.as_str());
            }
        }
        let mut server = crate::response::parse_error(Format::Json, answer.status, &answer.body);
        server.redact(&redactor);
        return Err(Error::Api(Box::new(server.into_api_error(answer.status))));
    }
    serde_json::from_slice(&answer.body).map_err(|e| Error::Credentials {
        message: format!(
            "{what} answered http {} with {}, not the expected answer",
            answer.status,
            json_error(&e)
        ),
        source: None,
    })
}
