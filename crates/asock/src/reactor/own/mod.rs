//! asock's own reactor: one process-wide `mio::Poll`, used outside tokio runtimes.
//!
//! # Who drives it
//!
//! Whoever holds the `driver` lock runs [`Reactor::turn`]: `epoll_wait` (bounded by the
//! nearest timer), then sets readiness and wakes the waiters. Three kinds of thread take it:
//!
//! - a thread in [`crate::block_on`] whose future is pending: it drives the reactor itself, so
//!   the wake-up of its own future is a flag it reads right after the turn — no other thread,
//!   no syscall (on this machine a wake-up across vCPUs costs ~30 µs, a loopback round trip
//!   ~3 µs);
//! - other `block_on` threads wait for the lock as *waiters* and are handed it when it is
//!   released;
//! - the background thread `asock-reactor`, started the first time a registration or timer
//!   is used outside `block_on`, drives only while no thread is in `block_on`, so executors
//!   that never enter asock (`futures::executor::block_on`, smol) still get their wake-ups
//!   (with the `async-io` feature those use async-io's reactor instead, which smol drives).
//!   While `block_on` threads exist it only checks every 10 ms that somebody is driving.
//!
//! This is async-io's design, tightened so the single-threaded path never touches a second
//! thread.

mod background;
mod block_on;
mod scheduled_io;
mod slab;
mod source;
mod timers;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::task::Waker;
use std::thread::{self, Thread};
use std::time::Duration;

use crate::time::Instant;

use asock_core::{Error, Result};

pub use block_on::block_on;
#[cfg(feature = "async-io")]
pub(crate) use block_on::in_block_on;
pub(crate) use scheduled_io::{Observed, ScheduledIo};
pub(crate) use source::Source;
pub(crate) use timers::Timers;

use slab::Slab;

/// The token of the `mio::Waker` that interrupts a driving thread.
const WAKER_TOKEN: mio::Token = mio::Token(usize::MAX);

/// Threads currently inside [`crate::block_on`]. Global rather than per reactor: a `block_on`
/// may start before its future first creates the reactor.
static BLOCK_ON_THREADS: AtomicUsize = AtomicUsize::new(0);

static REACTOR: OnceLock<Reactor> = OnceLock::new();

/// The state the driving thread owns: the poller and its event buffer.
#[derive(Debug)]
pub(crate) struct Driver {
    poll: mio::Poll,
    events: mio::Events,
    wake: Vec<Waker>,
}

/// The process-wide own reactor.
#[derive(Debug)]
pub(crate) struct Reactor {
    /// A clone of the poller's registry: (de)registering needs no driver lock, epoll allows
    /// `epoll_ctl` concurrently with `epoll_wait`.
    registry: mio::Registry,
    waker: mio::Waker,
    driver: Mutex<Driver>,
    sources: Mutex<Slab>,
    timers: Mutex<Timers>,
    /// A thread is (about to be) inside `epoll_wait`: waking it needs `waker`.
    polling: AtomicBool,
    /// `block_on` threads waiting for the driver lock, to be unparked when it is released.
    waiters: Mutex<Vec<Thread>>,
    waiter_count: AtomicUsize,
    background: OnceLock<Thread>,
}

