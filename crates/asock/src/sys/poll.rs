//! Waiting for readiness: `ppoll(2)`.
//!
//! `ppoll` rather than `poll` because it takes a `timespec`: timeouts keep their nanoseconds
//! (poll rounds to milliseconds) and any duration asock accepts fits (poll's `int`
//! milliseconds end at 24 days). With a null signal mask it is exactly `poll`.

use std::os::fd::{AsRawFd, BorrowedFd};
use std::ptr;
use std::time::{Duration, Instant};

use super::syscall;
use asock_core::{Error, Result};

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

#[cfg(test)]
pub(crate) mod tests {
    //! `EINTR`: a signal handler installed without `SA_RESTART` interrupts the waiting thread
    //! over and over; the functions must retry with the time that remains.

    use std::os::fd::AsFd;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{mpsc, Arc, Mutex};
    use std::thread;
    use std::time::{Duration, Instant};

    use super::poll_fd;

    static SIGNALS: AtomicUsize = AtomicUsize::new(0);
    /// One interrupted test at a time, so each counts only its own signals.
    static SERIAL: Mutex<()> = Mutex::new(());

    extern "C" fn count_signal(_: libc::c_int) {
        SIGNALS.fetch_add(1, Ordering::Relaxed);
    }

    /// Installs the counting SIGUSR1 handler, without SA_RESTART so calls fail with EINTR.
    fn install_handler() {
        // SAFETY: a zeroed sigaction is valid (no flags, empty mask); we set only the handler.
        let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
        action.sa_sigaction = count_signal as *const () as libc::sighandler_t;
        // SAFETY: `action` is a valid sigaction whose handler only touches an atomic, which is
        // async-signal-safe; a null old-action pointer is allowed.
        let rc = unsafe { libc::sigaction(libc::SIGUSR1, &action, std::ptr::null_mut()) };
        assert_eq!(rc, 0);
    }

    /// Runs `wait` on a new thread while this one signals it every 20 ms until it returns;
    /// once three signals have been handled, runs `then` (say, sending the data the waiter
    /// waits for). Counting signals rather than sleeping a fixed time keeps the test
    /// meaningful on a loaded machine, where a fixed delay could pass before any signal.
    pub(crate) fn interrupted<T: Send + 'static>(
        wait: impl FnOnce() -> T + Send + 'static,
        then: impl FnOnce(),
    ) -> (T, usize) {
        let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
        install_handler();
        let before = SIGNALS.load(Ordering::Relaxed);
        let (tx, rx) = mpsc::channel();
        let done = Arc::new(AtomicBool::new(false));
        let done_waiter = Arc::clone(&done);
        let waiter = thread::spawn(move || {
            // SAFETY: pthread_self has no preconditions.
            tx.send(unsafe { libc::pthread_self() }).unwrap();
            let out = wait();
            done_waiter.store(true, Ordering::SeqCst);
            out
        });
        let target = rx.recv().unwrap();
        let mut then = Some(then);
        while !done.load(Ordering::SeqCst) {
            if SIGNALS.load(Ordering::Relaxed) - before >= 3 {
                if let Some(then) = then.take() {
                    then();
                }
            }
            // SAFETY: `target` is the waiter thread, alive until `done` is set; it is joined
            // below, after which no more signals are sent.
            unsafe { libc::pthread_kill(target, libc::SIGUSR1) };
            thread::sleep(Duration::from_millis(20));
        }
        let out = waiter.join().unwrap();
        (out, SIGNALS.load(Ordering::Relaxed) - before)
    }

    #[test]
    fn poll_interrupted_by_signals_still_waits_the_whole_timeout() {
        let (a, _b) = std::os::unix::net::UnixStream::pair().unwrap();
        let ((revents, elapsed), signals) = interrupted(
            move || {
                let start = Instant::now();
                let revents = poll_fd(a.as_fd(), libc::POLLIN, Some(Duration::from_millis(300)));
                (revents.unwrap(), start.elapsed())
            },
            || {},
        );
        assert!(signals > 0, "the poll was never interrupted");
        assert_eq!(revents, 0, "timed out, not an error");
        assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
        assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    }
}
