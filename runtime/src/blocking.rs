//! A client for programs without an async runtime (feature `blocking`): [`Client`], whose
//! [`call`](Client::call) returns the answer, built by [`ClientBuilder`] with the same
//! options as the async [`crate::ClientBuilder`].
//!
//! It wraps the async [`crate::Client`] (the same validation, signing, retries, errors and
//! tracing) and drives it on a small Tokio runtime of its own: one worker thread, which
//! keeps the connection pool alive between calls. A blocking client may be shared by many
//! threads (it is cheap to clone). Inside an async runtime, blocking a thread on a call would
//! stall that runtime, so wherever a Tokio context is present [`call`](Client::call) and
//! [`prepare`](Client::prepare) send nothing and return an [`Error::Config`] that says to use
//! the async client ([`Client::as_async`]) there, or a thread of one's own. That includes a
//! `tokio::task::spawn_blocking` closure: it runs with the runtime's context, which Tokio's
//! public API cannot tell apart from a worker's; async code has the async client at hand.
//!
//! ```no_run
//! # use aliyun_rpc::Request;
//! # #[derive(Debug, Clone, Request)]
//! # #[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeRegions", response = serde_json::Value)]
//! # pub struct DescribeRegions {}
//! use aliyun_rpc::blocking::Client;
//! use aliyun_rpc::Credentials;
//!
//! fn main() -> Result<(), aliyun_rpc::Error> {
//!     let client = Client::builder()
//!         .region("cn-hangzhou")
//!         .credentials(Credentials::new("LTAI5tExample", "secret"))
//!         .build()?;
//!     let regions = client.call(&DescribeRegions::new())?;
//!     println!("{regions}");
//!     Ok(())
//! }
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::client::{PreparedRequest, SignatureVersion};
use crate::credentials::ProvideCredentials;
use crate::error::Error;
use crate::paginate::Paginate;
use crate::{Credentials, DryRun, Format, Method, Network, Request, RetryPolicy};

/// Calls Aliyun RPC APIs and waits for the answer: the async [`crate::Client`] driven on a
/// Tokio runtime of its own (see the [module docs](self)). Cheap to clone; clones share the
/// runtime and the connection pool.
#[derive(Clone)]
pub struct Client {
    client: crate::Client,
    runtime: Arc<OwnRuntime>,
}

/// The runtime a blocking client drives its calls on. Dropped without waiting for its tasks
/// (idle connections), so that dropping the last client inside an async context is no panic.
struct OwnRuntime(Option<tokio::runtime::Runtime>);

impl Drop for OwnRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Client")
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder with the defaults, the same as [`crate::Client::builder`]'s.
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            inner: crate::Client::builder(),
        }
    }

    /// A client from the environment, like [`crate::Client::from_env`]: credentials from
    /// the default chain, region from `ALIBABA_CLOUD_REGION_ID` or the profile.
    pub fn from_env() -> Result<Client, Error> {
        Self::builder_from_env()?.build()
    }

    /// A builder preloaded from the environment, like
    /// [`crate::Client::builder_from_env`], to adjust before building.
    pub fn builder_from_env() -> Result<ClientBuilder, Error> {
        crate::Client::builder_from_env().map(ClientBuilder::from)
    }

    /// A blocking client that drives `client` (its settings, credentials and connection pool
    /// are shared with it) on a runtime of its own.
    pub fn from_async(client: crate::Client) -> Result<Client, Error> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("aliyun-rpc-blocking")
            .enable_all()
            .build()
            .map_err(|e| Error::Config {
                message: format!("cannot start the blocking client's runtime: {e}"),
            })?;
        Ok(Client {
            client,
            runtime: Arc::new(OwnRuntime(Some(runtime))),
        })
    }

    /// The async client this one drives, to use from async code.
    pub fn as_async(&self) -> &crate::Client {
        &self.client
    }

    /// The region calls go to, if set.
    pub fn region(&self) -> Option<&str> {
        self.client.region()
    }

    /// Validates, signs, sends and decodes one call, retrying by the client's
    /// [`RetryPolicy`], and waits for the result: [`crate::Client::call`], blocking. Where a
    /// Tokio context is present it sends nothing and returns an [`Error::Config`] (use the
    /// async client there: [`as_async`](Self::as_async)).
    pub fn call<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        self.block_on(self.client.call(request))
    }

    /// Signs `request` without sending it: [`crate::Client::prepare`], blocking (it may ask
    /// a credentials provider). Inside an async runtime it returns an [`Error::Config`].
    pub fn prepare<R: Request>(&self, request: &R) -> Result<PreparedRequest, Error> {
        self.block_on(self.client.prepare(request))
    }

    /// Sends `request` with `DryRun=true` and waits: [`crate::Client::dry_run`], blocking.
    /// `Ok(())` when the service answers `DryRunOperation`. Inside an async runtime it
    /// returns an [`Error::Config`].
    pub fn dry_run<R: DryRun + Clone>(&self, request: &R) -> Result<(), Error> {
        self.block_on(self.client.dry_run(request))
    }

    /// The pages of a listing, as an [`Iterator`] that calls for each page when asked for it:
    /// [`crate::Client::paginate`], blocking, with the same end conditions, page limit and
    /// errors (an error is the last item). [`Pages::items`] iterates over the list's items.
    /// Inside an async runtime the first item is an [`Error::Config`].
    pub fn paginate<R>(&self, request: &R) -> Pages<R>
    where
        R: Paginate + Clone + Send + Sync + 'static,
        R::Response: Send + 'static,
    {
        Pages {
            client: self.clone(),
            pages: Some(self.client.paginate(request)),
        }
    }

    fn block_on<T>(
        &self,
        future: impl std::future::Future<Output = Result<T, Error>>,
    ) -> Result<T, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::config(
                "the blocking client was called inside an async runtime (a Tokio context is \
                 present), where blocking the thread would stall it: use the async \
                 `aliyun_rpc::Client` there (`client.call(&request).await`; \
                 `blocking::Client::as_async` gives this client's), or call the blocking \
                 client from a thread of your own (`std::thread::spawn`), outside the runtime",
            ));
        }
        match &self.runtime.0 {
            Some(runtime) => runtime.block_on(future),
            None => Err(Error::config("the blocking client's runtime has shut down")),
        }
    }
}

