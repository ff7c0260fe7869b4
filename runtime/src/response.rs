//! Decoding responses: the same serde type reads Aliyun's JSON and its XML.
//!
//! Aliyun wraps lists in an object named for the list, holding one key named for the item:
//! `"InstanceTypes":{"InstanceType":[…]}` in JSON, `<InstanceTypes><InstanceType>…</InstanceType>…`
//! in XML. Declare such a field as a plain `Vec` with [`list`] and it reads both, including a
//! single item, an empty wrapper (`{}`, `<InstanceTypes/>`) and a missing one:
//!
//! ```
//! use aliyun_rpc::response::{self, Format};
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

use crate::error::{ApiError, Error};

/// The response format, sent as the `Format` common parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// `Format=JSON` (the default).
    #[default]
    Json,
    /// `Format=XML`.
    Xml,
}

impl Format {
    /// The wire value: `JSON` or `XML`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Json => "JSON",
            Format::Xml => "XML",
        }
    }
}

/// Decodes a successful body in `format` into `T`.
pub fn decode<T: DeserializeOwned>(
    format: Format,
    http_status: u16,
    body: &[u8],
) -> Result<T, Error> {
    let result = match format {
        Format::Json => {
            serde_json::from_slice(body).map_err(|e| Box::new(e) as crate::error::BoxError)
        }
        Format::Xml => std::str::from_utf8(body)
            .map_err(|e| Box::new(e) as crate::error::BoxError)
            .and_then(|text| {
                quick_xml::de::from_str(text).map_err(|e| Box::new(e) as crate::error::BoxError)
            }),
    };
    result.map_err(|source| Error::Decode {
        format: format.as_str(),
        expected: std::any::type_name::<T>(),
        http_status,
        body_prefix: body_prefix(body),
        source,
    })
}

/// The first 512 bytes of `body`, as lossy UTF-8.
pub(crate) fn body_prefix(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(512)]).into_owned()
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
pub fn decode_error(format: Format, http_status: u16, body: &[u8]) -> ApiError {
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
        }) => ApiError {
            http_status,
            code,
            message: message.unwrap_or_default(),
            request_id,
            host_id,
            recommend,
            signature_mismatch: None,
            attempts: 1,
            retry_after: None,
            server_date: None,
        },
        _ => ApiError::new(http_status, format!("Http{http_status}"), body_prefix(body)),
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
