//! What schema mode answers when a call's params do not match the action's definition
//! ([`Problem`]), and `DryRun`'s answer: the action's own `errorCodes` where one fits the
//! problem, else the POP gateway's generic codes.
//!
//! The rules, each documented in emulator/README.md with its source:
//!
//! - a required param absent or empty: the action's own `MissingParameter.{Name}` (or the
//!   spellings Aliyun's metadata also uses: `MissingParamter.{Name}`, `MissingParam.{Name}`,
//!   `Missing{Name}`, and the templates `MissingParameter.%s`, `MissingParam.%s`), else
//!   `MissingParameter` with `The input parameter "{Name}" that is mandatory for processing
//!   this request is not supplied.`;
//! - a value the schema refuses: the action's own `Invalid{Name}.ValueNotSupported` (first, for a
//!   value outside `enum`) or `Invalid{Name}.Malformed` (first, for anything else), then
//!   `InvalidParameter.{Name}`, `InvalidParam.{Name}`, `IllegalParam.{Name}`, `Invalid{Name}`,
//!   the templates `IllegalParam.%s` and `IllegalParam` (`The param of %s is illegal.`); else
//!   `InvalidParameter` with `The specified parameter "{Name}" is not valid.`; the emulator adds
//!   why in parentheses;
//! - a param the action does not declare (the real service ignores it):
//!   `InvalidParameter.Undeclared`, the emulator's own code, naming the closest declared names.
//!
//! Only status-400 entries of `errorCodes` are considered (the gateway's checks answer 400); a
//! named code whose message is a `%s` placeholder gets the generic message; in a template, `%s`
//! is the param's name. For a nested param
//! (`DataDisk.2.Category`) `{Name}` is tried joined (`DataDiskCategory`) and dotted without
//! indices (`DataDisk.Category`).

use aliyun_rpc_metadata::Api;

use crate::error::ApiError;

/// The longest param name or value an error message shows; longer ones are cut and marked
/// `…` (messages echo what the client sent, which is bounded only by the body size).
pub(crate) const SHOWN_LIMIT: usize = 128;

/// Why a call's params do not match its action's definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    /// The action declares no param (or field, or list) at `path`. `suggestions` are whole
    /// paths with the wrong segment replaced by the closest declared names.
    Undeclared {
        path: String,
        suggestions: Vec<String>,
    },
    /// A required param, or a required field of a list item or object that was sent, is
    /// absent or empty.
    Missing { path: String },
    /// The value at `path` is not what the schema allows; `detail` says why.
    Invalid {
        path: String,
        kind: Invalid,
        detail: String,
    },
}

/// What kind of invalid value: it decides which of the action's codes fits first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Invalid {
    /// Outside the declared `enum`.
    NotInEnum,
    /// Anything else: the wrong type, out of bounds, too long, too many items, malformed JSON,
    /// list indices that do not count from 1.
    Malformed,
}

