//! Locks that survive a panicking handler.
//!
//! A user's handler runs inside the emulator and may panic while another request holds a
//! lock; the emulator answers that request `500 InternalError` and goes on serving. Every
//! store keeps its data consistent per operation, so a poisoned lock is taken over, not
//! propagated: one bad request must not stop the server.

use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Locks `mutex`, going on with the data if a panic poisoned it.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Read-locks `rwlock`, going on with the data if a panic poisoned it.
pub(crate) fn read<T>(rwlock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    rwlock.read().unwrap_or_else(PoisonError::into_inner)
}

/// Write-locks `rwlock`, going on with the data if a panic poisoned it.
pub(crate) fn write<T>(rwlock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    rwlock.write().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poisoned_lock_is_taken_over() {
        let mutex = Mutex::new(1);
        let rwlock = RwLock::new(1);
        let _ = std::panic::catch_unwind(|| {
            let _m = mutex.lock();
            let _w = rwlock.write();
            panic!("a handler bug");
        });
        assert!(mutex.is_poisoned() && rwlock.is_poisoned());
        *lock(&mutex) += 1;
        *write(&rwlock) += 1;
        assert_eq!(*lock(&mutex), 2);
        assert_eq!(*read(&rwlock), 2);
    }
}
