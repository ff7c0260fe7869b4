//! [`Format`]: JSON or XML, the response format a call asks for.

use std::fmt;

/// The response format, sent as the `Format` common param.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// `Format=JSON` (the client's default).
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

    /// The media type that asks for this format in a signature V3 request's `Accept` header:
    /// `application/json` or `application/xml`.
    ///
    /// ```
    /// use aliyun_rpc::Format;
    /// assert_eq!(Format::Xml.media_type(), "application/xml");
    /// ```
    pub const fn media_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Xml => "application/xml",
        }
    }

    /// The format a server answers in for a request's `Format` param: JSON when it says
    /// `JSON` in any case, XML otherwise, and XML when it is missing, as Aliyun does.
    ///
    /// ```
    /// use aliyun_rpc::Format;
    ///
    /// assert_eq!(Format::from_param(Some("Json")), Format::Json);
    /// assert_eq!(Format::from_param(Some("yaml")), Format::Xml);
    /// assert_eq!(Format::from_param(None), Format::Xml);
    /// ```
    pub fn from_param(value: Option<&str>) -> Format {
        match value {
            Some(v) if v.eq_ignore_ascii_case("JSON") => Format::Json,
            _ => Format::Xml,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
