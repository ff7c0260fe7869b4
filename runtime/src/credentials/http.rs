//! What the providers that fetch credentials over plain HTTP share (STS
//! `AssumeRoleWithOIDC`, which takes no signature, and a credentials URI): a client with the
//! credentials timeouts that follows no redirect, and an answer read whole within
//! [`CREDENTIALS_DOCUMENT_BYTES`].

use std::sync::Arc;

use crate::limits::{
    read_body, BodyError, CREDENTIALS_CONNECT_TIMEOUT, CREDENTIALS_DOCUMENT_BYTES,
    CREDENTIALS_REQUEST_TIMEOUT,
};

/// An HTTP client for fetching credentials: [`CREDENTIALS_CONNECT_TIMEOUT`] to connect,
/// [`CREDENTIALS_REQUEST_TIMEOUT`] for the whole exchange, no redirects (an answer that
/// points elsewhere is an error, never followed with a token), and no proxy when `direct`
/// (a local agent on a loopback or private address). Or why it could not be built.
pub(crate) fn client(direct: bool) -> Result<reqwest::Client, Arc<reqwest::Error>> {
    let mut builder = reqwest::Client::builder()
        .user_agent(crate::wire::USER_AGENT)
        .connect_timeout(CREDENTIALS_CONNECT_TIMEOUT)
        .timeout(CREDENTIALS_REQUEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none());
    if direct {
        builder = builder.no_proxy();
    }
    builder.build().map_err(Arc::new)
}

/// An answer, read whole.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: bytes::Bytes,
}

/// Why an exchange gave no answer to look at. `Display` names what was sent where (the
/// caller's `what`) and never the body.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Sending, or reading the answer, failed (the error comes without its URL).
    Send(reqwest::Error),
    /// A redirect, not followed.
    Redirect(u16),
    /// The body is larger than [`CREDENTIALS_DOCUMENT_BYTES`].
    TooLarge,
}

impl Failure {
    /// `{what} failed: …` for an error message; the reqwest error goes as the source.
    pub(crate) fn describe(self, what: &str) -> (String, Option<crate::error::BoxError>) {
        match self {
            Failure::Send(e) => {
                let kind = if e.is_timeout() {
                    format!(" (no answer within {CREDENTIALS_REQUEST_TIMEOUT:?})")
                } else if e.is_connect() {
                    " (cannot connect)".to_owned()
                } else {
                    String::new()
                };
                (format!("{what} failed{kind}"), Some(Box::new(e)))
            }
            Failure::Redirect(status) => (
                format!("{what} answered http {status}, a redirect, which is not followed"),
                None,
            ),
            Failure::TooLarge => (
                format!(
                    "{what}: the answer exceeds the limit of {CREDENTIALS_DOCUMENT_BYTES} bytes \
                     for a credentials document"
                ),
                None,
            ),
        }
    }
}

/// Sends `request` and reads the answer, refusing a redirect and a body over the limit.
pub(crate) async fn exchange(request: reqwest::RequestBuilder) -> Result<Answer, Failure> {
    let response = request
        .send()
        .await
        .map_err(|e| Failure::Send(e.without_url()))?;
    let status = response.status();
    if status.is_redirection() {
        return Err(Failure::Redirect(status.as_u16()));
    }
    match read_body(response, CREDENTIALS_DOCUMENT_BYTES).await {
        Ok(body) => Ok(Answer {
            status: status.as_u16(),
            body,
        }),
        Err(BodyError::Read(e)) => Err(Failure::Send(e.without_url())),
        Err(BodyError::TooLarge { .. }) => Err(Failure::TooLarge),
    }
}

/// A `serde_json` error without the text it may quote (a value could be a secret): its
/// kind, the field it misses if that is the trouble, its line and column.
pub(crate) fn json_error(e: &serde_json::Error) -> String {
    let shown = e.to_string();
    let kind = match e.classify() {
        serde_json::error::Category::Io => "unreadable",
        serde_json::error::Category::Syntax => "not JSON",
        // Serde names the field, never a value, in this one.
        serde_json::error::Category::Data if shown.starts_with("missing field `") => shown
            .split(" at line ")
            .next()
            .unwrap_or("JSON of another shape"),
        serde_json::error::Category::Data => "JSON of another shape",
        serde_json::error::Category::Eof => "cut-off JSON",
    };
    format!("{kind} (at line {}, column {})", e.line(), e.column())
}

#[cfg(test)]
mod tests {
    use super::json_error;

    #[test]
    fn json_errors_never_quote_values() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Doc {
            a: u32,
            b: String,
        }
        let shown = |text: &str| match serde_json::from_str::<Doc>(text) {
            Ok(doc) => format!("{doc:?}"),
            Err(e) => json_error(&e),
        };
        assert_eq!(
            shown(r#"{"a": "s3cr3t-value", "b": "x"}"#),
            "JSON of another shape (at line 1, column 20)"
        );
        assert_eq!(
            shown(r#"{"a": 1}"#),
            "missing field `b` (at line 1, column 8)"
        );
        assert_eq!(shown("s3cr3t"), "not JSON (at line 1, column 1)");
        assert_eq!(
            shown(r#"{"a": 1, "b": "s3c"#),
            "cut-off JSON (at line 1, column 18)"
        );
    }
}
