//! Credentials from a profile (section) of the ini file `~/.alibabacloud/credentials`
//! (or `ALIBABA_CLOUD_CREDENTIALS_FILE`), as the official SDKs read it:
//!
//! ```ini
//! [default]
//! type = access_key
//! access_key_id = LTAI5tExample
//! access_key_secret = …
//! ```
//!
//! Types and the keys they need: `access_key` (`access_key_id`, `access_key_secret`), `sts`
//! (those and `security_token`), `ram_role_arn` (`access_key_id`, `access_key_secret`,
//! `role_arn`; optional `role_session_name`, `policy`, `sts_region`), `oidc_role_arn`
//! (`role_arn`, `oidc_provider_arn`, `oidc_token_file_path`, as Python's library names them;
//! optional `role_session_name`, `policy`, `sts_region`), `ecs_ram_role` (optional
//! `role_name`). `region_id` is optional everywhere. Where a profile names no STS endpoint or
//! region, `ALIBABA_CLOUD_STS_ENDPOINT`, `ALIBABA_CLOUD_STS_REGION` and
//! `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED` decide.
//!
//! Comments: a line starting with `;` or `#`, and an inline comment after a value, which
//! starts with whitespace followed by `;` or `#`: `access_key_secret = abc ; old key` is the
//! secret `abc` (and `key = ; note` is empty). The official libraries strip inline comments too (credentials-go reads the
//! file with `gopkg.in/ini.v1`'s defaults, Node's SDK with `ini`), where Python's
//! `configparser` keeps them in the value; Aliyun keys never contain whitespace, so any
//! valid key reads the same. A value in double quotes is taken as it is inside them
//! (`policy = "a ; b"`).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::env::Vars;
use super::file::{self, file_error, missing, Lookup, Profile, RoleSpec, Spec};
use super::sts_endpoint::StsLocation;
use super::{BoxFuture, Credentials, ProvideCredentials};
use crate::error::Error;

/// The types this provider supports.
const TYPES: &str = "`access_key`, `sts`, `ecs_ram_role`, `ram_role_arn`, `oidc_role_arn`";

/// Credentials from one section of the `~/.alibabacloud/credentials` ini file.
///
/// The file is read and checked when the provider is made; temporary credentials
/// (`ram_role_arn`, `ecs_ram_role`) are fetched on first use and cached.
pub struct CredentialsFileProvider(Profile);

impl fmt::Debug for CredentialsFileProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.debug(f, "CredentialsFileProvider", "type")
    }
}

type Sections = BTreeMap<String, BTreeMap<String, String>>;

impl CredentialsFileProvider {
    /// `ALIBABA_CLOUD_CREDENTIALS_FILE`, else `$HOME/.alibabacloud/credentials`.
    pub fn default_path() -> Option<PathBuf> {
        Self::path_in(&Vars::Process).map(|(path, _)| path)
    }

    /// The path, and whether a variable names it explicitly.
    pub(crate) fn path_in(vars: &Vars) -> Option<(PathBuf, bool)> {
        if let Some(path) = vars.get("ALIBABA_CLOUD_CREDENTIALS_FILE") {
            return Some((PathBuf::from(path), true));
        }
        file::home_dir(vars).map(|home| (home.join(".alibabacloud").join("credentials"), false))
    }

    /// Reads section `profile` (default `default`) of the ini file at `path`.
    pub fn load(path: impl AsRef<Path>, profile: Option<&str>) -> Result<Self, Error> {
        let path = path.as_ref();
        let profile = profile.unwrap_or("default");
        file::load(path, |text| {
            Self::parse(path, text, profile, &Vars::Process)
        })
    }

    pub(crate) fn parse(
        path: &Path,
        text: &str,
        name: &str,
        vars: &Vars,
    ) -> Result<Lookup<Self>, Error> {
        let sections = parse_ini(text).map_err(|e| file_error(path, Some(name), e, None))?;
        let Some(section) = sections.get(name) else {
            let names: Vec<String> = sections.keys().map(|s| format!("`{s}`")).collect();
            return Ok(Lookup::NoProfile(format!(
                "no profile `{name}`; profiles: {}",
                names.join(", ")
            )));
        };
        let err = |what: String| file_error(path, Some(name), what, None);
        let field = |key: &str| section.get(key).filter(|v| !v.is_empty()).cloned();
        let kind = field("type")
            .ok_or_else(|| err(format!("`type` is missing; expected one of {TYPES}")))?;
        let described = format!("type `{kind}`");
        let required = |key: &str| field(key).ok_or_else(|| err(missing(&described, key)));
        let role = |role_arn: String| RoleSpec {
            role_arn,
            session_name: field("role_session_name"),
            duration_seconds: None,
            policy: field("policy"),
            sts: StsLocation {
                region: field("sts_region"),
                ..StsLocation::default()
            },
        };
        let spec = match kind.as_str() {
            "access_key" => Spec::AccessKey {
                id: required("access_key_id")?,
                secret: required("access_key_secret")?,
            },
            "sts" => Spec::Sts {
                id: required("access_key_id")?,
                secret: required("access_key_secret")?,
                token: required("security_token")?,
            },
            "ram_role_arn" => Spec::RamRoleArn {
                id: required("access_key_id")?,
                secret: required("access_key_secret")?,
                role: role(required("role_arn")?),
            },
            "oidc_role_arn" => Spec::Oidc {
                role: role(required("role_arn")?),
                provider_arn: required("oidc_provider_arn")?,
                token_file: PathBuf::from(required("oidc_token_file_path")?),
            },
            "ecs_ram_role" => Spec::EcsRamRole {
                role_name: field("role_name"),
            },
            other => {
                return Err(err(format!(
                    "unsupported type `{other}`; expected one of {TYPES}"
                )))
            }
        };
        let profile = Profile::new(path, name.to_owned(), kind, field("region_id"), spec, vars)?;
        Ok(Lookup::Found(CredentialsFileProvider(profile)))
    }

