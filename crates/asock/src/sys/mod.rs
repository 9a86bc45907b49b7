//! The operating-system layer: one nonblocking system call per function; the crate's only
//! `unsafe`.
//!
//! Every function here meets the same contract, so that the two ways of waiting built on top
//! (`blocking::Socket`'s `poll(2)` and `AsyncSocket`'s reactor) can share them unchanged:
//!
//! - **One system call.** Each function makes exactly one system call (retried on `EINTR`,
//!   except where a retry would change the meaning: `connect` and `close`, documented there).
//! - **Never waits on its own.** On a non-blocking fd a call that is not ready returns
//!   `Err(Error::from_errno(EAGAIN))` (`e.is_would_block()`); the caller decides how to wait.
//!   On a blocking fd the kernel waits, which is what blocking mode wants.
//! - **`EINTR` is retried** by the functions that can be retried. A signal handler that wants
//!   a blocking call to stop must say so some other way (Python checks its signal flags; Rust
//!   has no such flags to check).
//! - **Close-on-exec always.** Every fd is created with `SOCK_CLOEXEC` / `F_DUPFD_CLOEXEC` /
//!   `accept4(SOCK_CLOEXEC)`; there is no window where a concurrent `fork`+`exec` inherits it.
//! - **`SIGPIPE` never.** Every send adds `MSG_NOSIGNAL`, so writing to a closed stream gives
//!   `EPIPE`, as Python (which ignores `SIGPIPE` process-wide) reports it. `sendfile(2)`,
//!   which has no such flag, runs with `SIGPIPE` blocked in the calling thread and takes back
//!   the signal it raised (`sendfile.rs`, `sigpipe.rs`). The process's disposition is never
//!   touched.
//! - **Borrowed fds in, owned fds out.** Functions take `BorrowedFd<'_>`; new fds come back as
//!   `OwnedFd`, so none can leak on an error path.
//! - **asock's `Error`.** `-1` becomes `Error::last_os_error()` through [`syscall!`]; nothing
//!   here panics on what the kernel returns.
//!
//! Each `unsafe` block states why its pointers and lengths are valid for the call in a
//! `// SAFETY:` line.

#[cfg(feature = "async-io")]
pub(crate) mod async_io_fd;
mod from_raw_fd;
pub(crate) use from_raw_fd::impl_from_raw_fd;
pub(crate) mod buf;
pub(crate) mod fd;
pub(crate) mod mmsg;
pub(crate) mod msg;
pub(crate) mod options;
pub(crate) mod poll;
pub(crate) mod resolve;
pub(crate) mod sendfile;
mod sigpipe;
#[cfg(feature = "tokio")]
pub(crate) mod tokio_fd;

use asock_core::{Error, Result};

/// Calls `libc::$fn(args)` once and turns `-1` into `Err(Error::last_os_error())`.
///
/// The call is `unsafe`; every use is preceded by a `// SAFETY:` comment that says why its
/// arguments are valid, which is the only thing the macro cannot check.
macro_rules! syscall {
    ($fn:ident ( $($arg:expr),* $(,)? )) => {{
        // SAFETY: the caller's `// SAFETY:` comment at the macro's use covers the arguments;
        // the macro adds only the `-1` check.
        #[allow(unused_unsafe)]
        let res = unsafe { libc::$fn($($arg),*) };
        if res == -1 {
            Err(::asock_core::Error::last_os_error())
        } else {
            Ok(res)
        }
    }};
}

/// [`syscall!`], repeated while the call fails with `EINTR`.
macro_rules! syscall_retry {
    ($fn:ident ( $($arg:expr),* $(,)? )) => {
        $crate::sys::retry_eintr(|| $crate::sys::syscall!($fn($($arg),*)))
    };
}

pub(crate) use {syscall, syscall_retry};

/// Runs `call` until it fails with something other than `EINTR`.
pub(crate) fn retry_eintr<T>(mut call: impl FnMut() -> Result<T>) -> Result<T> {
    loop {
        match call() {
            Err(e) if e.raw_os_error() == Some(libc::EINTR) => continue,
            other => return other,
        }
    }
}

/// `Err(EBADF)`: the error of any operation on a closed socket, as the kernel gives it.
pub(crate) fn ebadf() -> Error {
    Error::from_errno(libc::EBADF)
}
