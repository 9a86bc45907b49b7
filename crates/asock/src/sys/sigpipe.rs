//! Keeping a system call that has no `MSG_NOSIGNAL` from raising `SIGPIPE`.
//!
//! Linux sends `SIGPIPE` to the *calling thread* when a write to a broken stream fails with
//! `EPIPE`, unless the call carried `MSG_NOSIGNAL`. `send`, `sendto` and `sendmsg` take that
//! flag; `sendfile(2)` does not. asock must neither die of the signal (a C host, or a program
//! that restored `SIG_DFL`) nor change the process's disposition (which belongs to the
//! program, and `sigaction` is process-wide, so flipping it around a call would race with
//! other threads). What it may change is the calling thread's own signal mask:
//!
//! 1. block `SIGPIPE` in this thread (`pthread_sigmask`), remembering the old mask;
//! 2. if the old mask already blocked it, note whether a `SIGPIPE` was pending before the call
//!    (`sigpending`): that one belongs to someone else and must stay;
//! 3. make the call; a `SIGPIPE` it raises is now held pending in this thread, not delivered;
//! 4. if the call may have raised one (it failed with `EPIPE`, or sent less than asked, which
//!    is how a transfer that broke midway ends) and none was pending before, take it with
//!    `sigtimedwait` and a zero timeout, which never waits;
//! 5. restore the old mask.
//!
//! This is the usual way for a library to silence a call that has no `MSG_NOSIGNAL`. (curl
//! instead sets `SIG_IGN` process-wide around its calls and restores it after, which would
//! change the disposition under the program's other threads.) A call that sends everything it
//! was asked to costs two extra `rt_sigprocmask` calls and nothing else.

use std::mem::MaybeUninit;
use std::ptr;

use asock_core::{Error, Result};

/// Runs `call` with `SIGPIPE` blocked in this thread, and takes back the `SIGPIPE` it raised
/// when `may_have_raised(&result)` says it could have (see the module docs).
pub(crate) fn call<T>(
    may_have_raised: impl FnOnce(&Result<T>) -> bool,
    call: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let sigpipe = sigpipe_set();
    let old = change_mask(libc::SIG_BLOCK, &sigpipe)?;
    let blocked_before = is_member(&old);
    // A SIGPIPE pending while unblocked would already have been delivered: only a thread that
    // blocks it itself can have one waiting.
    let pending_before = blocked_before && pending_sigpipe();
    let result = call();
    if !pending_before && may_have_raised(&result) {
        take_pending(&sigpipe);
    }
    if !blocked_before {
        change_mask(libc::SIG_SETMASK, &old)?;
    }
    result
}

/// `{SIGPIPE}`.
fn sigpipe_set() -> libc::sigset_t {
    let mut set = MaybeUninit::<libc::sigset_t>::uninit();
    // SAFETY: sigemptyset initialises the whole set behind the pointer, which points at a live
    // local; sigaddset then reads and writes that initialised set. Neither fails for SIGPIPE.
    unsafe {
        libc::sigemptyset(set.as_mut_ptr());
        libc::sigaddset(set.as_mut_ptr(), libc::SIGPIPE);
        set.assume_init()
    }
}

/// `pthread_sigmask(how, set, &old)`: this thread's mask before the change.
fn change_mask(how: libc::c_int, set: &libc::sigset_t) -> Result<libc::sigset_t> {
    let mut old = MaybeUninit::<libc::sigset_t>::uninit();
    // SAFETY: `set` is a live initialised set; `old` is a live out-parameter the call fills
    // on success.
    let rc = unsafe { libc::pthread_sigmask(how, set, old.as_mut_ptr()) };
    if rc != 0 {
        // pthread_sigmask returns the error number instead of setting errno.
        return Err(Error::from_errno(rc));
    }
    // SAFETY: the call succeeded, so it wrote the old mask.
    Ok(unsafe { old.assume_init() })
}

fn is_member(set: &libc::sigset_t) -> bool {
    // SAFETY: `set` is a live initialised set; sigismember only reads it.
    unsafe { libc::sigismember(set, libc::SIGPIPE) == 1 }
}

