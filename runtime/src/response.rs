//! Decoding responses: the same serde type reads Aliyun's JSON and its XML.
//!
//! Aliyun wraps lists in an object named for the list, holding one key named for the item:
//! `"InstanceTypes":{"InstanceType":[…]}` in JSON, `<InstanceTypes><InstanceType>…</InstanceType>…`
//! in XML. Declare such a field as a plain `Vec` with [`list`] and it reads both, including a
//! single item, an empty wrapper (`{}`, `<InstanceTypes/>`) and a missing one:
//!
//! ```
//! use aliyun_rpc::{response, Format};
//! use serde::Deserialize;
//!
//! #[derive(Debug, Deserialize, PartialEq)]
//! #[serde(rename_all = "PascalCase")]
//! pub struct DescribeImageSupportInstanceTypesResponse {
//!     pub request_id: String,
//!     pub region_id: String,
//!     pub image_id: String,
//!     #[serde(default, deserialize_with = "response::list")]
//!     pub instance_types: Vec<InstanceType>,
//! }
//!
//! #[derive(Debug, Deserialize, PartialEq)]
//! #[serde(rename_all = "PascalCase")]
//! pub struct InstanceType {
//!     pub instance_type_id: String,
//!     pub cpu_core_count: u32,
//!     pub memory_size: f64,
//!     pub instance_type_family: String,
//! }
//!
//! let json = r#"{"RequestId":"R1","RegionId":"cn-hangzhou","ImageId":"m-1",
//!   "InstanceTypes":{"InstanceType":[{"InstanceTypeId":"ecs.t1.xsmall","CpuCoreCount":1,
//!   "MemorySize":0.5,"InstanceTypeFamily":"ecs.t1"}]}}"#;
//! let xml = r#"<DescribeImageSupportInstanceTypesResponse><RequestId>R1</RequestId>
//!   <RegionId>cn-hangzhou</RegionId><ImageId>m-1</ImageId><InstanceTypes><InstanceType>
//!   <InstanceTypeId>ecs.t1.xsmall</InstanceTypeId><CpuCoreCount>1</CpuCoreCount>
//!   <MemorySize>0.5</MemorySize><InstanceTypeFamily>ecs.t1</InstanceTypeFamily>
//!   </InstanceType></InstanceTypes></DescribeImageSupportInstanceTypesResponse>"#;
//!
//! let a: DescribeImageSupportInstanceTypesResponse = response::decode(Format::Json, 200, json.as_bytes())?;
//! let b: DescribeImageSupportInstanceTypesResponse = response::decode(Format::Xml, 200, xml.as_bytes())?;
//! assert_eq!(a, b);
//! assert_eq!(a.instance_types[0].memory_size, 0.5);
//! # Ok::<(), aliyun_rpc::Error>(())
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::error::{ApiError, DecodeProblem, Error};
use crate::format::Format;
use crate::limits::{BODY_PREFIX_BYTES, MAX_CODE_BYTES, MAX_MESSAGE_BYTES};
use crate::redact::Redactor;
use crate::untrusted::bounded;
use crate::wire::REDACTED;

