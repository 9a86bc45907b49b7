//! Where blocking lookups run: tokio's blocking pool inside a tokio runtime, asock's own small
//! pool anywhere else.
//!
//! The own pool is deliberately small: lookups are few and mostly fast, and a burst should not
//! start a thread per name. Up to [`MAX_THREADS`] threads named `asock-resolve` take jobs from a
//! queue; a thread idle for [`IDLE_TIMEOUT`] exits, so a program that stops resolving ends up
//! with no resolver threads at all. Answers travel back through a oneshot channel, so whoever
//! waits needs no particular executor.
//!
//! The pool keeps each thread's `JoinHandle` and joins the threads that have exited (when it
//! next starts one, or when [`own_pool_threads`] is asked), so "no threads" is an observable
//! fact: a joined thread has run everything it will ever run, thread-local destructors
//! included.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use futures::channel::oneshot;

use asock_core::Result;

/// The own pool's thread limit.
const MAX_THREADS: usize = 4;

/// How long an own-pool thread waits for work before it exits.
const IDLE_TIMEOUT: Duration = Duration::from_secs(3);

/// The name of the own pool's threads.
const THREAD_NAME: &str = "asock-resolve";

/// Runs `job` on a blocking thread; its answer arrives on the returned channel.
///
/// If the receiver is dropped before a thread picks the job up, the job is skipped. If no
/// thread can run it (a tokio runtime shutting down, thread creation refused), the job is
/// dropped and the receiver sees `Canceled`.
pub(crate) fn submit<T: Send + 'static>(
    what: &'static str,
    job: Box<dyn FnOnce() -> Result<T> + Send + 'static>,
) -> oneshot::Receiver<Result<T>> {
    let (tx, rx) = oneshot::channel();
    let work = move || {
        if tx.is_canceled() {
            return; // the future was dropped while the job waited: nobody wants the answer
        }
        let _ = tx.send(job()); // Err only if the future was dropped meanwhile: drop the answer
    };
    #[cfg(feature = "tokio")]
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        tracing::debug!(target: "asock::resolve::pool", lookup = what, pool = "tokio", "lookup sent to a blocking thread");
        // Detached: the JoinHandle is not needed, the channel carries the answer.
        drop(runtime.spawn_blocking(work));
        return rx;
    }
    tracing::debug!(target: "asock::resolve::pool", lookup = what, pool = "asock", "lookup sent to a blocking thread");
    POOL.execute(Box::new(work));
    rx
}

// ===== the own pool =====

type Work = Box<dyn FnOnce() + Send + 'static>;

struct Pool {
    state: Mutex<PoolState>,
    work_available: Condvar,
}

struct PoolState {
    queue: VecDeque<Work>,
    /// Threads alive (running a job or idle).
    threads: usize,
    /// Threads waiting on `work_available`.
    idle: usize,
    /// Every thread started and not yet joined, the exited ones included.
    handles: Vec<JoinHandle<()>>,
}

static POOL: Pool = Pool {
    state: Mutex::new(PoolState {
        queue: VecDeque::new(),
        threads: 0,
        idle: 0,
        handles: Vec::new(),
    }),
    work_available: Condvar::new(),
};

/// Number of threads of asock's own resolver pool that exist: started and not yet gone
/// (0 inside tokio runtimes, whose lookups run on tokio's blocking pool). A diagnostic: once it
/// is 0, every abandoned lookup has been dropped and every pool thread has finished, so tests
/// can measure memory and threads without guessing how long to wait.
///
/// Threads that have exited are joined here, which waits only for their last thread-local
/// destructors.
///
/// ```
/// use asock::{AddressFamily, Protocol, SocketKind};
///
/// // A name and a service name always go to a pool thread.
/// let lookup = asock::getaddrinfo(
///     "localhost", "http", AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0), 0,
/// );
/// futures::executor::block_on(lookup)?;
/// // The thread that answered idles for 3 s before it exits; there are never more than 4.
/// assert!(asock::resolve::own_pool_threads() <= 4);
/// # Ok::<(), asock::Error>(())
/// ```
#[must_use]
pub fn own_pool_threads() -> usize {
    let mut state = POOL.lock();
    state.join_exited();
    state.handles.len()
}

impl PoolState {
    /// Joins the threads that have left their loop (their jobs and locks are done; joining
    /// waits only for their thread-local destructors). An idle pool keeps no capacity.
    fn join_exited(&mut self) {
        let (exited, running): (Vec<_>, Vec<_>) =
            self.handles.drain(..).partition(JoinHandle::is_finished);
        self.handles = running;
        for handle in exited {
            // A worker catches its jobs' panics, so the thread itself ends normally.
            let _ = handle.join();
        }
        if self.handles.is_empty() {
            self.handles = Vec::new();
        }
    }
}

impl Pool {
    fn lock(&self) -> MutexGuard<'_, PoolState> {
        // Jobs run outside the lock and cannot poison it; recover anyway rather than panic.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn execute(&'static self, work: Work) {
        let mut state = self.lock();
        state.queue.push_back(work);
        // Idle threads take queued jobs one each; start a thread only for jobs beyond them.
        if state.idle >= state.queue.len() || state.threads >= MAX_THREADS {
            self.work_available.notify_one();
            return;
        }
        state.join_exited();
        // Started under the lock, so the handle is on the list before anyone can look: the
        // new thread's first act is to take this lock anyway.
        let spawned =
            std::thread::Builder::new().name(THREAD_NAME.into()).spawn(move || self.worker());
        match spawned {
            Ok(handle) => {
                state.threads += 1;
                state.handles.push(handle);
            }
            Err(_) if state.threads == 0 => {
                // Nobody will ever run these: drop them so their futures fail instead of
                // waiting forever.
                let orphans: Vec<Work> = state.queue.drain(..).collect();
                drop(state);
                drop(orphans);
            }
            // The running threads will get to it.
            Err(_) => {}
        }
    }

    fn worker(&self) {
        let mut state = self.lock();
        loop {
            if let Some(work) = state.queue.pop_front() {
                drop(state);
                // A panicking job loses only its own answer (its sender drops), not the thread.
                let _ = catch_unwind(AssertUnwindSafe(work));
                state = self.lock();
                continue;
            }
            state.idle += 1;
            let (guard, wait) = self
                .work_available
                .wait_timeout(state, IDLE_TIMEOUT)
                .unwrap_or_else(PoisonError::into_inner);
            state = guard;
            state.idle -= 1;
            if wait.timed_out() && state.queue.is_empty() {
                state.threads -= 1;
                // An idle pool keeps nothing: a burst's queue capacity goes too.
                state.queue.shrink_to_fit();
                return;
            }
        }
    }
}
