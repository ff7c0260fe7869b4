//! Schema mode's checks: a call's params against its action's definition, as Aliyun's gateway
//! checks them before the action runs (emulator/README.md lists each check with its code).
//!
//! The params are grouped by their first name segment (`DataDisk.2.Size` under `DataDisk`) and
//! walked down the declared schema: a list (`repeatList`, `flat` array) takes `Name.1`,
//! `Name.2`, … with indices that count from 1 without gaps; an object (`flat`) takes
//! `Name.Field` (any `Name.key` when it declares no fields: a map); a `simple` list is one
//! comma-joined value; a `json` list or object is one JSON value; a scalar is one value of its
//! type. An empty value counts as not sent. What the walk finds is reported in this order: a
//! param the action does not declare (unless allowed), then a required one not sent, then an
//! invalid value — each time the first one, in the action's declaration order.
//!
//! Cost: one pass over the params to group them (one vector), then each param is looked at
//! once per level of its name, plus a sort per list or object; text is made only for a
//! problem.

use std::cmp::Ordering;

use aliyun_rpc_metadata::{Number, Schema, Style, Type};

use crate::schema::ActionSchema;
use crate::schema_errors::{shown, Invalid, Problem};
use crate::suggest::closest;
use crate::wire::COMMON_PARAMS;

/// Params that are never "undeclared": the common params of signature v1, `SignatureType`
/// (which the v1-era official SDKs always add, empty) and `RegionId` (which they add to every
/// call, whether the action declares it or not). When an action declares one of them, it is
/// checked like any other param.
fn is_exempt(key: &str) -> bool {
    key == "RegionId" || key == "SignatureType" || COMMON_PARAMS.contains(&key)
}

/// A param, as the walk sees it: a sort key (the declared param's position, then a list index),
/// the rest of its name below the current level (`2.Size` under `DataDisk`, then `Size`), and
/// its value.
type Entry<'p> = (usize, &'p str, &'p str);

/// How strict a check is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Strictness<'a> {
    /// Params the action does not declare pass unchecked (the real service ignores them).
    pub(crate) allow_undeclared: bool,
    /// Required params are checked (a built-in handler that answers them itself turns it off).
    pub(crate) required: bool,
    /// Top-level params known beyond the metadata (a built-in handler reads them): unchecked.
    pub(crate) also_declared: &'a [&'a str],
}

#[cfg(test)]
impl Strictness<'_> {
    /// Every check.
    pub(crate) const FULL: Strictness<'static> = Strictness {
        allow_undeclared: false,
        required: true,
        also_declared: &[],
    };
}

/// Checks `params` (name, value; the common params may be among them) against `schema`.
pub(crate) fn check<'p>(
    schema: &ActionSchema,
    params: impl IntoIterator<Item = (&'p str, &'p str)>,
    strictness: Strictness<'_>,
) -> Result<(), Problem> {
    let mut walk = Walk {
        allow_undeclared: strictness.allow_undeclared,
        found: Found::default(),
    };
    let declared = &schema.api.parameters;
    let mut entries: Vec<Entry<'p>> = Vec::new();
    for (key, value) in params {
        let (top, rest) = key.split_once('.').unwrap_or((key, ""));
        match schema.param_position(top) {
            Some(at) => entries.push((at, rest, value)),
            None if is_exempt(key) || strictness.also_declared.contains(&top) => {}
            None => walk.undeclared(&Path::Root(top), rest, || {
                closest(top, declared.iter().map(|p| p.name.as_str()))
                    .into_iter()
                    .map(|name| Path::Root(name).render_with(rest))
                    .collect()
            }),
        }
    }
    entries.sort_by_key(|e| e.0);
    let mut groups = entries.as_mut_slice();
    for (at, param) in declared.iter().enumerate() {
        let len = groups.iter().take_while(|e| e.0 == at).count();
        let (group, later) = std::mem::take(&mut groups).split_at_mut(len);
        groups = later;
        let path = Path::Root(&param.name);
        if strictness.required && param.schema.required && !sent(group) {
            walk.found.missing(&path);
        }
        if !group.is_empty() {
            walk.node(&param.schema, param.style.as_ref(), &path, group);
        }
    }
    walk.found.into_result()
}