/// The pages of a listing from [`Client::paginate`]: an [`Iterator`] of
/// `Result<R::Response, Error>`, one call per page, that ends after an error.
#[must_use = "an iterator does nothing unless iterated"]
pub struct Pages<R: Paginate> {
    client: Client,
    /// `None` once an error ended the listing.
    pages: Option<crate::client::Pages<R>>,
}

impl<R: Paginate> fmt::Debug for Pages<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("pages", &self.pages)
            .finish_non_exhaustive()
    }
}

impl<R> Pages<R>
where
    R: Paginate + Send + Sync + 'static,
    R::Response: Send + 'static,
{
    /// Stops with [`Error::Pagination`] rather than ask for more than `max` pages:
    /// [`crate::client::Pages::max_pages`].
    pub fn max_pages(mut self, max: u32) -> Self {
        self.pages = self.pages.map(|pages| pages.max_pages(max));
        self
    }

    /// The items of every page, in order; an error is the last item.
    pub fn items(self) -> impl Iterator<Item = Result<R::Item, Error>> {
        self.flat_map(|page| {
            let items: Vec<Result<R::Item, Error>> = match page {
                Ok(answer) => R::into_items(answer).into_iter().map(Ok).collect(),
                Err(e) => vec![Err(e)],
            };
            items
        })
    }
}

impl<R> Iterator for Pages<R>
where
    R: Paginate + Send + Sync + 'static,
    R::Response: Send + 'static,
{
    type Item = Result<R::Response, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let pages = self.pages.as_mut()?;
        let next = self.client.block_on(async {
            use futures_core::Stream as _;
            let page =
                std::future::poll_fn(|cx| std::pin::Pin::new(&mut *pages).poll_next(cx)).await;
            Ok(page)
        });
        match next {
            Ok(Some(Ok(answer))) => Some(Ok(answer)),
            Ok(None) => {
                self.pages = None;
                None
            }
            Ok(Some(Err(e))) | Err(e) => {
                self.pages = None;
                Some(Err(e))
            }
        }
    }
}

/// Configures a blocking [`Client`]: every option of the async [`crate::ClientBuilder`],
/// which documents each.
///
/// ```
/// use std::time::Duration;
/// use aliyun_rpc::blocking::Client;
/// use aliyun_rpc::{Credentials, RetryPolicy};
///
/// let client = Client::builder()
///     .region("cn-hangzhou")
///     .credentials(Credentials::new("LTAI5tExample", "secret"))
///     .retry(RetryPolicy::default().max_attempts(5))
///     .attempt_timeout(Duration::from_secs(30))
///     .build()?;
/// assert_eq!(client.region(), Some("cn-hangzhou"));
/// # Ok::<(), aliyun_rpc::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct ClientBuilder {
    inner: crate::ClientBuilder,
}

impl From<crate::ClientBuilder> for ClientBuilder {
    /// The same settings, for a blocking client (the emulator's
    /// `Emulator::client_builder()`, a builder from the environment).
    fn from(inner: crate::ClientBuilder) -> Self {
        ClientBuilder { inner }
    }
}

/// Forwards builder options to the async builder's, which documents them.
macro_rules! forward {
    ($($name:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            #[doc = concat!("See [`crate::ClientBuilder::", stringify!($name), "`].")]
            pub fn $name(self, $($arg: $ty),*) -> Self {
                ClientBuilder { inner: self.inner.$name($($arg),*) }
            }
        )*
    };
}

impl ClientBuilder {
    forward! {
        credentials(credentials: Credentials);
        retry(policy: RetryPolicy);
        network(network: Network);
        format(format: Format);
        method(method: Method);
        signature_version(version: SignatureVersion);
        connect_timeout(timeout: Duration);
        attempt_timeout(timeout: Duration);
        max_response_bytes(limit: usize);
        max_in_flight(n: usize);
        no_proxy();
    }

    /// See [`crate::ClientBuilder::region`].
    pub fn region(self, region: impl Into<String>) -> Self {
        ClientBuilder {
            inner: self.inner.region(region),
        }
    }

    /// See [`crate::ClientBuilder::endpoint`].
    pub fn endpoint(self, endpoint: impl Into<String>) -> Self {
        ClientBuilder {
            inner: self.inner.endpoint(endpoint),
        }
    }

    /// See [`crate::ClientBuilder::endpoint_suffix`].
    pub fn endpoint_suffix(self, suffix: impl Into<String>) -> Self {
        ClientBuilder {
            inner: self.inner.endpoint_suffix(suffix),
        }
    }

    /// See [`crate::ClientBuilder::proxy`].
    pub fn proxy(self, url: impl AsRef<str>) -> Self {
        ClientBuilder {
            inner: self.inner.proxy(url),
        }
    }

    /// See [`crate::ClientBuilder::credentials_provider`].
    pub fn credentials_provider(self, provider: impl ProvideCredentials + 'static) -> Self {
        ClientBuilder {
            inner: self.inner.credentials_provider(provider),
        }
    }

    /// Builds the client and starts its runtime; fails where
    /// [`crate::ClientBuilder::build`] does.
    pub fn build(self) -> Result<Client, Error> {
        Client::from_async(self.inner.build()?)
    }
}
