//! Schema mode's model: the actions of `api-docs.json` files (Aliyun's OpenAPI metadata,
//! through `aliyun-rpc-metadata`, the project's one reading of it), each ready to check a
//! call's params and to answer it. The vendored ECS `2014-05-26` copy is built in, read once
//! per process and shared by every emulator.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use aliyun_rpc_metadata::{vendored, Api, ApiDocs, ApiStyle, Location, Type};
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::schema_answer;
use crate::schema_errors::dry_run_answer;

/// Where an `api-docs.json` comes from.
#[derive(Debug, Clone)]
pub(crate) enum DocsSource {
    /// A file, read at start (a regular file of at most 64 MiB).
    File(PathBuf),
    /// Text, with the name errors call it by.
    Text { name: String, text: String },
}

/// One action of a loaded document.
#[derive(Debug)]
pub(crate) struct ActionSchema {
    /// The API version (`2014-05-26`).
    pub(crate) version: Arc<str>,
    /// The action's definition, normalised.
    pub(crate) api: Api,
    /// The position of each top-level param in `api.parameters`, by wire name.
    positions: HashMap<String, usize>,
    /// The answer before the call's identifiers are echoed.
    pub(crate) template: Map<String, Value>,
    /// What `DryRun=true` answers, when the action declares `DryRun`.
    pub(crate) dry_run: Option<ApiError>,
}

impl ActionSchema {
    fn new(version: &Arc<str>, api: Api) -> ActionSchema {
        let positions = api
            .parameters
            .iter()
            .enumerate()
            .map(|(at, p)| (p.name.clone(), at))
            .collect();
        let template = schema_answer::template(&api);
        let dry_run = api
            .parameter("DryRun")
            .filter(|p| p.schema.ty == Type::Boolean)
            .map(|_| dry_run_answer(&api));
        ActionSchema {
            version: Arc::clone(version),
            api,
            positions,
            template,
            dry_run,
        }
    }

    /// The position of top-level param `name` in `api.parameters`.
    pub(crate) fn param_position(&self, name: &str) -> Option<usize> {
        self.positions.get(name).copied()
    }
}

/// Every action of one document.
#[derive(Debug)]
pub(crate) struct LoadedDocs {
    /// The product, as the document names it.
    pub(crate) product: Arc<str>,
    /// The API version.
    pub(crate) version: Arc<str>,
    pub(crate) actions: Vec<Arc<ActionSchema>>,
}

/// Reads, parses and checks one document: errors name the file (or the text's name) and, for
/// a malformed entry, the action.
pub(crate) fn load(source: &DocsSource) -> Result<LoadedDocs, String> {
    let (docs, origin) = match source {
        DocsSource::File(path) => (ApiDocs::from_file(path), path.display().to_string()),
        DocsSource::Text { name, text } => (ApiDocs::from_json_named(text, name), name.clone()),
    };
    compile(docs.map_err(|err| err.to_string())?, &origin)
}

/// The built-in ECS `2014-05-26` schema, read on first use and shared.
pub(crate) fn built_in_ecs() -> Result<Arc<LoadedDocs>, String> {
    static ECS: OnceLock<Result<Arc<LoadedDocs>, String>> = OnceLock::new();
    ECS.get_or_init(|| {
        load(&DocsSource::Text {
            name: vendored::ECS_2014_05_26_FILE.to_owned(),
            text: vendored::ECS_2014_05_26.to_owned(),
        })
        .map(Arc::new)
    })
    .clone()
}

/// The document's actions, refused when it is not an RPC API (schema mode answers RPC calls:
/// ROA paths and headers are not params it could check).
fn compile(docs: ApiDocs, origin: &str) -> Result<LoadedDocs, String> {
    if docs.info.style == ApiStyle::Roa {
        return Err(format!(
            "{origin}: a ROA API (`info.style` is `ROA`); schema mode serves RPC APIs"
        ));
    }
    if docs.info.product.trim().is_empty() || docs.info.version.trim().is_empty() {
        return Err(format!(
            "{origin}: `info.product` and `info.version` must name the API"
        ));
    }
    let product: Arc<str> = docs.info.product.as_str().into();
    let version: Arc<str> = docs.info.version.as_str().into();
    let mut actions = Vec::with_capacity(docs.apis.len());
    for (name, api) in docs.apis {
        if let Some(param) = api
            .parameters
            .iter()
            .find(|p| matches!(p.location, Location::Path | Location::Header))
        {
            return Err(format!(
                "{origin}: action `{name}`, parameter `{}`: `in: {}` is a ROA location; \
                 schema mode serves RPC APIs",
                param.name,
                match param.location {
                    Location::Path => "path",
                    _ => "header",
                }
            ));
        }
        actions.push(Arc::new(ActionSchema::new(&version, api)));
    }
    Ok(LoadedDocs {
        product,
        version,
        actions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(json: &str) -> DocsSource {
        DocsSource::Text {
            name: "mine.json".into(),
            text: json.into(),
        }
    }

    #[test]
    fn the_built_in_ecs_schema_has_every_action() {
        let ecs = built_in_ecs().unwrap();
        assert_eq!((&*ecs.product, &*ecs.version), ("Ecs", "2014-05-26"));
        assert_eq!(ecs.actions.len(), 347);
        let run = ecs
            .actions
            .iter()
            .find(|a| a.api.name == "RunInstances")
            .unwrap();
        assert!(run.param_position("VSwitchId").is_some());
        assert!(run.param_position("VswitchId").is_none());
        assert_eq!(
            run.dry_run.as_ref().map(|e| e.code()),
            Some("DryRunOperation")
        );
        assert!(run.template.contains_key("InstanceIdSets"));
        // The same tree for every emulator of the process.
        assert!(Arc::ptr_eq(&ecs, &built_in_ecs().unwrap()));
    }

    #[test]
    fn malformed_documents_are_errors_naming_file_and_action() {
        let err = load(&text("{")).unwrap_err();
        assert!(err.starts_with("mine.json: "), "{err}");
        let err = load(&text(
            r#"{"info": {"product": "X", "version": "1", "style": "RPC"},
                "apis": {"Bad": {"parameters": [{"name": "N", "in": "query",
                         "schema": {"type": "integer", "maximum": "lots"}}]}}}"#,
        ))
        .unwrap_err();
        assert!(
            err.contains("mine.json") && err.contains("`Bad`") && err.contains("`N`"),
            "{err}"
        );
        let err = load(&text(
            r#"{"info": {"product": "Cs", "version": "2015-12-15", "style": "ROA"}, "apis": {}}"#,
        ))
        .unwrap_err();
        assert_eq!(
            err,
            "mine.json: a ROA API (`info.style` is `ROA`); schema mode serves RPC APIs"
        );
        let err = load(&text(
            r#"{"info": {"product": "X", "version": "1", "style": "RPC"},
                "apis": {"Get": {"parameters": [{"name": "Id", "in": "path",
                         "schema": {"type": "string"}}]}}}"#,
        ))
        .unwrap_err();
        assert_eq!(
            err,
            "mine.json: action `Get`, parameter `Id`: `in: path` is a ROA location; schema \
             mode serves RPC APIs"
        );
        let err = load(&DocsSource::File("no/such/api-docs.json".into())).unwrap_err();
        assert!(err.contains("no/such/api-docs.json"), "{err}");
    }
}
