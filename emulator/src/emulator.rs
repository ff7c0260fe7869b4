//! The running emulator: [`Emulator`], the handle a test holds, with its endpoint, its keys
//! and its counters.

use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use crate::credentials_uri::CredentialsUri;
use crate::faults::Faults;
use crate::imds::Imds;
use crate::keys::AccessKey;
use crate::security_group::SecurityGroup;
use crate::server::Server;
use crate::shared::Shared;
use crate::sync::lock;

/// A running emulator, listening on `127.0.0.1`.
///
/// Dropping it stops the server (gracefully: calls in flight finish); call
/// [`shutdown`](Emulator::shutdown) to also wait until it has stopped.
///
/// ```
/// use aliyun_rpc_emulator::Emulator;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), aliyun_rpc_emulator::StartError> {
/// let emulator = Emulator::start().await?;
/// assert!(emulator.endpoint().starts_with("http://127.0.0.1:"));
/// assert_eq!(emulator.access_key_id(), "testid");
/// assert_eq!(emulator.request_count(), 0);
/// emulator.shutdown().await;
/// # Ok(())
/// # }
/// ```
pub struct Emulator {
    addr: SocketAddr,
    endpoint: String,
    shared: Arc<Shared>,
    /// The first configured key (or the default one), for the accessors.
    primary_key: (String, AccessKey),
    server: Server,
}

impl Emulator {
    /// The handle of a server that listens on `addr`; `primary_key` is the first configured
    /// key (or the default one).
    pub(crate) fn new(
        addr: SocketAddr,
        shared: Arc<Shared>,
        primary_key: (String, AccessKey),
        server: Server,
    ) -> Emulator {
        Emulator {
            addr,
            endpoint: format!("http://{addr}"),
            shared,
            primary_key,
            server,
        }
    }

    /// The base URL to send calls to: `http://127.0.0.1:PORT` (no trailing slash).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The address the emulator listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many HTTP requests the emulator has received, whatever became of them
    /// (refused ones included): a call that fails validation on the client side should
    /// leave it unchanged.
    pub fn request_count(&self) -> u64 {
        self.shared.request_count.load(Ordering::SeqCst)
    }

    /// The base URL of the instance metadata service: the same server as
    /// [`endpoint`](Emulator::endpoint) (paths under `/latest/`), served once
    /// [`EmulatorBuilder::ecs_ram_role`](crate::EmulatorBuilder::ecs_ram_role) enabled it.
    pub fn metadata_endpoint(&self) -> &str {
        &self.endpoint
    }

    /// How many STS `AssumeRole` calls were answered with credentials.
    pub fn assume_role_count(&self) -> u64 {
        self.shared.sts.assume_role_count()
    }

    /// How many credential documents the metadata service served (each is a new set).
    pub fn imds_credential_count(&self) -> u64 {
        self.shared.imds.as_ref().map_or(0, Imds::served)
    }

    /// How many STS `AssumeRoleWithOIDC` calls were answered with credentials.
    pub fn oidc_assume_role_count(&self) -> u64 {
        self.shared.sts.oidc_assume_role_count()
    }

    /// The URL of the credentials URI
    /// ([`EmulatorBuilder::credentials_uri`](crate::EmulatorBuilder::credentials_uri)),
    /// `http://127.0.0.1:PORT/path`, when it is served.
    pub fn credentials_uri(&self) -> Option<String> {
        self.shared
            .credentials_uri
            .as_ref()
            .map(|uri| format!("{}{}", self.endpoint, uri.path()))
    }

    /// How many credential documents the credentials URI served (each is a new set).
    pub fn credentials_uri_count(&self) -> u64 {
        self.shared
            .credentials_uri
            .as_ref()
            .map_or(0, CredentialsUri::served)
    }

    /// How many security groups `CreateSecurityGroup` actually created (a repeat with
    /// the same `ClientToken` creates none).
    pub fn security_groups_created(&self) -> u64 {
        self.shared.security_groups.created()
    }