/// Decodes a successful body in `format` into `T`.
///
/// A body that does not fit `T` fails with [`Error::Decode`], whose message names the field
/// where decoding stopped ([`Error::decode_path`]: `InstanceTypes`, `Vpcs.Vpc[3].VpcId`) and,
/// for a list field without Aliyun's list handling, how to fix the type. An XML list that
/// would decode into one item (a wrapped list read by a plain `Vec` field: ten
/// `<InstanceType>` elements would become one empty item) is that error too, not a silent
/// loss:
///
/// ```
/// use aliyun_rpc::{response, Format};
///
/// #[derive(Debug, serde::Deserialize)]
/// #[serde(rename_all = "PascalCase")]
/// pub struct Answer {
///     #[serde(default)] // no `deserialize_with = "aliyun_rpc::response::list"`
///     pub instance_types: Vec<InstanceType>,
/// }
///
/// #[derive(Debug, serde::Deserialize)]
/// #[serde(rename_all = "PascalCase")]
/// pub struct InstanceType { pub instance_type_id: Option<String> }
///
/// let json = r#"{"InstanceTypes":{"InstanceType":[{"InstanceTypeId":"ecs.t1"}]}}"#;
/// let err = response::decode::<Answer>(Format::Json, 200, json.as_bytes()).unwrap_err();
/// assert_eq!(err.decode_path(), Some("InstanceTypes"));
/// assert!(err.to_string().contains("aliyun_rpc::response::list"), "{err}");
///
/// let xml = "<Answer><InstanceTypes><InstanceType><InstanceTypeId>ecs.t1</InstanceTypeId></InstanceType>\
///            <InstanceType><InstanceTypeId>ecs.t2</InstanceTypeId></InstanceType></InstanceTypes></Answer>";
/// let err = response::decode::<Answer>(Format::Xml, 200, xml.as_bytes()).unwrap_err();
/// assert_eq!(err.decode_path(), Some("InstanceTypes"));
/// assert!(err.to_string().contains("holds a list of `<InstanceType>` elements"), "{err}");
/// ```
pub fn decode<T: DeserializeOwned>(
    format: Format,
    http_status: u16,
    body: &[u8],
) -> Result<T, Error> {
    let result = match format {
        Format::Json => {
            let mut de = serde_json::Deserializer::from_slice(body);
            serde_path_to_error::deserialize(&mut de)
                .map_err(|e| DecodeProblem::at(e.path().to_string(), e.into_inner()))
                .and_then(|value| {
                    // Trailing text after the value, as `serde_json::from_slice` refuses it.
                    de.end()
                        .map(|()| value)
                        .map_err(|e| DecodeProblem::at(String::new(), e))
                })
        }
        Format::Xml => match std::str::from_utf8(body) {
            Err(e) => Err(DecodeProblem::at(String::new(), e)),
            Ok(text) => {
                let mut xml = quick_xml::de::Deserializer::from_str(text);
                let mut track = serde_path_to_error::Track::new();
                let de = serde_path_to_error::Deserializer::new(&mut xml, &mut track);
                match crate::lost_lists::deserialize(de) {
                    Ok((value, None)) => Ok(value),
                    Ok((_, Some(lost))) => Err(DecodeProblem {
                        path: lost.wrapper.clone(),
                        hint: None,
                        source: Box::new(lost),
                    }),
                    Err(e) => Err(DecodeProblem::at(track.path().to_string(), e)),
                }
            }
        },
    };
    result.map_err(|problem| Error::Decode {
        format: format.as_str(),
        expected: std::any::type_name::<T>(),
        http_status,
        body_prefix: body_prefix(body),
        source: Box::new(problem),
    })
}

/// The first [`BODY_PREFIX_BYTES`] (512) bytes of `body`, as lossy UTF-8, with secret values
/// redacted (see [`scrub_secrets`]): the prefix goes into errors, and errors get logged.
pub(crate) fn body_prefix(body: &[u8]) -> String {
    scrub_secrets(&String::from_utf8_lossy(
        &body[..body.len().min(BODY_PREFIX_BYTES)],
    ))
}

/// Whether a field of that name holds a secret: `AccessKeySecret`, `SecurityToken`,
/// `Password`, … (STS and instance-metadata credentials, RAM access keys, passwords).
fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["secret", "token", "password"]
        .iter()
        .any(|word| name.contains(word))
}

