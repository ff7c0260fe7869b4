//! The actions the emulator answers, and calling one: the table of routes by API version and
//! action (a handler, a schema, or both; with the product each known version belongs to), the
//! lookup that tells an unknown action from a known one called with another version, the
//! schema's checks before a call runs, and a call that turns a handler's bugs (a panic, an
//! answer that is not a JSON object) into `InternalError`.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use aliyun_rpc_metadata::Type;
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::request::EmulatorRequest;
use crate::schema::ActionSchema;
use crate::schema_answer;
use crate::schema_check::{self, Strictness};

/// A user's or a built-in action.
pub(crate) type Handler = Arc<dyn Fn(&EmulatorRequest) -> Result<Value, ApiError> + Send + Sync>;

/// How one action is served: by its handler when it has one, else by its schema's answer; the
/// schema's checks come first either way.
#[derive(Default)]
pub(crate) struct Route {
    handler: Option<Handler>,
    schema: Option<Arc<ActionSchema>>,
    /// What the handler, a built-in one, checks itself.
    owns: Owns,
}

/// What a built-in handler checks itself, which the schema leaves to it: its required params
/// (answered with the codes the README's tables pin, e.g. `MissingRegionId`) and the params it
/// reads that its action's metadata does not declare (`Usage`, which Aliyun's
/// `DescribeImageSupportInstanceTypes` page still documents through `InvalidUsage`).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Owns {
    pub(crate) required: bool,
    pub(crate) params: &'static [&'static str],
}

/// Every action the emulator answers.
#[derive(Default)]
pub(crate) struct Actions {
    /// Keyed by version, then action.
    routes: HashMap<String, HashMap<String, Route>>,
    /// The product of each API version the emulator knows, for the `Recommend` link.
    products: HashMap<String, Arc<str>>,
    /// Params an action does not declare pass unchecked (the real service ignores them)
    /// instead of being refused.
    pub(crate) allow_undeclared_params: bool,
}

impl Actions {
    /// Names the product API `version` belongs to (`Ecs` for `2014-05-26`).
    pub(crate) fn product(&mut self, version: &str, product: &str) {
        self.products.insert(version.to_owned(), product.into());
    }

    /// Answers `action` of API `version` with `handler`, replacing any earlier one.
    pub(crate) fn insert(
        &mut self,
        version: impl Into<String>,
        action: impl Into<String>,
        handler: Handler,
    ) {
        self.insert_owning(version, action, handler, Owns::default());
    }

    /// Like [`insert`](Self::insert), for a built-in handler that checks what `owns` says.
    pub(crate) fn insert_owning(
        &mut self,
        version: impl Into<String>,
        action: impl Into<String>,
        handler: Handler,
        owns: Owns,
    ) {
        let route = self.route(version.into(), action.into());
        route.handler = Some(handler);
        route.owns = owns;
    }

    /// Checks (and, without a handler, answers) the calls of `schema`'s action, replacing any
    /// earlier schema of that action and version.
    pub(crate) fn insert_schema(&mut self, schema: Arc<ActionSchema>) {
        let route = self.route(schema.version.to_string(), schema.api.name.clone());
        route.schema = Some(schema);
    }

    fn route(&mut self, version: String, action: String) -> &mut Route {
        self.routes
            .entry(version)
            .or_default()
            .entry(action)
            .or_default()
    }

    /// The product of a call's `Version`, if the emulator knows it.
    pub(crate) fn product_of(&self, version: Option<&str>) -> Option<Arc<str>> {
        self.products.get(version?).cloned()
    }

    /// The route of `action` in API `version`: `InvalidVersion` when the action exists only in
    /// other versions, `InvalidAction.NotFound` when it does not exist at all.
    pub(crate) fn find(&self, version: &str, action: &str) -> Result<&Route, ApiError> {
        let found = self
            .routes
            .get(version)
            .and_then(|by_action| by_action.get(action));
        found.ok_or_else(|| {
            if self
                .routes
                .values()
                .any(|by_action| by_action.contains_key(action))
            {
                ApiError::bad_request(
                    "InvalidVersion",
                    "Specified parameter Version is not valid.",
                )
            } else {
                api_not_found()
            }
        })
    }

    /// The schema's checks of a call to `route`, then `DryRun`: a call with `DryRun=true` (any
    /// case) to an action that declares it is answered here, before any handler runs.
    pub(crate) fn check(&self, route: &Route, request: &EmulatorRequest) -> Result<(), ApiError> {
        let Some(schema) = &route.schema else {
            return Ok(());
        };
        let params = request
            .params()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()));
        let strictness = Strictness {
            allow_undeclared: self.allow_undeclared_params,
            required: !route.owns.required,
            also_declared: route.owns.params,
        };
        schema_check::check(schema, params, strictness)
            .map_err(|problem| problem.to_api_error(&schema.api, &schema.version))?;
        match &schema.dry_run {
            Some(answer) if request.param("DryRun").is_some_and(is_true) => Err(answer.clone()),
            _ => Ok(()),
        }
    }
}

impl Route {
    /// Runs the call: the handler's answer, or else the schema's.
    pub(crate) fn run(&self, request: &EmulatorRequest) -> Result<Map<String, Value>, ApiError> {
        match (&self.handler, &self.schema) {
            (Some(handler), _) => call(handler, request),
            (None, Some(schema)) => Ok(schema_answer::answer(
                &schema.template,
                schema.api.response.as_ref(),
                |name| echoed(schema, request, name),
            )),
            (None, None) => Err(ApiError::internal(format!(
                "no handler for {}",
                request.action()
            ))),
        }
    }
}

/// `true` as Aliyun reads a boolean: any case (the official Python SDKs send `True`).
fn is_true(value: &str) -> bool {
    value.eq_ignore_ascii_case("true")
}

/// The value of param `name` when the action declares it as a scalar (or it is `RegionId`)
/// and the call sent it, not empty: what an answer's field of the same name echoes.
fn echoed<'r>(schema: &ActionSchema, request: &'r EmulatorRequest, name: &str) -> Option<&'r str> {
    let scalar = match schema.param_position(name) {
        Some(at) => schema.api.parameters.get(at).is_some_and(|p| {
            matches!(
                p.schema.ty,
                Type::String | Type::Integer | Type::Number | Type::Boolean
            )
        }),
        None => name == "RegionId",
    };
    request
        .param(name)
        .filter(|value| scalar && !value.is_empty())
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
        assert_eq!(
            actions.product_of(Some("2014-05-26")).as_deref(),
            Some("Ecs")
        );
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
