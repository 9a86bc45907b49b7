//! `FromRawFd for AsyncSocket`: implementing it means calling `OwnedFd::from_raw_fd`, an
//! `unsafe` call, which belongs in `sys/` with the crate's other `unsafe`.

use std::os::fd::{FromRawFd, OwnedFd, RawFd};

use crate::AsyncSocket;

impl FromRawFd for AsyncSocket {
    /// Adopts `fd` as [`From<OwnedFd>`](#impl-From<OwnedFd>-for-AsyncSocket) does: family,
    /// kind and protocol read back, `O_NONBLOCK` set, the default mode.
    ///
    /// # Safety
    ///
    /// `fd` must be an open fd that nothing else owns or will close.
    unsafe fn from_raw_fd(fd: RawFd) -> AsyncSocket {
        // SAFETY: the caller guarantees what OwnedFd::from_raw_fd requires: `fd` is open and
        // owned by nobody else, so the OwnedFd may close it.
        AsyncSocket::from(unsafe { OwnedFd::from_raw_fd(fd) })
    }
}