/// `text` with the value of every secret field replaced by a marker: JSON string values
/// (`"SecurityToken": "…"`) and XML element text (`<SecurityToken>…`). A value cut off by
/// the end of `text` is redacted too.
fn scrub_secrets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['"', '<']) {
        let json = rest[at..].starts_with('"');
        let after = &rest[at + 1..];
        // A JSON string (escapes and all) or a tag, whichever opened here.
        let name_len = if json {
            json_string_len(after)
        } else {
            after.find('>').unwrap_or(after.len())
        };
        if name_len == after.len() {
            break;
        }
        let name = &after[..name_len];
        let token_end = at + 1 + name_len + 1;
        let value_start = if !is_secret_name(name) {
            None
        } else if json {
            // `"Name"`, optional spaces, `:`, optional spaces, then a string value.
            let tail = &rest[token_end..];
            tail.trim_start()
                .strip_prefix(':')
                .and_then(|colon| colon.trim_start().strip_prefix('"'))
                .map(|value| rest.len() - value.len())
        } else {
            // An opening `<Name>` (not `</Name>` or `<Name/>`): the text up to the next tag.
            (!name.starts_with('/') && !name.ends_with('/')).then_some(token_end)
        };
        let Some(value_start) = value_start else {
            out.push_str(&rest[..token_end]);
            rest = &rest[token_end..];
            continue;
        };
        out.push_str(&rest[..value_start]);
        out.push_str(REDACTED);
        let value = &rest[value_start..];
        let value_len = if json {
            json_string_len(value)
        } else {
            value.find('<').unwrap_or(value.len())
        };
        rest = &value[value_len..];
        // The JSON value's closing quote stays, and the scan goes on after it.
        if json && !rest.is_empty() {
            out.push('"');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The length of a JSON string's contents up to its closing quote (escapes skipped), or
/// of all of `s` when it ends first.
fn json_string_len(s: &str) -> usize {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return i,
            _ => {}
        }
    }
    s.len()
}

/// Aliyun's error body: `{RequestId, HostId, Code, Message, Recommend}` (or `<Error>…</Error>`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ErrorBody {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    host_id: Option<String>,
    recommend: Option<String>,
}

/// Decodes an error answer. A body that is not an Aliyun error (a proxy's HTML page, say)
/// still gives an [`ApiError`], with the code `Http{status}` and the body's start as message.
///
/// The server's text is cut to [`MAX_MESSAGE_BYTES`] for
/// the message and `Recommend`, [`MAX_CODE_BYTES`] for the
/// code and ids, and its control characters are escaped when the error is displayed:
///
/// ```
/// use aliyun_rpc::{response, Format};
///
/// let body = format!(r#"{{"Code":"Bad\u001b[31m","Message":"line 1\nline 2 {}"}}"#, "x".repeat(5000));
/// let err = response::decode_error(Format::Json, 400, body.as_bytes());
/// assert_eq!(err.code(), "Bad\u{1b}[31m");
/// assert!(err.message().len() <= 1024 && err.message().ends_with('…'));
/// let shown = err.to_string();
/// assert!(shown.starts_with(r"Bad\u{1b}[31m (http 400): line 1\nline 2 xxx"));
/// assert!(!shown.contains('\u{1b}') && !shown.contains('\n'));
/// ```
pub fn decode_error(format: Format, http_status: u16, body: &[u8]) -> ApiError {
    parse_error(format, http_status, body).into_api_error(http_status)
}

/// The text fields of an error answer, as the server sent them: what [`decode_error`]
/// makes an [`ApiError`] of, after the client has scrubbed its secrets from them.
pub(crate) struct ServerError {
    pub(crate) code: String,
    pub(crate) message: String,
    request_id: Option<String>,
    host_id: Option<String>,
    recommend: Option<String>,
}

/// The fields of an error answer (see [`decode_error`]).
pub(crate) fn parse_error(format: Format, http_status: u16, body: &[u8]) -> ServerError {
    // Some gateways answer JSON whatever the `Format`; try the requested format first.
    let parsed: Option<ErrorBody> = match format {
        Format::Json => serde_json::from_slice(body).ok(),
        Format::Xml => std::str::from_utf8(body)
            .ok()
            .and_then(|t| quick_xml::de::from_str(t).ok()),
    }
    .or_else(|| serde_json::from_slice(body).ok());
    match parsed {
        Some(ErrorBody {
            code: Some(code),
            message,
            request_id,
            host_id,
            recommend,
        }) => ServerError {
            code,
            message: message.unwrap_or_default(),
            request_id,
            host_id,
            recommend,
        },
        _ => ServerError {
            code: format!("Http{http_status}"),
            message: body_prefix(body),
            request_id: None,
            host_id: None,
            recommend: None,
        },
    }
}

