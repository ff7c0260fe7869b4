//! [`DecodeProblem`]: why an answer did not decode, with the field path and a hint; the
//! source of an [`Error::Decode`](super::Error::Decode).

use std::fmt;

/// Why a body did not decode: where (the field path) and the parser's error, with a hint
/// when the mistake is a common one. The source of an [`Error::Decode`](super::Error::Decode).
#[derive(Debug)]
pub(crate) struct DecodeProblem {
    /// `Vpcs.Vpc[3].VpcId`; empty at the top level.
    pub(crate) path: String,
    pub(crate) hint: Option<&'static str>,
    pub(crate) source: super::BoxError,
}

/// The parser's words for a list field that met Aliyun's list wrapper.
const MAP_FOR_SEQUENCE: &str = "invalid type: map, expected a sequence";

impl DecodeProblem {
    pub(crate) fn at(
        path: String,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> DecodeProblem {
        // serde_path_to_error's name for "no path".
        let path = if path == "." { String::new() } else { path };
        let hint = source.to_string().contains(MAP_FOR_SEQUENCE).then_some(
            "Aliyun wraps lists in an object (`{\"Vpcs\":{\"Vpc\":[...]}}`): declare the field \
             with `#[serde(default, deserialize_with = \"aliyun_rpc::response::list\")]`, or put \
             `#[aliyun_rpc::response]` on the struct",
        );
        DecodeProblem {
            path,
            hint,
            source: Box::new(source),
        }
    }
}

impl fmt::Display for DecodeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            write!(f, "at `{}`: ", self.path)?;
        }
        write!(f, "{}", self.source)?;
        if let Some(hint) = self.hint {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeProblem {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}
