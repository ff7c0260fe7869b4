//! The actions the emulator answers, and calling one: the table of handlers by API version
//! and action (with the product each known version belongs to), the lookup that tells an
//! unknown action from a known one called with another version, and a call that turns a
//! handler's bugs (a panic, an answer that is not a JSON object) into `InternalError`.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::request::EmulatorRequest;

/// A user's or a built-in action.
pub(crate) type Handler = Arc<dyn Fn(&EmulatorRequest) -> Result<Value, ApiError> + Send + Sync>;

/// Every action the emulator answers.
#[derive(Default)]
pub(crate) struct Actions {
    /// Keyed by `(version, action)`.
    handlers: HashMap<(String, String), Handler>,
    /// The product of each API version the emulator knows, for the `Recommend` link.
    products: HashMap<&'static str, &'static str>,
}

impl Actions {
    /// Names the product API `version` belongs to (`Ecs` for `2014-05-26`).
    pub(crate) fn product(&mut self, version: &'static str, product: &'static str) {
        self.products.insert(version, product);
    }

    /// Answers `action` of API `version` with `handler`, replacing any earlier one.
    pub(crate) fn insert(
        &mut self,
        version: impl Into<String>,
        action: impl Into<String>,
        handler: Handler,
    ) {
        self.handlers
            .insert((version.into(), action.into()), handler);
    }

    /// The product of a call's `Version`, if the emulator knows it.
    pub(crate) fn product_of(&self, version: Option<&str>) -> Option<&'static str> {
        self.products.get(version?).copied()
    }

    /// The handler of `action` in API `version`: `InvalidVersion` when the action exists
    /// only in other versions, `InvalidAction.NotFound` when it does not exist at all.
    pub(crate) fn find(&self, version: &str, action: &str) -> Result<&Handler, ApiError> {
        let key = (version.to_owned(), action.to_owned());
        self.handlers.get(&key).ok_or_else(|| {
            if self.handlers.keys().any(|(_, a)| a == action) {
                ApiError::bad_request(
                    "InvalidVersion",
                    "Specified parameter Version is not valid.",
                )
            } else {
                api_not_found()
            }
        })
    }
}

/// Aliyun's answer for a call to an API that does not exist (an unknown action, another
/// path, another method).
pub(crate) fn api_not_found() -> ApiError {
    ApiError::not_found(
        "InvalidAction.NotFound",
        "Specified api is not found, please check your url and method.",
    )
}

/// Runs `handler` on `request`: its JSON object, or its error, or `InternalError` naming
/// what went wrong when it panicked or answered something other than an object.
pub(crate) fn call(
    handler: &Handler,
    request: &EmulatorRequest,
) -> Result<Map<String, Value>, ApiError> {
    let action = request.action();
    match catch_unwind(AssertUnwindSafe(|| handler(request))) {
        Ok(Ok(Value::Object(body))) => Ok(body),
        Ok(Ok(other)) => Err(ApiError::internal(format!(
            "the handler for {action} returned {}, not a JSON object",
            kind(&other)
        ))),
        Ok(Err(err)) => Err(err),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".to_owned());
            Err(ApiError::internal(format!(
                "the handler for {action} panicked: {what}"
            )))
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn handler(
        f: impl Fn(&EmulatorRequest) -> Result<Value, ApiError> + Send + Sync + 'static,
    ) -> Handler {
        Arc::new(f)
    }

    #[test]
    fn unknown_action_and_unknown_version_differ() {
        let mut actions = Actions::default();
        actions.product("2014-05-26", "Ecs");
        actions.insert("2014-05-26", "Describe", handler(|_| Ok(json!({}))));
        assert!(actions.find("2014-05-26", "Describe").is_ok());
        let err = actions
            .find("2099-01-01", "Describe")
            .err()
            .map(|e| e.code().to_owned());
        assert_eq!(err.as_deref(), Some("InvalidVersion"));
        let err = actions
            .find("2014-05-26", "Nope")
            .err()
            .map(|e| e.code().to_owned());
        assert_eq!(err.as_deref(), Some("InvalidAction.NotFound"));
        assert_eq!(actions.product_of(Some("2014-05-26")), Some("Ecs"));
        assert_eq!(actions.product_of(Some("2099-01-01")), None);
        assert_eq!(actions.product_of(None), None);
    }

    #[test]
    fn handler_bugs_become_internal_errors() {
        let request = EmulatorRequest::new("GET", vec![("Action".into(), "Bug".into())]);
        let err = call(&handler(|_| Ok(json!([1]))), &request).unwrap_err();
        assert_eq!(err.code(), "InternalError");
        assert_eq!(
            err.message(),
            "the handler for Bug returned an array, not a JSON object"
        );
        let err = call(&handler(|_| panic!("oops")), &request).unwrap_err();
        assert_eq!(err.message(), "the handler for Bug panicked: oops");
    }
}