/// Whether anything was sent: some value under this name is not empty.
fn sent(entries: &[Entry<'_>]) -> bool {
    entries.iter().any(|e| !e.2.is_empty())
}

/// Where in a param the walk is: `DataDisk`, `DataDisk.2`, `DataDisk.2.Size`; rendered only for
/// a problem.
enum Path<'a> {
    Root(&'a str),
    Child(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn child<'c>(&'c self, segment: &'c str) -> Path<'c> {
        Path::Child(self, segment)
    }

    fn index(&self, index: usize) -> Path<'_> {
        Path::Index(self, index)
    }

    fn write(&self, out: &mut String) {
        match self {
            Path::Root(name) => out.push_str(name),
            Path::Child(parent, segment) => {
                parent.write(out);
                out.push('.');
                out.push_str(segment);
            }
            Path::Index(parent, index) => {
                parent.write(out);
                out.push('.');
                out.push_str(&index.to_string());
            }
        }
    }

    /// The path, then `rest` (a name's remaining segments) if any, bounded for a message.
    fn render_with(&self, rest: &str) -> String {
        let mut out = String::new();
        self.write(&mut out);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        shown(&out)
    }

    fn render(&self) -> String {
        self.render_with("")
    }
}

/// The first problem of each kind, in the order found.
#[derive(Default)]
struct Found {
    undeclared: Option<Problem>,
    missing: Option<Problem>,
    invalid: Option<Problem>,
}

impl Found {
    fn missing(&mut self, path: &Path<'_>) {
        if self.missing.is_none() {
            self.missing = Some(Problem::Missing {
                path: path.render(),
            });
        }
    }

    fn invalid(&mut self, path: &Path<'_>, kind: Invalid, detail: impl FnOnce() -> String) {
        if self.invalid.is_none() {
            self.invalid = Some(Problem::Invalid {
                path: path.render(),
                kind,
                detail: detail(),
            });
        }
    }

    fn into_result(self) -> Result<(), Problem> {
        match self.undeclared.or(self.missing).or(self.invalid) {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }
}

struct Walk {
    allow_undeclared: bool,
    found: Found,
}

impl Walk {
    /// `path` then `rest` is not declared; `suggest` gives the whole names to suggest instead
    /// (asked only for the first such param).
    fn undeclared(&mut self, path: &Path<'_>, rest: &str, suggest: impl FnOnce() -> Vec<String>) {
        if self.allow_undeclared || self.found.undeclared.is_some() {
            return;
        }
        self.found.undeclared = Some(Problem::Undeclared {
            path: path.render_with(rest),
            suggestions: suggest(),
        });
    }

    /// Checks the params under `path` (each `entries` item's rest is relative to it).
    fn node(
        &mut self,
        schema: &Schema,
        style: Option<&Style>,
        path: &Path<'_>,
        entries: &mut [Entry<'_>],
    ) {
        match (&schema.ty, style) {
            (_, Some(Style::Unknown(_))) | (Type::Unknown(_), _) => {}
            (Type::Array, Some(Style::Simple)) => {
                if let Some(value) = self.single(path, entries) {
                    self.simple(schema, path, value);
                }
            }
            (Type::Array | Type::Object, Some(Style::Json)) => {
                if let Some(value) = self.single(path, entries) {
                    self.json(schema, path, value);
                }
            }
            (Type::Array, _) => self.list(schema, path, entries),
            (Type::Object, _) => self.object(schema, path, entries),
            (Type::String | Type::Integer | Type::Number | Type::Boolean, _) => {
                if let Some(value) = self.single(path, entries) {
                    self.scalar(schema, path, value);
                }
            }
        }
    }

    /// The one value of a param that takes no sub-names (`Name.x` is not declared: the closest
    /// declared name is `Name` itself); `None` when it is empty.
    fn single<'p>(&mut self, path: &Path<'_>, entries: &[Entry<'p>]) -> Option<&'p str> {
        let mut value = None;
        for (_, rest, v) in entries {
            if rest.is_empty() {
                value = Some(*v);
            } else {
                self.undeclared(path, rest, || vec![path.render()]);
            }
        }
        value.filter(|v| !v.is_empty())
    }

    /// `Name.1`, `Name.2`, …: indices from 1 without gaps, at most `maxItems`, each item
    /// checked.
    fn list(&mut self, schema: &Schema, path: &Path<'_>, entries: &mut [Entry<'_>]) {
        for entry in entries.iter_mut() {
            let (segment, rest) = entry.1.split_once('.').unwrap_or((entry.1, ""));
            match list_index(segment) {
                Some(index) => *entry = (index, rest, entry.2),
                None if segment.is_empty() => {
                    return self.found.invalid(path, Invalid::Malformed, || {
                        let name = path.render();
                        format!("a list: send `{name}.1`, `{name}.2`, …")
                    });
                }
                None => {
                    let at = path.child(segment);
                    return self.found.invalid(&at, Invalid::Malformed, || {
                        format!("`{}` is not a list index (1, 2, …)", shown(segment))
                    });
                }
            }
        }
        entries.sort_by_key(|e| e.0);
        let mut count = 0;
        let mut items = &mut *entries;
        while let Some(first) = items.first().map(|e| e.0) {
            let len = items.iter().take_while(|e| e.0 == first).count();
            let (item, later) = std::mem::take(&mut items).split_at_mut(len);
            items = later;
            count += 1;
            if first != count {
                return self
                    .found
                    .invalid(&path.index(first), Invalid::Malformed, || {
                        let name = path.render();
                        format!(
                            "list indices count from 1 without gaps: `{name}.{first}` is sent, \
                         `{name}.{count}` is not"
                        )
                    });
            }
            if let Some(items_schema) = schema.items.as_deref() {
                let style = items_schema.style.as_ref();
                self.node(items_schema, style, &path.index(count), item);
            }
        }
        self.count(schema, path, count);
    }

    /// `Name.Field` for each declared field (any `Name.key` when none is declared), required
    /// fields sent.
    fn object(&mut self, schema: &Schema, path: &Path<'_>, entries: &mut [Entry<'_>]) {
        if entries.iter().any(|e| e.1.is_empty()) {
            return self.found.invalid(path, Invalid::Malformed, || {
                let name = path.render();
                match schema.properties.keys().next() {
                    Some(field) => format!("an object: send `{name}.{field}`, …"),
                    None => format!("a map: send `{name}.<key>`"),
                }
            });
        }
        if schema.properties.is_empty() {
            return;
        }
        entries.sort_by(|a, b| field_of(a.1).cmp(field_of(b.1)));
        let requires = schema.properties.values().any(|field| field.required);
        let mut sent_fields: Vec<&str> = Vec::new();
        let mut fields = &mut *entries;
        while let Some(first) = fields.first().map(|e| field_of(e.1)) {
            let len = fields
                .iter()
                .take_while(|e| field_of(e.1).cmp(first) == Ordering::Equal)
                .count();
            let (field, later) = std::mem::take(&mut fields).split_at_mut(len);
            fields = later;
            let at = path.child(first);
            if requires && sent(field) {
                sent_fields.push(first);
            }
            match schema.properties.get(first) {
                Some(declared) => {
                    for entry in field.iter_mut() {
                        entry.1 = entry.1.split_once('.').map_or("", |(_, rest)| rest);
                    }
                    self.node(declared, declared.style.as_ref(), &at, field);
                }
                None => {
                    let rest = field
                        .first()
                        .and_then(|e| e.1.split_once('.'))
                        .map_or("", |(_, rest)| rest);
                    self.undeclared(&at, rest, || {
                        closest(first, schema.properties.keys().map(String::as_str))
                            .into_iter()
                            .map(|name| path.child(name).render_with(rest))
                            .collect()
                    });
                }
            }
        }
        for (name, field) in &schema.properties {
            if field.required && !sent_fields.contains(&name.as_str()) {
                self.found.missing(&path.child(name));
            }
        }
    }

    /// A `simple` list: one value, its items joined with commas.
    fn simple(&mut self, schema: &Schema, path: &Path<'_>, value: &str) {
        let mut count = 0;
        for item in value.split(',') {
            count += 1;
            if let Some(items) = schema.items.as_deref() {
                if !item.is_empty() {
                    self.scalar(items, path, item);
                }
            }
        }
        self.count(schema, path, count);
    }

    /// A `json` list or object: one JSON value of that kind.
    fn json(&mut self, schema: &Schema, path: &Path<'_>, value: &str) {
        let parsed: serde_json::Value = match serde_json::from_str(value) {
            Ok(parsed) => parsed,
            Err(err) => {
                return self.found.invalid(path, Invalid::Malformed, || {
                    format!("expected a JSON value: {err}")
                })
            }
        };
        match (&schema.ty, &parsed) {
            (Type::Array, serde_json::Value::Array(items)) => self.count(schema, path, items.len()),
            (Type::Object, serde_json::Value::Object(_)) => {}
            (Type::Array, _) => self
                .found
                .invalid(path, Invalid::Malformed, || "expected a JSON array".into()),
            _ => self
                .found
                .invalid(path, Invalid::Malformed, || "expected a JSON object".into()),
        }
    }

    /// A list's number of items against `maxItems` and `minItems`.
    fn count(&mut self, schema: &Schema, path: &Path<'_>, count: usize) {
        let count = count as u64;
        if let Some(max) = schema.max_items.filter(|max| count > *max) {
            self.found.invalid(path, Invalid::Malformed, || {
                format!("expected at most {max} items; got {count}")
            });
        }
        if let Some(min) = schema.min_items.filter(|min| count < *min) {
            self.found.invalid(path, Invalid::Malformed, || {
                format!("expected at least {min} items; got {count}")
            });
        }
    }

    /// One value of a scalar type (not empty: an empty value is not sent).
    fn scalar(&mut self, schema: &Schema, path: &Path<'_>, value: &str) {
        let problem = match &schema.ty {
            Type::Integer => integer(schema, value),
            Type::Number => number(schema, value),
            Type::Boolean => boolean(value),
            _ => string(schema, value),
        };
        if let Some((kind, detail)) = problem {
            self.found.invalid(path, kind, || detail);
        }
    }
}

/// A list index as Aliyun writes it: `1`, `2`, … (no sign, no leading zero).
fn list_index(segment: &str) -> Option<usize> {
    let canonical = !segment.is_empty()
        && !segment.starts_with('0')
        && segment.bytes().all(|b| b.is_ascii_digit());
    canonical.then(|| segment.parse::<usize>().ok()).flatten()
}

/// The first segment of a name's rest: the field it names.
fn field_of(rest: &str) -> &str {
    rest.split_once('.').map_or(rest, |(field, _)| field)
}

type Finding = Option<(Invalid, String)>;

fn integer(schema: &Schema, value: &str) -> Finding {
    let parsed = match value.parse::<i64>() {
        Ok(parsed) => parsed,
        Err(_) => return malformed(format!("expected an integer; got `{}`", shown(value))),
    };
    if schema.format.as_deref() == Some("int32") && i32::try_from(parsed).is_err() {
        return malformed(format!("expected a 32-bit integer; got `{}`", shown(value)));
    }
    if !schema.enum_values.is_empty()
        && !schema
            .enum_values
            .iter()
            .any(|e| e.trim().parse::<i64>().ok() == Some(parsed))
    {
        return not_in_enum(schema, value);
    }
    bounds(schema, &Number::Int(parsed), value)
}

fn number(schema: &Schema, value: &str) -> Finding {
    let plain = value
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'));
    match value.parse::<f64>() {
        Ok(parsed) if plain && parsed.is_finite() => bounds(schema, &Number::Float(parsed), value),
        _ => malformed(format!("expected a number; got `{}`", shown(value))),
    }
}

/// `true` or `false`, in any case: the official Python SDKs send Python's `True`/`False`.
fn boolean(value: &str) -> Finding {
    if value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false") {
        None
    } else {
        malformed(format!(
            "expected `true` or `false`; got `{}`",
            shown(value)
        ))
    }
}

fn string(schema: &Schema, value: &str) -> Finding {
    if !schema.enum_values.is_empty() && !schema.enum_values.iter().any(|e| e == value) {
        return not_in_enum(schema, value);
    }
    if let Some(max) = schema.max_length {
        let length = value.chars().count() as u64;
        if length > max {
            return malformed(format!("expected at most {max} characters; got {length}"));
        }
    }
    None
}

/// `value` (already parsed) against `minimum` and `maximum`.
fn bounds(schema: &Schema, parsed: &Number, value: &str) -> Finding {
    if let Some(min) = schema
        .minimum
        .filter(|min| compare(parsed, min) == Ordering::Less)
    {
        return malformed(format!("expected at least {min}; got `{}`", shown(value)));
    }
    if let Some(max) = schema
        .maximum
        .filter(|max| compare(parsed, max) == Ordering::Greater)
    {
        return malformed(format!("expected at most {max}; got `{}`", shown(value)));
    }
    None
}

/// Two numbers compared exactly when both are integers, as floats otherwise.
fn compare(a: &Number, b: &Number) -> Ordering {
    match (a, b) {
        (Number::Int(a), Number::Int(b)) => a.cmp(b),
        _ => a
            .as_f64()
            .partial_cmp(&b.as_f64())
            .unwrap_or(Ordering::Equal),
    }
}

/// How many enum values a message lists before `…`.
const ENUM_SHOWN: usize = 10;

fn not_in_enum(schema: &Schema, value: &str) -> Finding {
    let mut listed: Vec<String> = schema
        .enum_values
        .iter()
        .take(ENUM_SHOWN)
        .map(|e| format!("`{e}`"))
        .collect();
    if schema.enum_values.len() > ENUM_SHOWN {
        listed.push("…".into());
    }
    Some((
        Invalid::NotInEnum,
        format!(
            "expected one of {}; got `{}`",
            listed.join(", "),
            shown(value)
        ),
    ))
}

fn malformed(detail: String) -> Finding {
    Some((Invalid::Malformed, detail))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{built_in_ecs, load, DocsSource};
    use std::sync::Arc;

    /// One action, `Things`, declaring a param of each shape.
    const DOCS: &str = r#"{"info": {"product": "Test", "version": "2024-01-01", "style": "RPC"},
      "apis": {"Things": {"parameters": [
        {"name": "RegionId", "in": "query", "schema": {"type": "string", "required": true}},
        {"name": "Size", "in": "query", "schema": {"type": "integer", "format": "int32",
                                                   "minimum": "20", "maximum": "500"}},
        {"name": "Big", "in": "query", "schema": {"type": "integer", "format": "int64"}},
        {"name": "Ratio", "in": "query", "schema": {"type": "number", "maximum": "1.5"}},
        {"name": "DryRun", "in": "query", "schema": {"type": "boolean"}},
        {"name": "Kind", "in": "query", "schema": {"type": "string", "enum": ["a", "b"]}},
        {"name": "Name", "in": "query", "schema": {"type": "string", "maxLength": 4}},
        {"name": "Filter", "in": "query", "style": "repeatList", "schema": {"type": "array",
          "maxItems": 2, "items": {"type": "object", "properties": {
            "Key": {"type": "string", "required": true},
            "Value": {"type": "array", "items": {"type": "integer"}}}}}},
        {"name": "Ids", "in": "formData", "style": "repeatList", "schema": {"type": "array",
          "minItems": "2", "items": {"type": "string"}}},
        {"name": "Ports", "in": "query", "style": "simple", "schema": {"type": "array",
          "maxItems": 3, "items": {"type": "integer"}}},
        {"name": "Config", "in": "query", "style": "json", "schema": {"type": "object",
          "properties": {"A": {"type": "string"}}}},
        {"name": "Ranges", "in": "query", "style": "json", "schema": {"type": "array",
          "maxItems": 2, "items": {"type": "string"}}},
        {"name": "Disk", "in": "query", "style": "flat", "schema": {"type": "object",
          "properties": {"Size": {"type": "integer"}, "Category": {"type": "string"}}}},
        {"name": "Labels", "in": "query", "style": "flat", "schema": {"type": "object"}}
      ]}}}"#;

    fn things() -> Arc<crate::schema::ActionSchema> {
        let docs = load(&DocsSource::Text {
            name: "test.json".into(),
            text: DOCS.into(),
        })
        .unwrap();
        Arc::clone(&docs.actions[0])
    }

    fn run(pairs: &[(&str, &str)]) -> Result<(), Problem> {
        let mut all = vec![("RegionId", "cn-hangzhou")];
        all.extend_from_slice(pairs);
        check(&things(), all.iter().copied(), Strictness::FULL)
    }

    fn undeclared(path: &str, suggestions: &[&str]) -> Result<(), Problem> {
        Err(Problem::Undeclared {
            path: path.into(),
            suggestions: suggestions.iter().map(|s| s.to_string()).collect(),
        })
    }

    fn missing(path: &str) -> Result<(), Problem> {
        Err(Problem::Missing { path: path.into() })
    }

    /// The path and detail of an invalid value, or the whole problem otherwise.
    fn invalid(result: Result<(), Problem>) -> (String, Invalid, String) {
        match result {
            Err(Problem::Invalid { path, kind, detail }) => (path, kind, detail),
            other => panic!("expected an invalid value, got {other:?}"),
        }
    }

    fn malformed(path: &str, detail: &str) -> (String, Invalid, String) {
        (path.into(), Invalid::Malformed, detail.into())
    }

    #[test]
    fn a_valid_call_passes_with_every_shape() {
        assert_eq!(
            run(&[
                ("Size", "20"),
                ("Big", "-9223372036854775808"),
                ("Ratio", "1.5"),
                ("DryRun", "True"),
                ("Kind", "b"),
                ("Name", "名字四个"),
                ("Filter.1.Key", "k"),
                ("Filter.1.Value.1", "1"),
                ("Filter.1.Value.2", "2"),
                ("Filter.2.Key", "k2"),
                ("Ids.2", "b"),
                ("Ids.1", "a"),
                ("Ports", "80,443"),
                ("Config", r#"{"A": "x", "Other": 1}"#),
                ("Ranges", r#"["a", "b"]"#),
                ("Disk.Size", "40"),
                ("Labels.anything", "goes"),
                ("Labels.even.dotted", "keys"),
            ]),
            Ok(())
        );
    }

    #[test]
    fn common_params_and_sdk_additions_are_never_undeclared() {
        let common = [
            ("Action", "Things"),
            ("Version", "2024-01-01"),
            ("Format", "JSON"),
            ("AccessKeyId", "testid"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("SignatureNonce", "n"),
            ("Timestamp", "2024-01-01T00:00:00Z"),
            ("SecurityToken", "t"),
            ("SignatureType", ""),
        ];
        assert_eq!(run(&common), Ok(()));
        // RegionId is exempt where the action does not declare it.
        let ecs = built_in_ecs().unwrap();
        let attach = ecs
            .actions
            .iter()
            .find(|a| a.api.name == "AttachDisk")
            .unwrap();
        assert!(attach.param_position("RegionId").is_none());
        let pairs = [
            ("InstanceId", "i-1"),
            ("DiskId", "d-1"),
            ("RegionId", "cn-hangzhou"),
        ];
        assert_eq!(check(attach, pairs, Strictness::FULL), Ok(()));
    }

    #[test]
    fn undeclared_params_are_refused_with_the_closest_names_at_the_wrong_level() {
        assert_eq!(run(&[("size", "20")]), undeclared("size", &["Size"]));
        assert_eq!(run(&[("Zzz", "1")]), undeclared("Zzz", &[]));
        assert_eq!(
            run(&[("Fliter.1.Key", "k")]),
            undeclared("Fliter.1.Key", &["Filter.1.Key"])
        );
        assert_eq!(
            run(&[("Filter.1.Kye", "k")]),
            undeclared("Filter.1.Kye", &["Filter.1.Key"])
        );
        assert_eq!(
            run(&[("Disk.Sise", "40")]),
            undeclared("Disk.Sise", &["Disk.Size"])
        );
        assert_eq!(run(&[("Size.1", "20")]), undeclared("Size.1", &["Size"]));
        assert_eq!(run(&[("Ports.1", "80")]), undeclared("Ports.1", &["Ports"]));
        // The real ECS definition: the issue's case.
        let ecs = built_in_ecs().unwrap();
        let run_instances = ecs
            .actions
            .iter()
            .find(|a| a.api.name == "RunInstances")
            .unwrap();
        let pairs = [("RegionId", "cn-hangzhou"), ("VswitchId", "vsw-1")];
        assert_eq!(
            check(run_instances, pairs, Strictness::FULL),
            undeclared("VswitchId", &["VSwitchId"])
        );
        let pairs = [("RegionId", "cn-hangzhou"), ("DataDisk.1.KmsKeyId", "k")];
        assert_eq!(
            check(run_instances, pairs, Strictness::FULL),
            undeclared("DataDisk.1.KmsKeyId", &["DataDisk.1.KMSKeyId"])
        );
    }

    const LENIENT: Strictness<'static> = Strictness {
        allow_undeclared: true,
        ..Strictness::FULL
    };

    #[test]
    fn allowing_undeclared_params_lets_them_through_unchecked() {
        let pairs = [
            ("RegionId", "cn-hangzhou"),
            ("Nope", "1"),
            ("Disk.Nope", "x"),
        ];
        assert_eq!(check(&things(), pairs, LENIENT), Ok(()));
        // Declared ones are still checked.
        let pairs = [("RegionId", "cn-hangzhou"), ("Nope", "1"), ("Size", "x")];
        assert!(matches!(
            check(&things(), pairs, LENIENT),
            Err(Problem::Invalid { .. })
        ));
    }

    #[test]
    fn a_built_in_handler_can_own_required_params_and_know_more_params() {
        let owned = Strictness {
            required: false,
            also_declared: &["Usage"],
            ..Strictness::FULL
        };
        assert_eq!(check(&things(), [("Usage", "x")], owned), Ok(()));
        let pairs = [("Usage", "x"), ("Size", "y")];
        assert!(matches!(
            check(&things(), pairs, owned),
            Err(Problem::Invalid { .. })
        ));
    }

    #[test]
    fn required_params_must_be_sent_and_not_empty() {
        let things = things();
        assert_eq!(check(&things, [], Strictness::FULL), missing("RegionId"));
        assert_eq!(
            check(&things, [("RegionId", "")], Strictness::FULL),
            missing("RegionId")
        );
        assert_eq!(
            run(&[("Filter.1.Value.1", "1")]),
            missing("Filter.1.Key"),
            "a required field of an item that was sent"
        );
        assert_eq!(run(&[("Filter.1.Key", "")]), missing("Filter.1.Key"));
    }

    #[test]
    fn problems_are_reported_undeclared_then_missing_then_invalid() {
        let things = things();
        let pairs = [("Size", "x"), ("Regionid", "cn-hangzhou")];
        assert_eq!(
            check(&things, pairs, Strictness::FULL),
            undeclared("Regionid", &["RegionId"])
        );
        assert_eq!(
            check(&things, [("Size", "x")], Strictness::FULL),
            missing("RegionId")
        );
        // In declaration order, whatever the order sent.
        let (path, _, _) = invalid(run(&[("Kind", "c"), ("Size", "x")]));
        assert_eq!(path, "Size");
    }

    #[test]
    fn scalars_are_checked_by_type_bounds_enum_and_length() {
        assert_eq!(
            invalid(run(&[("Size", "twenty")])),
            malformed("Size", "expected an integer; got `twenty`")
        );
        assert_eq!(
            invalid(run(&[("Size", "1.5")])),
            malformed("Size", "expected an integer; got `1.5`")
        );
        assert_eq!(
            invalid(run(&[("Size", "2147483648")])),
            malformed("Size", "expected a 32-bit integer; got `2147483648`")
        );
        assert_eq!(
            invalid(run(&[("Size", "19")])),
            malformed("Size", "expected at least 20; got `19`")
        );
        assert_eq!(
            invalid(run(&[("Size", "501")])),
            malformed("Size", "expected at most 500; got `501`")
        );
        assert_eq!(
            invalid(run(&[("Big", "9223372036854775808")])),
            malformed("Big", "expected an integer; got `9223372036854775808`")
        );
        assert_eq!(
            invalid(run(&[("Ratio", "1.6")])),
            malformed("Ratio", "expected at most 1.5; got `1.6`")
        );
        for bad in ["NaN", "inf", "1,5", "0x10"] {
            assert_eq!(
                invalid(run(&[("Ratio", bad)])),
                malformed("Ratio", &format!("expected a number; got `{bad}`"))
            );
        }
        for good in ["true", "false", "TRUE", "False"] {
            assert_eq!(run(&[("DryRun", good)]), Ok(()), "{good}");
        }
        assert_eq!(
            invalid(run(&[("DryRun", "1")])),
            malformed("DryRun", "expected `true` or `false`; got `1`")
        );
        assert_eq!(
            invalid(run(&[("Kind", "A")])),
            (
                "Kind".into(),
                Invalid::NotInEnum,
                "expected one of `a`, `b`; got `A`".into()
            )
        );
        assert_eq!(
            invalid(run(&[("Name", "fives")])),
            malformed("Name", "expected at most 4 characters; got 5")
        );
        // Empty is not sent: no type check.
        assert_eq!(run(&[("Size", "")]), Ok(()));
    }

    #[test]
    fn list_indices_count_from_one_without_gaps() {
        assert_eq!(
            invalid(run(&[("Filter.2.Key", "k")])),
            malformed(
                "Filter.2",
                "list indices count from 1 without gaps: `Filter.2` is sent, `Filter.1` is not"
            )
        );
        assert_eq!(
            invalid(run(&[("Ids.1", "a"), ("Ids.3", "c")])),
            malformed(
                "Ids.3",
                "list indices count from 1 without gaps: `Ids.3` is sent, `Ids.2` is not"
            )
        );
        for bad in ["0", "01", "+1", "x", "99999999999999999999999"] {
            let key = format!("Ids.{bad}");
            assert_eq!(
                invalid(run(&[(key.as_str(), "a"), ("Ids.1", "b")])),
                malformed(&key, &format!("`{bad}` is not a list index (1, 2, …)")),
                "{key}"
            );
        }
        assert_eq!(
            invalid(run(&[("Ids", "a,b")])),
            malformed("Ids", "a list: send `Ids.1`, `Ids.2`, …")
        );
        assert_eq!(
            invalid(run(&[
                ("Filter.1.Key", "a"),
                ("Filter.2.Key", "b"),
                ("Filter.3.Key", "c")
            ])),
            malformed("Filter", "expected at most 2 items; got 3")
        );
        assert_eq!(
            invalid(run(&[("Ids.1", "a")])),
            malformed("Ids", "expected at least 2 items; got 1")
        );
        assert_eq!(
            invalid(run(&[("Filter.1.Key", "a"), ("Filter.1.Value.1", "x")])),
            malformed("Filter.1.Value.1", "expected an integer; got `x`")
        );
    }

    #[test]
    fn simple_lists_json_values_and_objects_have_their_shapes() {
        assert_eq!(
            invalid(run(&[("Ports", "80,x")])),
            malformed("Ports", "expected an integer; got `x`")
        );
        assert_eq!(
            invalid(run(&[("Ports", "1,2,3,4")])),
            malformed("Ports", "expected at most 3 items; got 4")
        );
        let (path, _, detail) = invalid(run(&[("Config", "{\"A\": ")]));
        assert_eq!(path, "Config");
        assert!(detail.starts_with("expected a JSON value: EOF"), "{detail}");
        assert_eq!(
            invalid(run(&[("Config", "[1]")])),
            malformed("Config", "expected a JSON object")
        );
        assert_eq!(
            invalid(run(&[("Ranges", "{}")])),
            malformed("Ranges", "expected a JSON array")
        );
        assert_eq!(
            invalid(run(&[("Ranges", "[1, 2, 3]")])),
            malformed("Ranges", "expected at most 2 items; got 3")
        );
        assert_eq!(
            invalid(run(&[("Disk", "40")])),
            malformed("Disk", "an object: send `Disk.Category`, …")
        );
        assert_eq!(
            invalid(run(&[("Labels", "x")])),
            malformed("Labels", "a map: send `Labels.<key>`")
        );
        assert_eq!(
            invalid(run(&[("Disk.Size", "big")])),
            malformed("Disk.Size", "expected an integer; got `big`")
        );
    }

    #[test]
    fn huge_names_and_values_are_shown_bounded() {
        let name = "X".repeat(100_000);
        match run(&[(name.as_str(), "1")]) {
            Err(Problem::Undeclared { path, suggestions }) => {
                assert!(path.len() < 200, "{}", path.len());
                assert!(suggestions.is_empty());
            }
            other => panic!("{other:?}"),
        }
        let value = "9".repeat(100_000);
        let (_, _, detail) = invalid(run(&[("Size", value.as_str())]));
        assert!(detail.len() < 200, "{}", detail.len());
    }

    proptest::proptest! {
        /// Any params (names made of declared and random segments, indices and junk; any
        /// values) are checked without a panic, and a problem's text stays bounded.
        #[test]
        fn any_params_are_checked_without_panic(
            pairs in proptest::collection::vec(
                (
                    proptest::collection::vec(
                        "(RegionId|Size|Filter|Ids|Disk|Labels|Ports|Config|Key|Value|Size|Category|[0-9]{1,3}|[a-zA-Z.]{0,6})",
                        1..5,
                    ),
                    ".{0,12}",
                ),
                0..24,
            ),
            allow in proptest::bool::ANY,
        ) {
            let things = things();
            let pairs: Vec<(String, String)> =
                pairs.into_iter().map(|(segments, value)| (segments.join("."), value)).collect();
            let strictness = Strictness { allow_undeclared: allow, ..Strictness::FULL };
            let result = check(
                &things,
                pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                strictness,
            );
            if let Err(problem) = result {
                let text = format!("{problem:?}");
                proptest::prop_assert!(text.len() < 2048, "{}", text);
                if allow {
                    let undeclared = matches!(problem, Problem::Undeclared { .. });
                    proptest::prop_assert!(!undeclared);
                }
            }
        }
    }
}