impl Reactor {
    /// The reactor, created on first use.
    ///
    /// # Errors
    ///
    /// The OS error of `epoll_create1` or `eventfd` (e.g. `EMFILE`); a later call tries again.
    pub(crate) fn get() -> Result<&'static Reactor> {
        if let Some(reactor) = REACTOR.get() {
            return Ok(reactor);
        }
        let reactor = Reactor::new()?;
        // Losing a creation race drops our poller; the winner's is used.
        Ok(REACTOR.get_or_init(|| reactor))
    }

    /// The reactor if it exists (nothing was ever registered otherwise: nothing to drive).
    pub(crate) fn existing() -> Option<&'static Reactor> {
        REACTOR.get()
    }

    fn new() -> Result<Reactor> {
        let poll = mio::Poll::new()?;
        let registry = poll.registry().try_clone()?;
        let waker = mio::Waker::new(poll.registry(), WAKER_TOKEN)?;
        Ok(Reactor {
            registry,
            waker,
            driver: Mutex::new(Driver {
                poll,
                events: mio::Events::with_capacity(1024),
                wake: Vec::new(),
            }),
            sources: Mutex::new(Slab::default()),
            timers: Mutex::new(Timers::default()),
            polling: AtomicBool::new(false),
            waiters: Mutex::new(Vec::new()),
            waiter_count: AtomicUsize::new(0),
            background: OnceLock::new(),
        })
    }

    /// Interrupts the thread inside `epoll_wait`, if any.
    pub(crate) fn notify(&self) {
        // An eventfd write can only fail with EAGAIN when the counter is saturated, i.e. a
        // wake-up is already pending.
        let _ = self.waker.wake();
    }

    // ===== timers =====

    /// Adds a timer waking `waker` at `deadline`; returns its id.
    pub(crate) fn insert_timer(&'static self, deadline: Instant, waker: Waker) -> u64 {
        let (id, earliest) = lock(&self.timers).insert(deadline, waker);
        // A driver sleeping until a later deadline must recompute its timeout. `polling` is
        // set before the driver reads the timers, so either it sees this timer or we see it.
        if earliest && self.polling.load(Ordering::SeqCst) {
            self.notify();
        }
        self.ensure_driven();
        id
    }

    /// Refreshes a timer's waker; `false` if it has fired (and was removed).
    pub(crate) fn update_timer(&self, deadline: Instant, id: u64, waker: &Waker) -> bool {
        lock(&self.timers).update(deadline, id, waker)
    }

    pub(crate) fn remove_timer(&self, deadline: Instant, id: u64) {
        lock(&self.timers).remove(deadline, id);
    }

    /// Number of pending timers (for tests: a dropped `Sleep` must leave none behind).
    pub(crate) fn timer_count(&self) -> usize {
        lock(&self.timers).len()
    }

    /// Number of registered fds (for tests: deregistration must leave none behind).
    pub(crate) fn source_count(&self) -> usize {
        lock(&self.sources).len()
    }

    // ===== driving =====

    /// The driver lock, if free.
    pub(crate) fn try_lock_driver(&self) -> Option<MutexGuard<'_, Driver>> {
        match self.driver.try_lock() {
            Ok(guard) => Some(guard),
            Err(std::sync::TryLockError::Poisoned(e)) => Some(e.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => None,
        }
    }

    pub(crate) fn lock_driver(&self) -> MutexGuard<'_, Driver> {
        lock(&self.driver)
    }

    /// Releases the driver lock and hands it to the waiting `block_on` threads, if any.
    pub(crate) fn unlock_driver(&self, guard: MutexGuard<'_, Driver>) {
        drop(guard);
        if self.waiter_count.load(Ordering::SeqCst) > 0 {
            for thread in lock(&self.waiters).iter() {
                thread.unpark();
            }
        }
    }

    /// Registers the calling thread as waiting for the driver lock. Must come *before* the
    /// last `try_lock_driver`, so a release in between cannot miss it.
    pub(crate) fn add_waiter(&self) {
        lock(&self.waiters).push(thread::current());
        self.waiter_count.fetch_add(1, Ordering::SeqCst);
    }

    pub(crate) fn remove_waiter(&self) {
        let id = thread::current().id();
        let mut waiters = lock(&self.waiters);
        if let Some(at) = waiters.iter().position(|t| t.id() == id) {
            waiters.swap_remove(at);
            self.waiter_count.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// One turn of the reactor: wait for events — at most `max_wait`, at most until the next
    /// timer — then wake every waiter they concern and every timer that is due.
    ///
    /// `before_wait` runs once `polling` is visible (a waker arriving from now on will use
    /// the mio waker); returning `false` skips the wait. `after_wait` runs as soon as
    /// `epoll_wait` returns, before any waker is called.
    pub(crate) fn turn(
        &self,
        driver: &mut Driver,
        max_wait: Option<Duration>,
        before_wait: impl FnOnce() -> bool,
        after_wait: impl FnOnce(),
    ) {
        self.polling.store(true, Ordering::SeqCst);
        let mut timeout = max_wait;
        if !before_wait() {
            timeout = Some(Duration::ZERO);
        }
        let next_timer = lock(&self.timers).next_deadline();
        if let Some(deadline) = next_timer {
            let until = deadline.saturating_duration_since(Instant::now());
            timeout = Some(timeout.map_or(until, |t| t.min(until)));
        }
        let Driver { poll, events, wake } = driver;
        // EINTR (a signal) is a turn with no events.
        let polled = poll.poll(events, timeout);
        self.polling.store(false, Ordering::SeqCst);
        after_wait();
        if polled.is_ok() {
            let sources = lock(&self.sources);
            for event in events.iter() {
                if event.token() == WAKER_TOKEN {
                    continue;
                }
                if let Some(io) = sources.get(event.token().0) {
                    io.dispatch(crate::reactor::Readiness::from_mio(event), wake);
                }
            }
        }
        if next_timer.is_some() {
            lock(&self.timers).fire(Instant::now(), wake);
        }
        for waker in wake.drain(..) {
            waker.wake();
        }
    }

    /// Makes sure somebody will drive the reactor for a waiter outside `block_on`.
    pub(crate) fn ensure_driven(&'static self) {
        if !block_on::in_block_on() && self.background.get().is_none() {
            background::start(self);
        }
    }

    fn register(&self, fd: std::os::fd::RawFd, io: std::sync::Arc<ScheduledIo>) -> Result<usize> {
        let token =
            lock(&self.sources).insert(io).ok_or_else(|| Error::from_errno(libc::ENOMEM))?;
        let interest = mio::Interest::READABLE | mio::Interest::WRITABLE;
        if let Err(e) =
            self.registry.register(&mut mio::unix::SourceFd(&fd), mio::Token(token), interest)
        {
            lock(&self.sources).remove(token);
            return Err(e.into());
        }
        Ok(token)
    }

    fn deregister(&self, fd: std::os::fd::RawFd, token: usize) {
        // The fd is still open here (the owner closes it after dropping the registration), so
        // this cannot remove an unrelated fd that reused the number.
        let _ = self.registry.deregister(&mut mio::unix::SourceFd(&fd));
        let removed = lock(&self.sources).remove(token);
        if let Some(io) = removed {
            let mut wake = Vec::new();
            io.wake_all(&mut wake);
            wake.into_iter().for_each(Waker::wake);
        }
    }
}

/// Counts the calling thread as inside `block_on` while alive.
#[derive(Debug)]
pub(crate) struct BlockOnCount(());

impl BlockOnCount {
    pub(crate) fn enter() -> BlockOnCount {
        BLOCK_ON_THREADS.fetch_add(1, Ordering::SeqCst);
        // A background thread inside `epoll_wait` must let go: this thread drives now.
        if let Some(reactor) = Reactor::existing() {
            if reactor.polling.load(Ordering::SeqCst) {
                reactor.notify();
            }
        }
        BlockOnCount(())
    }
}

impl Drop for BlockOnCount {
    fn drop(&mut self) {
        if BLOCK_ON_THREADS.fetch_sub(1, Ordering::SeqCst) == 1 {
            if let Some(thread) = Reactor::existing().and_then(|r| r.background.get()) {
                thread.unpark();
            }
        }
    }
}

pub(crate) fn block_on_threads() -> usize {
    BLOCK_ON_THREADS.load(Ordering::SeqCst)
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // No code under these locks panics; a poisoned lock still holds consistent data.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