/// Whether a `SIGPIPE` is pending for this thread or the process.
fn pending_sigpipe() -> bool {
    let mut set = MaybeUninit::<libc::sigset_t>::uninit();
    // SAFETY: sigpending fills the live out-parameter; it cannot fail with a valid pointer.
    let rc = unsafe { libc::sigpending(set.as_mut_ptr()) };
    // SAFETY: on success sigpending wrote the set.
    rc == 0 && is_member(unsafe { set.assume_init_ref() })
}

/// Takes one pending `SIGPIPE`, if there is one, without waiting. A thread-directed signal
/// (the one a write raises) is taken before a process-directed one.
fn take_pending(sigpipe: &libc::sigset_t) {
    let zero = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    loop {
        // SAFETY: `sigpipe` is a live initialised set and `zero` a live timespec; a null
        // info pointer asks for no siginfo.
        let rc = unsafe { libc::sigtimedwait(sigpipe, ptr::null_mut(), &zero) };
        // EAGAIN: none was pending. EINTR: another signal's handler ran first; try again.
        if rc != -1 || Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::os::fd::OwnedFd;
    use std::os::unix::net::UnixStream;

    // Each test runs on its own thread, so blocking SIGPIPE here touches no other test. With
    // SIGPIPE blocked a raised one stays pending (Linux never discards a blocked signal, even
    // an ignored one), which is what these tests look at.

    /// `write(2)` to a stream whose peer is gone, with no `MSG_NOSIGNAL`: `EPIPE`, and a
    /// `SIGPIPE` for this thread.
    fn raw_epipe() -> Result<usize> {
        let (a, b) = UnixStream::pair().unwrap();
        drop(b);
        let mut raw = std::fs::File::from(OwnedFd::from(a));
        raw.write(b"x").map_err(Error::from)
    }

    fn is_epipe(r: &Result<usize>) -> bool {
        matches!(r, Err(e) if e.raw_os_error() == Some(libc::EPIPE))
    }

    fn block_in_this_thread() {
        change_mask(libc::SIG_BLOCK, &sigpipe_set()).unwrap();
    }

    /// Whether this thread blocks SIGPIPE (`SIG_BLOCK` of an empty set changes nothing).
    fn blocked_now() -> bool {
        let mut empty = MaybeUninit::<libc::sigset_t>::uninit();
        // SAFETY: sigemptyset initialises the live local.
        let empty = unsafe {
            libc::sigemptyset(empty.as_mut_ptr());
            empty.assume_init()
        };
        is_member(&change_mask(libc::SIG_BLOCK, &empty).unwrap())
    }

    #[test]
    fn the_mask_is_restored() {
        // Whether the signal was taken cannot be seen from here once SIGPIPE is unblocked (a
        // test process ignores it): the tests below and tests/fault_sigpipe.rs, whose child
        // has SIGPIPE at SIG_DFL, show that.
        assert!(!blocked_now(), "test threads start with SIGPIPE unblocked");
        let result = call(is_epipe, raw_epipe);
        assert!(is_epipe(&result), "{result:?}");
        assert!(!blocked_now(), "the old mask is back");
    }

    #[test]
    fn a_thread_that_blocks_sigpipe_itself_keeps_it_blocked_with_nothing_pending() {
        block_in_this_thread();
        let result = call(is_epipe, raw_epipe);
        assert!(is_epipe(&result), "{result:?}");
        assert!(!pending_sigpipe(), "the call's signal was taken");
        assert!(blocked_now(), "the thread's own block stays");
    }

    #[test]
    fn a_sigpipe_pending_before_the_call_is_left_alone() {
        block_in_this_thread();
        assert!(is_epipe(&raw_epipe())); // someone else's SIGPIPE, pending for this thread
        assert!(pending_sigpipe());
        let result = call(is_epipe, raw_epipe);
        assert!(is_epipe(&result), "{result:?}");
        assert!(pending_sigpipe(), "the earlier signal is still there");
        take_pending(&sigpipe_set());
        assert!(!pending_sigpipe(), "standard signals do not queue: there was one");
    }

    #[test]
    fn a_call_that_may_not_have_raised_leaves_the_pending_set_alone() {
        // `may_have_raised` says no: nothing is taken, even a signal that is there.
        block_in_this_thread();
        let result = call(|_| false, raw_epipe);
        assert!(is_epipe(&result), "{result:?}");
        assert!(pending_sigpipe(), "the premise: a plain write raises SIGPIPE");
        take_pending(&sigpipe_set());
        assert!(!pending_sigpipe());
    }
}
