//! `block_on`: run a future on the calling thread, driving asock's own reactor while it waits.

use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::Duration;

use super::{BlockOnCount, Driver, Reactor};

/// How long a `block_on` thread waiting for another thread's reactor turn sleeps before
/// looking again (it is normally handed the reactor, or woken, well before).
const WAITER_RECHECK: Duration = Duration::from_millis(10);

thread_local! {
    static IN_BLOCK_ON: Cell<bool> = const { Cell::new(false) };
}

/// Whether the calling thread is inside [`block_on`] (then it drives the own reactor itself).
pub(crate) fn in_block_on() -> bool {
    IN_BLOCK_ON.with(Cell::get)
}

/// Runs `future` to completion on the calling thread and returns its output.
///
/// While the future is pending, this thread drives asock's own reactor (see
/// [`crate::reactor`]): it waits in `epoll_wait` itself, bounded by the nearest timer, and
/// the wake-ups it dispatches to its own future are a flag it reads right after — no other
/// thread and no extra syscall on the single-threaded path. When several threads are in
/// `block_on`, one drives and the others sleep until woken or handed the reactor.
///
/// Do not call it from inside a tokio runtime: asock's futures there use tokio's reactor,
/// which this thread would then block (as with `futures::executor::block_on`).
///
/// ```
/// use std::time::Duration;
///
/// let answer = asock::block_on(async {
///     asock::sleep(Duration::from_millis(1)).await;
///     42
/// });
/// assert_eq!(answer, 42);
/// ```
pub fn block_on<F: Future>(future: F) -> F::Output {
    let signal = Arc::new(Signal {
        notified: AtomicBool::new(false),
        state: AtomicU8::new(RUNNING),
        thread: thread::current(),
    });
    let waker = Waker::from(signal.clone());
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    let _count = BlockOnCount::enter();
    let _inside = InBlockOn::enter();
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        while !signal.notified.swap(false, Ordering::SeqCst) {
            wait(&signal);
        }
    }
}

/// Waits until something may have happened for `signal`'s future: a reactor turn driven by
/// this thread, or a sleep while another thread drives.
fn wait(signal: &Signal) {
    let Some(reactor) = Reactor::existing() else {
        // No fd or timer was ever registered: only a plain wake-up can come.
        signal.park(None);
        return;
    };
    if let Some(mut driver) = reactor.try_lock_driver() {
        drive(reactor, &mut driver, signal);
        reactor.unlock_driver(driver);
        return;
    }
    // Another thread drives. Register as a waiter before the last try, so that a release in
    // between hands the reactor to us.
    reactor.add_waiter();
    if let Some(mut driver) = reactor.try_lock_driver() {
        reactor.remove_waiter();
        drive(reactor, &mut driver, signal);
        reactor.unlock_driver(driver);
        return;
    }
    signal.park(Some(WAITER_RECHECK));
    reactor.remove_waiter();
}

fn drive(reactor: &Reactor, driver: &mut Driver, signal: &Signal) {
    reactor.turn(
        driver,
        None,
        || {
            signal.state.store(POLLING, Ordering::SeqCst);
            // A wake-up that came before `POLLING` was visible did not use the mio waker.
            !signal.notified.load(Ordering::SeqCst)
        },
        // From here on, waking our own future is a flag: we look at it after the turn.
        || signal.state.store(RUNNING, Ordering::SeqCst),
    );
}

const RUNNING: u8 = 0;
const PARKED: u8 = 1;
const POLLING: u8 = 2;

/// The waker of a `block_on` future: a flag, plus what it takes to reach the thread in the
/// state it is in.
#[derive(Debug)]
struct Signal {
    notified: AtomicBool,
    state: AtomicU8,
    thread: Thread,
}

impl Signal {
    fn park(&self, timeout: Option<Duration>) {
        self.state.store(PARKED, Ordering::SeqCst);
        if !self.notified.load(Ordering::SeqCst) {
            match timeout {
                Some(timeout) => thread::park_timeout(timeout),
                None => thread::park(),
            }
        }
        self.state.store(RUNNING, Ordering::SeqCst);
    }
}

impl Wake for Signal {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if self.notified.swap(true, Ordering::SeqCst) {
            // Already notified; the thread has yet to look.
            return;
        }
        match self.state.load(Ordering::SeqCst) {
            // The thread is running (maybe dispatching this very wake-up): it checks the flag
            // before it waits again.
            RUNNING => {}
            PARKED => self.thread.unpark(),
            _ => {
                if let Some(reactor) = Reactor::existing() {
                    reactor.notify();
                }
            }
        }
    }
}

struct InBlockOn(bool);

impl InBlockOn {
    fn enter() -> InBlockOn {
        InBlockOn(IN_BLOCK_ON.with(|inside| inside.replace(true)))
    }
}

impl Drop for InBlockOn {
    fn drop(&mut self) {
        IN_BLOCK_ON.with(|inside| inside.set(self.0));
    }
}