impl ServerError {
    /// Every field with our secrets replaced by a marker.
    pub(crate) fn redact(&mut self, redactor: &Redactor<'_>) {
        if redactor.is_empty() {
            return;
        }
        redactor.redact_string(&mut self.code);
        redactor.redact_string(&mut self.message);
        for text in [&mut self.request_id, &mut self.host_id, &mut self.recommend]
            .into_iter()
            .flatten()
        {
            redactor.redact_string(text);
        }
    }

    /// The [`ApiError`] of an answer with `http_status`, each text cut to its bound.
    pub(crate) fn into_api_error(self, http_status: u16) -> ApiError {
        let mut error = ApiError::new(
            http_status,
            bounded(self.code, MAX_CODE_BYTES),
            bounded(self.message, MAX_MESSAGE_BYTES),
        );
        if let Some(id) = self.request_id {
            error = error.with_request_id(bounded(id, MAX_CODE_BYTES));
        }
        if let Some(host) = self.host_id {
            error = error.with_host_id(bounded(host, MAX_CODE_BYTES));
        }
        if let Some(link) = self.recommend {
            error = error.with_recommend(bounded(link, MAX_MESSAGE_BYTES));
        }
        error
    }
}

/// `deserialize_with` helper for Aliyun's list wrappers: reads `{"Item":[…]}`,
/// `{}` and `<Items><Item>…</Item>…</Items>` into a `Vec`.
///
/// Use with `#[serde(default, deserialize_with = "aliyun_rpc::response::list")]`;
/// see the [module docs](self) for an example.
pub fn list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(ListVisitor(PhantomData))
}

struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list wrapper such as {\"Item\": [...]}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
        let mut items = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if key.starts_with('@') || key == "$text" {
                // XML attributes and whitespace text around the items.
                map.next_value::<de::IgnoredAny>()?;
                continue;
            }
            items.extend(map.next_value::<Vec<T>>()?);
        }
        Ok(items)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        // Some APIs return the bare array without a wrapper.
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(items)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
        // `<InstanceTypes></InstanceTypes>` and `""` mean an empty list.
        if v.trim().is_empty() {
            Ok(Vec::new())
        } else {
            Err(E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    #[allow(dead_code)]
    struct Assumed {
        request_id: String,
        expiration: String,
    }

    /// A 200 answer that does not fit the expected type keeps its start in the error, but
    /// never the credentials in it: not in JSON, not in XML, not when cut off at 512 bytes,
    /// not after a value with escaped quotes.
    #[test]
    fn decode_errors_never_carry_secrets_from_the_body() {
        let token = format!("CAIS{}", "t".repeat(600));
        let json = format!(
            r#"{{"RequestId":"R1","Note":"say \"hi\", \"Token\": x","Credentials":{{"AccessKeyId":"STS.id","AccessKeySecret" : "s3cr3t\"x","SecurityToken":"{token}"}}}}"#
        );
        let xml = format!(
            "<AssumeRoleResponse><RequestId>R1</RequestId><Credentials><AccessKeyId>STS.id</AccessKeyId>\
             <AccessKeySecret>s3cr3t</AccessKeySecret><SecurityToken>{token}</SecurityToken></Credentials></AssumeRoleResponse>"
        );
        for (format, body) in [(Format::Json, json), (Format::Xml, xml)] {
            let err = match decode::<Assumed>(format, 200, body.as_bytes()) {
                Err(e) => e,
                Ok(v) => panic!("{v:?} decoded"),
            };
            for shown in [err.to_string(), format!("{err:?}")] {
                assert!(!shown.contains("s3cr3t"), "{shown}");
                assert!(!shown.contains("CAIS"), "{shown}");
                assert!(shown.contains("STS.id"), "{shown}");
                assert!(shown.contains(REDACTED), "{shown}");
            }
        }
    }

    #[test]
    fn bodies_without_secrets_are_kept_as_they_are() {
        for body in [
            r#"{"RequestId":"R1","Message":"a \"quoted\" <tag> token","Token":5}"#,
            "<Error><Code>Forbidden</Code><Message>no token here</Message><Token/></Error>",
            "<html><body>502 Bad Gateway</body></html>",
            r#"{"unterminated": "va"#,
        ] {
            assert_eq!(body_prefix(body.as_bytes()), body);
        }
    }
}
