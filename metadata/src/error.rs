//! The one error type of this crate.

use std::path::PathBuf;

/// Why metadata could not be loaded. Every variant names where the problem is: the file,
/// and for a malformed entry the action and the place inside it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be opened or read.
    #[error("cannot read metadata file `{}`: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// The path is a directory, a device, a FIFO, … — only regular files are read.
    #[error("metadata file `{}` is not a regular file", path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
    },
    /// The file is larger than the limit.
    #[error("metadata file `{}` is larger than the limit of {limit} bytes", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit in bytes.
        limit: u64,
    },
    /// The text is not JSON, or its top level (`info`, `apis`, `endpoints`) does not have
    /// the api-docs shape.
    #[error("{origin}: not an api-docs.json document: {source}")]
    Json {
        /// The file name, or the name given with the text.
        origin: String,
        /// serde_json's message, with line and column.
        #[source]
        source: serde_json::Error,
    },
    /// One entry inside an action is malformed.
    #[error("{origin}: action `{action}`, {place}: {reason}")]
    Invalid {
        /// The file name, or the name given with the text.
        origin: String,
        /// The action.
        action: String,
        /// Where inside it: ``parameter `SystemDisk.Size` ``, `responseDemo`, ….
        place: String,
        /// What is wrong.
        reason: String,
    },
}
