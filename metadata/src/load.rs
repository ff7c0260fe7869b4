//! Reading a document: from text, or from a file with a size limit.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::error::Error;
use crate::model::ApiDocs;
use crate::{normalise, raw};

/// The size limit of [`ApiDocs::from_file`]: 64 MiB (ECS, the largest product, is under 2 MiB
/// stripped and about 10 MiB with its prose).
pub const DEFAULT_FILE_LIMIT: u64 = 64 * 1024 * 1024;

impl ApiDocs {
    /// Parses and normalises an `api-docs.json` document; errors call it `api-docs.json`.
    ///
    /// ```
    /// use aliyun_rpc_metadata::ApiDocs;
    ///
    /// let docs = ApiDocs::from_json(r#"{
    ///     "info": {"product": "Ecs", "version": "2014-05-26", "style": "RPC"},
    ///     "apis": {"DescribeRegions": {"methods": ["post", "get"], "parameters": [
    ///         {"name": "RegionId", "in": "query", "schema": {"type": "string", "required": true}}
    ///     ]}}
    /// }"#)?;
    /// assert_eq!(docs.info.product, "Ecs");
    /// assert!(docs.apis["DescribeRegions"].parameters[0].schema.required);
    /// # Ok::<(), aliyun_rpc_metadata::Error>(())
    /// ```
    pub fn from_json(text: &str) -> Result<ApiDocs, Error> {
        ApiDocs::from_json_named(text, "api-docs.json")
    }

    /// Like [`from_json`](Self::from_json), with `origin` naming the document in errors.
    pub fn from_json_named(text: &str, origin: &str) -> Result<ApiDocs, Error> {
        let raw: raw::Docs<'_> = serde_json::from_str(text).map_err(|source| Error::Json {
            origin: origin.to_owned(),
            source,
        })?;
        normalise::api_docs(raw, origin)
    }

    /// Reads a regular file of at most [`DEFAULT_FILE_LIMIT`] bytes and parses it.
    ///
    /// ```
    /// use aliyun_rpc_metadata::{ApiDocs, Error};
    ///
    /// let err = ApiDocs::from_file("no/such/api-docs.json").unwrap_err();
    /// assert!(matches!(err, Error::Read { .. }));
    /// assert!(err.to_string().contains("no/such/api-docs.json"));
    /// ```
    pub fn from_file(path: impl AsRef<Path>) -> Result<ApiDocs, Error> {
        ApiDocs::from_file_with_limit(path, DEFAULT_FILE_LIMIT)
    }

    /// Reads a regular file of at most `limit` bytes and parses it; errors name the file.
    pub fn from_file_with_limit(path: impl AsRef<Path>, limit: u64) -> Result<ApiDocs, Error> {
        let path = path.as_ref();
        let text = read_bounded(path, limit)?;
        ApiDocs::from_json_named(&text, &path.display().to_string())
    }
}

/// The file's text, refusing anything but a regular file of at most `limit` bytes.
fn read_bounded(path: &Path, limit: u64) -> Result<String, Error> {
    let read_error = |source| Error::Read {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(read_error)?;
    let meta = file.metadata().map_err(read_error)?;
    if !meta.is_file() {
        return Err(Error::NotAFile {
            path: path.to_owned(),
        });
    }
    let too_large = || Error::TooLarge {
        path: path.to_owned(),
        limit,
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    // The length can change between the check and the read: the read is bounded too.
    let mut text = String::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_string(&mut text)
        .map_err(read_error)?;
    if text.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(text)
}
