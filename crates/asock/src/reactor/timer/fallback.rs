//! Timers without a reactor, for the one case the own reactor cannot serve: it could not be
//! created, because the process is out of fds (`epoll_create1` and `eventfd` need one each).
//!
//! A thread needs no fd, so one helper thread, `asock-timer`, parks until the earliest
//! deadline and wakes the sleeps that are due. It starts the first time a bare
//! [`Sleep`](super::Sleep) finds no reactor, and is never used otherwise; every other timer in
//! asock reports that error instead (see [`Sleep::poll_elapsed`](super::Sleep::poll_elapsed)).

use std::sync::{LazyLock, Mutex, MutexGuard};
use std::task::Waker;
use std::thread::{self, Thread};

use crate::reactor::own::Timers;
use crate::time::Instant;
use asock_core::Result;

struct Fallback {
    timers: Timers,
    /// The helper thread, once started.
    thread: Option<Thread>,
}

static FALLBACK: LazyLock<Mutex<Fallback>> =
    LazyLock::new(|| Mutex::new(Fallback { timers: Timers::default(), thread: None }));

fn lock() -> MutexGuard<'static, Fallback> {
    // Nothing under this lock panics; a poisoned lock still holds consistent data.
    FALLBACK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Adds a timer waking `waker` at `deadline`; returns its id.
///
/// # Errors
///
/// The helper thread could not be started (`EAGAIN`: the thread limit, or no memory).
pub(super) fn insert(deadline: Instant, waker: Waker) -> Result<u64> {
    let mut fallback = lock();
    let thread = match &fallback.thread {
        Some(thread) => thread.clone(),
        None => {
            let handle = thread::Builder::new().name("asock-timer".into()).spawn(run)?;
            fallback.thread.insert(handle.thread().clone()).clone()
        }
    };
    let (id, earliest) = fallback.timers.insert(deadline, waker);
    if earliest {
        // Its park timeout was computed for a later deadline (or none).
        thread.unpark();
    }
    Ok(id)
}

/// Refreshes a timer's waker; `false` once it has fired (and was removed).
pub(super) fn update(deadline: Instant, id: u64, waker: &Waker) -> bool {
    lock().timers.update(deadline, id, waker)
}

pub(super) fn remove(deadline: Instant, id: u64) {
    lock().timers.remove(deadline, id);
}

/// Number of pending timers (for tests: a dropped `Sleep` must leave none behind).
pub(super) fn timer_count() -> usize {
    lock().timers.len()
}

fn run() {
    let mut wake = Vec::new();
    loop {
        let next = {
            let mut fallback = lock();
            fallback.timers.fire(Instant::now(), &mut wake);
            fallback.timers.next_deadline()
        };
        wake.drain(..).for_each(Waker::wake);
        // An insert after the lock was released unparks this thread, so the park below
        // returns at once and the loop sees the new deadline.
        match next {
            Some(at) => thread::park_timeout(at.saturating_duration_since(Instant::now())),
            None => thread::park(),
        }
    }
}
