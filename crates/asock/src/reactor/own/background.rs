//! The `asock-reactor` thread: drives the own reactor for executors that never enter asock.

use std::sync::Mutex;
use std::thread;
use std::time::Duration;

use super::{block_on_threads, Reactor};

/// How often the background thread checks, while `block_on` threads exist, that the reactor
/// is not left undriven (a `block_on` thread busy running its future does not drive).
const CHECK_INTERVAL: Duration = Duration::from_millis(10);

pub(super) fn start(reactor: &'static Reactor) {
    static STARTING: Mutex<()> = Mutex::new(());
    let _once = STARTING.lock().unwrap_or_else(|e| e.into_inner());
    if reactor.background.get().is_some() {
        return;
    }
    let spawned = thread::Builder::new().name("asock-reactor".into()).spawn(move || run(reactor));
    // A spawn failure (EAGAIN: thread limit) leaves the slot empty: the next waiter outside
    // `block_on` tries again, and `block_on` threads drive meanwhile.
    if let Ok(handle) = spawned {
        let _ = reactor.background.set(handle.thread().clone());
    }
}

fn run(reactor: &'static Reactor) -> ! {
    loop {
        if block_on_threads() > 0 {
            // `block_on` threads drive. Step in only briefly, without waiting, if none is.
            thread::park_timeout(CHECK_INTERVAL);
            if block_on_threads() > 0 {
                if let Some(mut driver) = reactor.try_lock_driver() {
                    reactor.turn(&mut driver, Some(Duration::ZERO), || true, || {});
                    reactor.unlock_driver(driver);
                }
                continue;
            }
        }
        let mut driver = reactor.lock_driver();
        // `BlockOnCount::enter` notifies whoever is polling; re-checking after `polling` is
        // set (inside `turn`) closes the race with a `block_on` that starts meanwhile.
        reactor.turn(&mut driver, None, || block_on_threads() == 0, || {});
        reactor.unlock_driver(driver);
    }
}