    /// The file this came from.
    pub fn path(&self) -> &Path {
        &self.0.path
    }

    /// The profile (section) name.
    pub fn profile_name(&self) -> &str {
        &self.0.name
    }

    /// The profile's `type` (`access_key`, `sts`, `ecs_ram_role`, `ram_role_arn`,
    /// `oidc_role_arn`).
    pub fn credential_type(&self) -> &str {
        &self.0.kind
    }

    /// The profile's `region_id`, if set.
    pub fn region(&self) -> Option<&str> {
        self.0.region.as_deref()
    }
}

impl file::HasProfile for CredentialsFileProvider {
    fn profile(&self) -> &Profile {
        &self.0
    }
}

impl ProvideCredentials for CredentialsFileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        self.0.inner.provide_credentials()
    }
}

/// `[section]` headers, `key = value` lines, `#` and `;` comment lines, and inline comments
/// (see the [module docs](self)). A value may be quoted. Errors give the line number only:
/// the line may hold a secret.
fn parse_ini(text: &str) -> Result<Sections, String> {
    let mut sections = Sections::new();
    let mut current: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            let Some(name) = without_inline_comment(header).strip_suffix(']') else {
                return Err(format!("line {n}: a `[section]` header without its `]`"));
            };
            let name = name.trim().to_owned();
            sections.entry(name.clone()).or_default();
            current = Some(name);
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(format!("line {n}: expected `key = value` or `[section]`"));
        };
        let Some(section) = &current else {
            return Err(format!("line {n}: `key = value` before any `[section]`"));
        };
        let value = value_of(value);
        sections
            .entry(section.clone())
            .or_default()
            .insert(key.trim().to_owned(), value.to_owned());
    }
    Ok(sections)
}

/// `text` without an inline comment: from the first `;` or `#` that starts it or follows
/// whitespace.
fn without_inline_comment(text: &str) -> &str {
    let comment = text.char_indices().find(|&(i, c)| {
        matches!(c, ';' | '#') && (i == 0 || text[..i].ends_with(char::is_whitespace))
    });
    match comment {
        Some((i, _)) => text[..i].trim_end(),
        None => text.trim_end(),
    }
}

/// The value of `key = <raw>`: the text inside double quotes, if the quotes are followed by
/// nothing but an inline comment; else the text before an inline comment.
fn value_of(raw: &str) -> &str {
    let raw = raw.trim();
    if let Some(inner) = raw.strip_prefix('"') {
        for (end, _) in inner.match_indices('"') {
            let after = inner[end + 1..].trim_start();
            if after.is_empty() || after.starts_with([';', '#']) {
                return &inner[..end];
            }
        }
    }
    without_inline_comment(raw)
}

#[cfg(test)]
mod tests {
    use super::parse_ini;

    /// Inline comments follow credentials-go (`gopkg.in/ini.v1`) and Node's `ini`, within
    /// what Aliyun keys can hold: a `;` or `#` after whitespace starts one.
    #[test]
    fn inline_comments_are_not_part_of_the_value() {
        let s = parse_ini(
            "[default] ; the main one\n\
             access_key_id = LTAI5tExample # rotated in May\n\
             access_key_secret = abc ; old key\n\
             tab = v\t;x\n\
             glued = a;b#c\n\
             quoted = \"a ; b\" ; comment\n\
             inner = \"a\"b\"\n\
             empty = ; nothing\n",
        )
        .unwrap();
        let d = &s["default"];
        assert_eq!(d["access_key_id"], "LTAI5tExample");
        assert_eq!(d["access_key_secret"], "abc");
        assert_eq!(d["tab"], "v");
        assert_eq!(d["glued"], "a;b#c", "no whitespace before: not a comment");
        assert_eq!(d["quoted"], "a ; b");
        assert_eq!(d["inner"], "a\"b");
        assert_eq!(d["empty"], "");
    }

    #[test]
    fn parses_sections_comments_and_quotes() {
        let s = parse_ini("\u{feff}# top\n[a]\nk = v\n; c\n[b]\nq = \"x = y\"\n").unwrap();
        assert_eq!(s["a"]["k"], "v");
        assert_eq!(s["b"]["q"], "x = y");
    }

    #[test]
    fn errors_name_the_line_not_its_text() {
        assert_eq!(
            parse_ini("[a]\nk = v\naccess_key_secret: s3cr3t\n").unwrap_err(),
            "line 3: expected `key = value` or `[section]`"
        );
        assert_eq!(
            parse_ini("k = v\n").unwrap_err(),
            "line 1: `key = value` before any `[section]`"
        );
        assert_eq!(
            parse_ini("[a\n").unwrap_err(),
            "line 1: a `[section]` header without its `]`"
        );
    }
}