impl Problem {
    /// Aliyun's answer to this problem in `api` (of API `version`).
    pub(crate) fn to_api_error(&self, api: &Api, version: &str) -> ApiError {
        match self {
            Problem::Missing { path } => {
                let names = CodeNames::of(path);
                let fits = [
                    Fit::named(format!("MissingParameter.{}", names.dotted)),
                    Fit::named(format!("MissingParamter.{}", names.dotted)),
                    Fit::named(format!("MissingParam.{}", names.dotted)),
                    Fit::named(format!("Missing{}", names.joined)),
                    Fit::template("MissingParameter.%s"),
                    Fit::template("MissingParam.%s"),
                ];
                let generic = format!(
                    "The input parameter \"{path}\" that is mandatory for processing this \
                     request is not supplied."
                );
                match own_code(api, &fits, &names.dotted) {
                    Some((code, message)) => {
                        ApiError::bad_request(code, message.unwrap_or(generic))
                    }
                    None => ApiError::bad_request("MissingParameter", generic),
                }
            }
            Problem::Invalid { path, kind, detail } => {
                let names = CodeNames::of(path);
                let (first, second) = match kind {
                    Invalid::NotInEnum => (".ValueNotSupported", ".Malformed"),
                    Invalid::Malformed => (".Malformed", ".ValueNotSupported"),
                };
                let fits = [
                    Fit::named(format!("Invalid{}{first}", names.joined)),
                    Fit::named(format!("Invalid{}{second}", names.joined)),
                    Fit::named(format!("InvalidParameter.{}", names.dotted)),
                    Fit::named(format!("InvalidParam.{}", names.dotted)),
                    Fit::named(format!("IllegalParam.{}", names.dotted)),
                    Fit::named(format!("Invalid{}", names.joined)),
                    Fit::template("IllegalParam.%s"),
                    Fit::template("IllegalParam"),
                ];
                let generic = format!("The specified parameter \"{path}\" is not valid.");
                let (code, message) = match own_code(api, &fits, &names.dotted) {
                    Some((code, message)) => (code, message.unwrap_or(generic)),
                    None => ("InvalidParameter".to_owned(), generic),
                };
                ApiError::bad_request(code, format!("{message} ({detail})"))
            }
            Problem::Undeclared { path, suggestions } => {
                let mut message = format!(
                    "The parameter `{path}` is not declared by {} (API version {version})",
                    api.name
                );
                if !suggestions.is_empty() {
                    let quoted: Vec<String> =
                        suggestions.iter().map(|s| format!("`{s}`")).collect();
                    message.push_str(&format!("; did you mean {}?", quoted.join(" or ")));
                } else {
                    message.push('.');
                }
                message.push_str(
                    " Aliyun ignores parameters an action does not declare, so its value would \
                     be dropped silently; the emulator refuses them \
                     (EmulatorBuilder::allow_undeclared_params or --allow-undeclared-params \
                     turns this off).",
                );
                ApiError::bad_request("InvalidParameter.Undeclared", message)
            }
        }
    }
}

/// A code of the action's `errorCodes` that would fit a problem.
enum Fit {
    /// Exactly this code (`InvalidPeriod`).
    Named(String),
    /// A code written as a template, whose `%s` (in the code, or only in the message) stands
    /// for the param's name: NLB lists `MissingParam.%s`, `The parameter of %s is missing.` and
    /// `IllegalParam`, `The param of %s is illegal.`.
    Template(&'static str),
}

impl Fit {
    fn named(code: String) -> Fit {
        Fit::Named(code)
    }

    fn template(code: &'static str) -> Fit {
        Fit::Template(code)
    }
}

/// The answer to a call with `DryRun=true` that passed every check: the action's own
/// dry-run code when its `errorCodes` list one at status 400 (ECS `StartInstances` lists
/// `DRYRUN.SUCCESS`), else `DryRunOperation`, `Request validation has been passed with DryRun
/// flag set.` (what most actions list).
pub(crate) fn dry_run_answer(api: &Api) -> ApiError {
    let own = api.error_codes.get(&400).and_then(|codes| {
        codes.iter().find(|c| {
            c.code.to_ascii_lowercase().starts_with("dryrun") && usable_message(&c.message)
        })
    });
    match own {
        Some(c) => ApiError::bad_request(c.code.clone(), c.message.clone()),
        None => ApiError::bad_request(
            "DryRunOperation",
            "Request validation has been passed with DryRun flag set.",
        ),
    }
}

/// `text` as an error message shows it: whole up to [`SHOWN_LIMIT`] bytes, else cut there
/// (at a character boundary) and marked `…`.
pub(crate) fn shown(text: &str) -> String {
    if text.len() <= SHOWN_LIMIT {
        return text.to_owned();
    }
    let mut cut = SHOWN_LIMIT;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", text.get(..cut).unwrap_or_default())
}

/// The forms of a param path that Aliyun's codes spell: `DataDisk.2.Category` is
/// `DataDiskCategory` joined and `DataDisk.Category` dotted (list indices left out).
struct CodeNames {
    joined: String,
    dotted: String,
}

impl CodeNames {
    fn of(path: &str) -> CodeNames {
        let names: Vec<&str> = path
            .split('.')
            .filter(|s| s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()))
            .collect();
        CodeNames {
            joined: names.concat(),
            dotted: names.join("."),
        }
    }
}

