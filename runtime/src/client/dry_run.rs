//! [`Client::dry_run`]: a request checked by the service without running.

use super::Client;
use crate::error::Error;
use crate::request::DryRun;

impl Client {
    /// Sends `request` with `DryRun=true`: the service checks it (params, permissions,
    /// quotas, stock) without running it. `Ok(())` when the service answers
    /// `DryRunOperation` (its HTTP 400 for "would have succeeded", see
    /// [`Error::is_dry_run_success`]); any other error as it came. The request is sent by
    /// [`call`](Client::call), with the same retries as a normal call: a dry run is retried
    /// after a throttling or a connection refused, and after a failure that may have run only
    /// when the request is safe to repeat.
    ///
    /// A service that answers success instead ignored `DryRun` and ran the request: that is
    /// [`Error::DryRunIgnored`], never `Ok(())`.
    ///
    /// ```no_run
    /// # use aliyun_rpc::Request;
    /// # #[derive(serde::Deserialize)] pub struct Empty {}
    /// #[derive(Clone, Request)]
    /// #[rpc(product = "Ecs", version = "2014-05-26", action = "StartInstance", response = Empty)]
    /// pub struct StartInstance {
    ///     pub instance_id: String,
    ///     pub dry_run: Option<bool>,
    /// }
    ///
    /// # async fn run(client: aliyun_rpc::Client) -> Result<(), aliyun_rpc::Error> {
    /// client.dry_run(&StartInstance::new("i-1")).await?; // allowed, would start
    /// # Ok(()) }
    /// ```
    pub async fn dry_run<R: DryRun + Clone>(&self, request: &R) -> Result<(), Error> {
        let mut request = request.clone();
        request.set_dry_run(true);
        match self.call(&request).await {
            Err(e) if e.is_dry_run_success() => Ok(()),
            Err(e) => Err(e),
            Ok(_) => Err(Error::DryRunIgnored { action: R::ACTION }),
        }
    }
}
