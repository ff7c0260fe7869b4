//! [`Cx`]: what the lowering of one action carries, shared by `lower` (which makes one per
//! action) and the `request` and `response` lowerings (which use it).

use crate::error::Error;
use crate::registry::Registry;

/// What the lowering of one action needs: where errors point, and the module's names.
pub struct Cx<'a> {
    pub origin: &'a str,
    pub action: &'a str,
    pub reg: &'a mut Registry,
}

impl Cx<'_> {
    pub fn unsupported(&self, param: &str, reason: impl Into<String>) -> Error {
        self.error(format!("parameter `{param}`"), reason)
    }

    pub fn unsupported_response(&self, path: &str, reason: impl Into<String>) -> Error {
        let place = if path.is_empty() {
            "response".to_owned()
        } else {
            format!("response field `{path}`")
        };
        self.error(place, reason)
    }

    pub fn error(&self, place: String, reason: impl Into<String>) -> Error {
        Error::Unsupported {
            origin: self.origin.to_owned(),
            action: self.action.to_owned(),
            place,
            reason: reason.into(),
        }
    }
}