    /// The security group `CreateSecurityGroup` created with id `id`, as its call described
    /// it (`None` for an unknown id, or one older than the latest 10,000): to assert that a
    /// client's params arrived intact.
    pub fn security_group(&self, id: &str) -> Option<SecurityGroup> {
        self.shared.security_groups.get(id)
    }

    /// The fault controls, to change them while the emulator runs.
    ///
    /// ```
    /// # use aliyun_rpc_emulator::Emulator;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), aliyun_rpc_emulator::StartError> {
    /// let emulator = Emulator::start().await?;
    /// emulator.faults().fail_next(3, "Throttling.User", 400);
    /// # Ok(())
    /// # }
    /// ```
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// How many requests were failed, throttled or dropped by fault injection.
    pub fn faults_injected(&self) -> u64 {
        self.shared.faults.injected()
    }

    /// How many signed RPC requests (whose signature verified) arrived with a
    /// `SignatureNonce` an earlier signed request already carried (across all access keys,
    /// within the timestamp window), whatever became of them then: faulted, refused as a
    /// replay, or answered. A client that never reuses a nonce keeps it at 0. Requests that
    /// are unsigned or badly signed are nobody's: their nonces are not remembered.
    pub fn nonce_reuse_count(&self) -> u64 {
        lock(&self.shared.nonce_ledger).reuse_count()
    }

    /// A client builder for this emulator: its [`endpoint`](Self::endpoint), its first key
    /// (with its STS token if it is an STS key), region `cn-hangzhou`, and no proxy (the
    /// environment's `HTTP_PROXY` would not apply to a loopback endpoint anyway). Adjust it
    /// (`.retry(…)`, `.format(…)`, `.signature_version(…)`) and `build()`.
    ///
    /// The emulator depends on `aliyun-rpc-runtime`, the crate the `aliyun-rpc` facade
    /// re-exports, so this is the very `aliyun_rpc::ClientBuilder` (and
    /// `aliyun_rpc::blocking::ClientBuilder::from(emulator.client_builder())` gives a
    /// blocking client).
    ///
    /// ```
    /// use aliyun_rpc_emulator::Emulator;
    /// # #[derive(Debug, Clone, aliyun_rpc::Request)]
    /// # #[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeRegions", response = serde_json::Value)]
    /// # struct DescribeRegions {}
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = Emulator::start().await?;
    /// let client: aliyun_rpc::Client = emulator.client_builder().build()?;
    /// let answer = client.call(&DescribeRegions::new()).await?;
    /// assert!(answer["Regions"]["Region"].as_array().is_some_and(|r| !r.is_empty()));
    /// # Ok(())
    /// # }
    /// ```
    pub fn client_builder(&self) -> aliyun_rpc_runtime::ClientBuilder {
        let mut credentials =
            aliyun_rpc_runtime::Credentials::new(self.access_key_id(), self.access_key_secret());
        if let Some(token) = self.security_token() {
            credentials = credentials.with_security_token(token);
        }
        aliyun_rpc_runtime::Client::builder()
            .endpoint(self.endpoint())
            .credentials(credentials)
            .region("cn-hangzhou")
            .no_proxy()
    }

    /// The first configured access key id (`testid` by default).
    pub fn access_key_id(&self) -> &str {
        &self.primary_key.0
    }

    /// The secret of [`access_key_id`](Emulator::access_key_id) (`testsecret` by default).
    pub fn access_key_secret(&self) -> &str {
        &self.primary_key.1.secret
    }

    /// The STS token that must come with [`access_key_id`](Emulator::access_key_id), if
    /// the first configured key is an STS one.
    pub fn security_token(&self) -> Option<&str> {
        self.primary_key
            .1
            .sts
            .as_ref()
            .map(|sts| sts.token.as_str())
    }

    /// Stops the server and waits until it has: calls in flight get a few seconds to
    /// finish, idle connections are closed.
    pub async fn shutdown(mut self) {
        self.server.shutdown().await;
    }
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("endpoint", &self.endpoint)
            .field("access_key_id", &self.primary_key.0)
            .field("request_count", &self.request_count())
            .finish_non_exhaustive()
    }
}
