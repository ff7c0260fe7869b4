//! The errors the emulator answers with ([`ApiError`], the runtime's own: handlers build the
//! very type a client gets back) and the ones it can fail with itself ([`StartError`]).

/// An error answer, as Aliyun sends it: a `Code`, a `Message` and an HTTP status. The same
/// type as the client's [`aliyun_rpc_runtime::ApiError`], so a handler's error and what a
/// client receives are built alike.
///
/// Handlers return it to make the emulator answer with an error document
/// (`{RequestId, HostId, Code, Message, Recommend}`); the emulator's own checks produce the
/// same type. A status outside `400..=599` is answered as 500, since an error document never
/// comes with a success status.
///
/// ```
/// use aliyun_rpc_emulator::ApiError;
///
/// let err = ApiError::new(400, "InvalidParamter", "Invalid Parameter");
/// assert_eq!(err.code(), "InvalidParamter");
/// assert_eq!(err.message(), "Invalid Parameter");
/// assert_eq!(err.http_status(), 400);
/// assert_eq!(ApiError::bad_request("InvalidParamter", "Invalid Parameter"), err);
/// assert_eq!(ApiError::not_found("InvalidImageId.NotFound", "…").http_status(), 404);
/// assert_eq!(ApiError::missing_parameter("RegionId").code(), "MissingRegionId");
/// assert_eq!(ApiError::internal("boom").code(), "InternalError");
/// ```
pub use aliyun_rpc_runtime::ApiError;

/// Why an [`Emulator`](crate::Emulator) could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The listening socket could not be bound.
    #[error("cannot listen on 127.0.0.1:{port}")]
    Bind {
        /// The port asked for (0 means any free port).
        port: u16,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The configuration cannot be served (a credentials URI at `/`, …).
    #[error("cannot start: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// An API metadata file given to
    /// [`EmulatorBuilder::api_docs`](crate::EmulatorBuilder::api_docs) (or the built-in ECS
    /// schema) could not be read or served: `message` names the file and, for a malformed
    /// entry, the action.
    #[error("schema mode: {message}")]
    ApiDocs {
        /// What is wrong, and where.
        message: String,
    },
}
