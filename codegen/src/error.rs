//! The one error type of the generator.

use std::fmt;
use std::path::PathBuf;

/// Why generation failed. Every variant names what to look at: the file, the action, the
/// parameter or response field.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The metadata could not be read or is malformed.
    Metadata(aliyun_rpc_metadata::Error),
    /// [`Config::generate`](crate::Config::generate) was called without
    /// [`api_docs`](crate::Config::api_docs) or [`api_docs_str`](crate::Config::api_docs_str).
    NoApiDocs,
    /// Actions asked for with [`action`](crate::Config::action) that the file does not have.
    UnknownActions {
        /// The metadata file.
        origin: String,
        /// Each unknown name with up to three close matches.
        unknown: Vec<UnknownAction>,
    },
    /// The file's product as a whole cannot be generated (a ROA product, a product code or
    /// version the derive refuses).
    Product {
        /// The metadata file.
        origin: String,
        /// Why.
        reason: String,
    },
    /// Something in the metadata that generated code cannot express.
    Unsupported {
        /// The metadata file.
        origin: String,
        /// The action.
        action: String,
        /// Where in it: ``parameter `Foo.Bar` ``, ``response field `Items[]` ``, ….
        place: String,
        /// What cannot be generated, and why.
        reason: String,
    },
    /// [`Config::compile`](crate::Config::compile) outside a build script.
    NoOutDir,
    /// The output file could not be written.
    Write {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The generator built tokens that are not Rust: a bug in the generator, not in the input.
    Internal {
        /// The action being generated.
        action: String,
        /// syn's message.
        message: String,
    },
}

/// An action name that is not in the metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownAction {
    /// The name as given.
    pub name: String,
    /// Up to three actions with a close name, nearest first.
    pub suggestions: Vec<String>,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Metadata(e) => e.fmt(f),
            Error::NoApiDocs => f.write_str(
                "no metadata given; call `.api_docs(path)` or `.api_docs_str(name, json)` first",
            ),
            Error::UnknownActions { origin, unknown } => {
                write!(f, "{origin} has no {}", UnknownList(unknown))
            }
            Error::Product { origin, reason } => write!(f, "{origin}: {reason}"),
            Error::Unsupported {
                origin,
                action,
                place,
                reason,
            } => write!(f, "{origin}: action `{action}`, {place}: {reason}"),
            Error::NoOutDir => f.write_str(
                "`OUT_DIR` is not set; `compile()` is for build scripts, use `write_to(path)` elsewhere",
            ),
            Error::Write { path, source } => {
                write!(f, "cannot write `{}`: {source}", path.display())
            }
            Error::Internal { action, message } => write!(
                f,
                "internal error while generating action `{action}`: {message} (please report this)"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Metadata(e) => Some(e),
            Error::Write { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<aliyun_rpc_metadata::Error> for Error {
    fn from(e: aliyun_rpc_metadata::Error) -> Error {
        Error::Metadata(e)
    }
}

struct UnknownList<'a>(&'a [UnknownAction]);

impl fmt::Display for UnknownList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.len() == 1 {
            "action "
        } else {
            "actions "
        })?;
        for (i, unknown) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "`{}`", unknown.name)?;
            if !unknown.suggestions.is_empty() {
                let names: Vec<String> = unknown
                    .suggestions
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect();
                write!(f, " (did you mean {}?)", names.join(" or "))?;
            }
        }
        Ok(())
    }
}
