//! Waiting for readiness: `ppoll(2)`.
//!
//! `ppoll` rather than `poll` because it takes a `timespec`: timeouts keep their nanoseconds
//! (poll rounds to milliseconds) and any duration asock accepts fits (poll's `int`
//! milliseconds end at 24 days). With a null signal mask it is exactly `poll`.

use std::os::fd::{AsRawFd, BorrowedFd};
use std::ptr;
use std::time::{Duration, Instant};

use super::syscall;
use crate::{Error, Result};

/// `poll(2)` on one fd: the `revents` it reports, or 0 when `timeout` passed first
/// (`None` waits without limit). `EINTR` is retried with the time that remains.
pub(crate) fn poll_fd(fd: BorrowedFd<'_>, events: i16, timeout: Option<Duration>) -> Result<i16> {
    let mut pfd = [libc::pollfd { fd: fd.as_raw_fd(), events, revents: 0 }];
    let n = poll_many(&mut pfd, timeout)?;
    Ok(if n == 0 { 0 } else { pfd[0].revents })
}

/// `poll(2)` on several fds: how many have non-zero `revents` (0 when `timeout` passed first).
/// `EINTR` is retried with the time that remains.
pub(crate) fn poll_many(fds: &mut [libc::pollfd], timeout: Option<Duration>) -> Result<usize> {
    let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
    let mut wait = timeout;
    loop {
        match ppoll(fds, wait) {
            Err(e) if e.raw_os_error() == Some(libc::EINTR) => {
                if let Some(deadline) = deadline {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Ok(0);
                    }
                    wait = Some(left);
                }
            }
            other => return other,
        }
    }
}

/// One `ppoll` call with no signal mask change.
fn ppoll(fds: &mut [libc::pollfd], timeout: Option<Duration>) -> Result<usize> {
    let spec = timeout.map(|t| libc::timespec {
        // A wait of more than i64::MAX seconds is, for any caller, a wait without limit.
        tv_sec: libc::time_t::try_from(t.as_secs()).unwrap_or(libc::time_t::MAX),
        tv_nsec: libc::c_long::from(t.subsec_nanos() as i32),
    });
    let spec_ptr = spec.as_ref().map_or(ptr::null(), |s| s as *const libc::timespec);
    let nfds = libc::nfds_t::try_from(fds.len())
        .map_err(|_| Error::invalid_input("too many file descriptors for poll"))?;
    // SAFETY: `fds` is a live, writable slice of `nfds` pollfd structs; `spec_ptr` is null or
    // points at a live timespec; a null sigmask leaves the signal mask alone.
    let n = syscall!(ppoll(fds.as_mut_ptr(), nfds, spec_ptr, ptr::null()))?;
    Ok(n as usize)
}