/// The first of `fits` that the action lists at status 400, with its message (`None` when the
/// message says nothing); a template's `%s` becomes `name`.
fn own_code(api: &Api, fits: &[Fit], name: &str) -> Option<(String, Option<String>)> {
    let codes = api.error_codes.get(&400)?;
    fits.iter().find_map(|fit| {
        let (found, template) = match fit {
            Fit::Named(code) => (codes.iter().find(|c| c.code == *code)?, false),
            // A template counts only when its message names the param too.
            Fit::Template(code) => (
                codes.iter().find(|c| {
                    c.code == *code
                        && c.message.contains("%s")
                        && usable_message(&c.message.replace("%s", ""))
                })?,
                true,
            ),
        };
        let code = found.code.replace("%s", name);
        let message = if template {
            Some(found.message.trim().replace("%s", name))
        } else {
            usable_message(&found.message).then(|| found.message.trim().to_owned())
        };
        Some((code, message))
    })
}

/// Whether an `errorCodes` message says something (not empty, not a `%s` template).
fn usable_message(message: &str) -> bool {
    !message.trim().is_empty() && !message.contains("%s")
}

#[cfg(test)]
mod tests {
    use super::*;
    use aliyun_rpc_metadata::ApiDocs;

    fn api(codes: &str) -> Api {
        let docs = format!(
            r#"{{"info": {{"product": "Ecs", "version": "2014-05-26", "style": "RPC"}},
                "apis": {{"RunThings": {{"methods": ["post"], "parameters": [],
                          "errorCodes": {codes}}}}}}}"#
        );
        match ApiDocs::from_json(&docs) {
            Ok(mut docs) => match docs.apis.remove("RunThings") {
                Some(api) => api,
                None => panic!("no action"),
            },
            Err(e) => panic!("{e}"),
        }
    }

    fn code_and_message(err: &ApiError) -> (&str, &str, u16) {
        (err.code(), err.message(), err.http_status())
    }

    #[test]
    fn missing_params_get_the_gateway_answer_unless_the_action_lists_its_own() {
        let plain = api("{}");
        let err = Problem::Missing {
            path: "ImageId".into(),
        }
        .to_api_error(&plain, "2014-05-26");
        assert_eq!(
            code_and_message(&err),
            (
                "MissingParameter",
                "The input parameter \"ImageId\" that is mandatory for processing this request \
                 is not supplied.",
                400
            )
        );
        let own = api(r#"{"400": [{"errorCode": "MissingParameter.RegionId",
                         "errorMessage": "The specified RegionId should not be null."}]}"#);
        let err = Problem::Missing {
            path: "RegionId".into(),
        }
        .to_api_error(&own, "2014-05-26");
        assert_eq!(
            code_and_message(&err),
            (
                "MissingParameter.RegionId",
                "The specified RegionId should not be null.",
                400
            )
        );
    }

    #[test]
    fn invalid_values_prefer_the_code_that_fits_their_kind() {
        let own = api(r#"{"400": [
                {"errorCode": "InvalidInternetChargeType.ValueNotSupported",
                 "errorMessage": "The specified InternetChargeType is not valid."},
                {"errorCode": "InvalidInternetChargeType.Malformed", "errorMessage": "%s"},
                {"errorCode": "InvalidDataDiskCategory.ValueNotSupported",
                 "errorMessage": "The specified disk category is not supported."}],
               "403": [{"errorCode": "InvalidPeriod", "errorMessage": "Forbidden period."}]}"#);
        let invalid = |path: &str, kind| Problem::Invalid {
            path: path.into(),
            kind,
            detail: "why".into(),
        };
        let err = invalid("InternetChargeType", Invalid::NotInEnum).to_api_error(&own, "v");
        assert_eq!(
            code_and_message(&err),
            (
                "InvalidInternetChargeType.ValueNotSupported",
                "The specified InternetChargeType is not valid. (why)",
                400
            )
        );
        // A `%s` message is replaced by the gateway's.
        let err = invalid("InternetChargeType", Invalid::Malformed).to_api_error(&own, "v");
        assert_eq!(
            code_and_message(&err),
            (
                "InvalidInternetChargeType.Malformed",
                "The specified parameter \"InternetChargeType\" is not valid. (why)",
                400
            )
        );
        // Nested: joined without the index.
        let err = invalid("DataDisk.3.Category", Invalid::NotInEnum).to_api_error(&own, "v");
        assert_eq!(err.code(), "InvalidDataDiskCategory.ValueNotSupported");
        // Only status-400 codes fit; otherwise the generic answer.
        let err = invalid("Period", Invalid::Malformed).to_api_error(&own, "v");
        assert_eq!(
            code_and_message(&err),
            (
                "InvalidParameter",
                "The specified parameter \"Period\" is not valid. (why)",
                400
            )
        );
    }

    #[test]
    fn code_templates_take_the_params_name() {
        let nlb_like = api(r#"{"400": [
                {"errorCode": "MissingParam.%s", "errorMessage": "The parameter of %s is missing."},
                {"errorCode": "IllegalParam", "errorMessage": "The param of %s is illegal."},
                {"errorCode": "IllegalParam.IdleTimeout",
                 "errorMessage": "The param of IdleTimeout is illegal."}]}"#);
        let err = Problem::Missing {
            path: "ZoneMappings.1.VSwitchId".into(),
        }
        .to_api_error(&nlb_like, "v");
        assert_eq!(
            code_and_message(&err),
            (
                "MissingParam.ZoneMappings.VSwitchId",
                "The parameter of ZoneMappings.VSwitchId is missing.",
                400
            )
        );
        let invalid = |path: &str| Problem::Invalid {
            path: path.into(),
            kind: Invalid::Malformed,
            detail: "why".into(),
        };
        let err = invalid("IdleTimeout").to_api_error(&nlb_like, "v");
        assert_eq!(
            code_and_message(&err),
            (
                "IllegalParam.IdleTimeout",
                "The param of IdleTimeout is illegal. (why)",
                400
            )
        );
        let err = invalid("Cps").to_api_error(&nlb_like, "v");
        assert_eq!(
            code_and_message(&err),
            ("IllegalParam", "The param of Cps is illegal. (why)", 400)
        );
    }

    #[test]
    fn undeclared_params_name_the_closest_declared_ones() {
        let plain = api("{}");
        let err = Problem::Undeclared {
            path: "VswitchId".into(),
            suggestions: vec!["VSwitchId".into()],
        }
        .to_api_error(&plain, "2014-05-26");
        assert_eq!(err.code(), "InvalidParameter.Undeclared");
        assert_eq!(err.http_status(), 400);
        assert!(
            err.message().starts_with(
                "The parameter `VswitchId` is not declared by RunThings (API version \
                 2014-05-26); did you mean `VSwitchId`? Aliyun ignores"
            ),
            "{}",
            err.message()
        );
        let err = Problem::Undeclared {
            path: "Zzz".into(),
            suggestions: vec![],
        }
        .to_api_error(&plain, "v");
        assert!(err.message().contains("(API version v). Aliyun ignores"));
        let err = Problem::Undeclared {
            path: "Ke".into(),
            suggestions: vec!["Key".into(), "Kex".into()],
        }
        .to_api_error(&plain, "v");
        assert!(err.message().contains("did you mean `Key` or `Kex`?"));
    }

    #[test]
    fn dry_run_answers_the_actions_own_code_or_dry_run_operation() {
        let plain = api("{}");
        assert_eq!(
            code_and_message(&dry_run_answer(&plain)),
            (
                "DryRunOperation",
                "Request validation has been passed with DryRun flag set.",
                400
            )
        );
        let own = api(r#"{"400": [{"errorCode": "DRYRUN.SUCCESS",
                         "errorMessage": "This request is a dryrun request with successful result."}],
               "403": [{"errorCode": "DryRun.InvalidAmount", "errorMessage": "%s"}]}"#);
        assert_eq!(
            code_and_message(&dry_run_answer(&own)),
            (
                "DRYRUN.SUCCESS",
                "This request is a dryrun request with successful result.",
                400
            )
        );
    }

    #[test]
    fn shown_text_is_bounded() {
        assert_eq!(shown("RegionId"), "RegionId");
        let long = "é".repeat(SHOWN_LIMIT);
        let cut = shown(&long);
        assert!(cut.len() <= SHOWN_LIMIT + "…".len());
        assert!(cut.ends_with('…'));
    }
}
