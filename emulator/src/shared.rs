//! What every request shares: the stores, the action table, the fault controls and the
//! counters of one running emulator.

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::credentials_uri::CredentialsUri;
use crate::dispatch::Actions;
use crate::faults::Faults;
use crate::imds::Imds;
use crate::keys::KeyStore;
use crate::limits::Limits;
use crate::nonces::{NonceCache, NonceLedger};
use crate::security_group::SecurityGroups;
use crate::sts::Sts;

/// The state of one emulator, behind an `Arc` that the server's tasks and the
/// [`Emulator`](crate::Emulator) handle hold.
pub(crate) struct Shared {
    pub(crate) keys: Arc<KeyStore>,
    /// How far a call's `Timestamp` may be from the emulator's clock.
    pub(crate) window: Duration,
    /// The bounds on what a client sends.
    pub(crate) limits: Limits,
    pub(crate) nonces: Mutex<NonceCache>,
    pub(crate) nonce_ledger: Mutex<NonceLedger>,
    pub(crate) actions: Actions,
    /// Every HTTP request received.
    pub(crate) request_count: AtomicU64,
    pub(crate) faults: Arc<Faults>,
    pub(crate) sts: Arc<Sts>,
    pub(crate) security_groups: Arc<SecurityGroups>,
    /// The metadata service, when enabled.
    pub(crate) imds: Option<Imds>,
    /// The credentials URI, when enabled.
    pub(crate) credentials_uri: Option<CredentialsUri>,
}
