//! The async-io backend (feature `async-io`): an fd registered with async-io's reactor — the
//! one `smol::block_on` drives on the waiting thread — so asock under smol pays no thread hop
//! per event.
//!
//! # async-io's model, and asock's on top of it
//!
//! async-io registers fds with polling's *oneshot, level-triggered* epoll mode: a direction
//! is armed (`EPOLL_CTL_MOD`) when `Async::poll_readable` / `poll_writable` stores a waker
//! and finds no event to report; the next `epoll_wait` that sees the fd ready in that
//! direction — at once if it already is — delivers one event, wakes the one stored waker and
//! disarms the direction. `poll_readable` returns `Ready` once an event was delivered since
//! the call that armed it ("an event since I last asked"), then forgets that event. async-io
//! keeps one waker per direction and reports no hang-up or error of its own: polling folds
//! `EPOLLHUP` and `EPOLLERR` into both directions.
//!
//! asock keeps its own readiness contract (see [`super`]) on top, with the own reactor's
//! cache (`ScheduledIo`: tick-tagged bits plus the waiter lists of `waiters.rs`):
//!
//! - **events**: async-io is given one waker per direction, [`Edge`]; async-io waking it is
//!   an event for that direction: the bit is set in the cache, the tick bumps, and every task
//!   waiting for that direction is woken (the fan-out the tokio backend does with tokio's one
//!   waker). Readiness here is only ever `READABLE` / `WRITABLE`: a hang-up or error arrives
//!   as both, and the syscall that runs next reports EOF or the error.
//! - **arming**: a direction is armed exactly while its bit is clear — at registration (both
//!   directions: the first turn reports the fd's current state, as epoll does for a fresh
//!   registration) and whenever a clear removes the bit. An event disarms it and sets the
//!   bit. So the cache never misses readiness: a clear is followed by an arm, and since the
//!   arm is level-triggered, data that arrived between the syscall's `EAGAIN` and the arm is
//!   reported by the next turn. And nothing spins: a direction whose bit is set is not armed,
//!   so a readable fd nobody reads costs no turns; each retry of an operation follows a new
//!   event, each event follows an arm, and each arm follows a clear, i.e. a failed (or short)
//!   syscall.
//! - **clearing**: as on the other backends, only on `WouldBlock` or a `Progress::Drained`
//!   result, only the bits observed before the syscall, and not at all if the tick moved
//!   (an event arrived meanwhile). A clear that removes nothing (the bit was already clear, or
//!   a newer event won) does not arm: the direction is armed already, or its bit is set.
//! - **waiting**: a wait is the cache's `poll_ready` (ready bits, or an entry in the waiter
//!   list): it never calls async-io, whose direction is armed whenever the bit is clear.
//!   Like the own reactor, operations try their syscall first even when the cache is clear:
//!   a wait is a turn of the reactor driven by the waiting thread, and a peer served by the
//!   same thread has often answered already (async-io's own `Async<T>` does the same).
//!
//! What async-io's model cannot give: while a bit is set the direction is disarmed, so the
//! cache learns of no new event until an operation clears it; the new data is then found by
//! the arm's level-triggered report, one reactor turn after the clear (the own reactor,
//! edge-triggered and always armed, can have seen that edge before the clear). A
//! non-blocking readiness poll right after a clear may thus say "not ready" for data that
//! arrived meanwhile; a readiness is a hint, and the syscall of every operation has the
//! truth.
//!
//! async-io also keys its sources by slab slot with no generation: an event that its reactor
//! collected for an fd just deregistered can reach the source that took the slot meanwhile
//! (the own reactor's tokens carry a generation for exactly this). Such a spurious readiness
//! costs one syscall that answers `EAGAIN` and clears it; no operation is misled by it.
//!
//! # Arming costs
//!
//! async-io remembers an event it reported through the waker until `poll_readable` is asked
//! again; the arm after a clear asks (`Ready`: that old event, already dispatched) and asks
//! once more (which arms). One `epoll_ctl` per clear (per wait, in a ping-pong), as
//! async-io's `Async<T>` makes one per wait, but no second failed syscall: `Async<T>` learns
//! that the old event is stale only from a second `EAGAIN`.
//!
//! # async-io's reactor must exist
//!
//! async-io creates its reactor (epoll fd, eventfd, and its `async-io` driver thread) on
//! first use, and panics if it cannot. [`reactor_available`] therefore makes sure, once,
//! that a poller can be made (by making one and closing it) and then creates async-io's; if
//! the process is out of fds, the async-io backend is not chosen and the own reactor, which
//! reports that error, serves instead. A thread that cannot be started (the thread limit)
//! still panics inside async-io.

use std::future::Future;
use std::os::fd::BorrowedFd;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use async_io::Async;

use super::own::{Observed, ScheduledIo};
use super::waiters::{DirectionWaker, OnEvent, WaitSlot, WakeList};
use super::{Interest, Readiness};
use crate::sys::async_io_fd::{self, FdRef};
use asock_core::{Error, Result};

/// One registration with async-io's reactor. Dropping it deregisters the fd, which must still
/// be open (see `Registration`).
#[derive(Debug)]
pub(crate) struct AsyncIoSource {
    io: Async<FdRef>,
    /// The readiness cache and waiter lists.
    cache: Arc<ScheduledIo>,
    /// What async-io stores and wakes for each direction: [`Edge`]s into `cache`.
    on_readable: Waker,
    on_writable: Waker,
    /// The errno of a failed arm (0: none). A direction that could not be armed would never
    /// report again, so every wait fails with it from then on.
    arm_error: AtomicI32,
}

impl AsyncIoSource {
    /// Registers `fd` with async-io's reactor and arms both directions.
    ///
    /// # Errors
    ///
    /// async-io's reactor cannot be created ([`reactor_available`]), or `epoll_ctl` fails.
    pub(crate) fn new(fd: BorrowedFd<'_>) -> Result<AsyncIoSource> {
        reactor_available()?;
        let io = async_io_fd::register(fd)?;
        let cache = Arc::new(ScheduledIo::default());
        let edge = |ready| Edge::waker(&cache, ready);
        let source = AsyncIoSource {
            on_readable: edge(Readiness::READABLE),
            on_writable: edge(Readiness::WRITABLE),
            io,
            cache,
            arm_error: AtomicI32::new(0),
        };
        source.arm(Readiness::READABLE | Readiness::WRITABLE)?;
        Ok(source)
    }

    pub(crate) fn observe(&self, interest: Interest) -> Observed {
        self.cache.observe(interest)
    }

    /// Ready bits for `interest`, or `cx`'s waker stored in the waiter lists.
    pub(crate) fn poll_ready(
        &self,
        cx: &mut Context<'_>,
        interest: Interest,
        slot: Option<&mut WaitSlot>,
    ) -> Poll<Result<Observed>> {
        match self.arm_error.load(Ordering::Acquire) {
            0 => self.cache.poll_ready(cx, interest, slot).map(Ok),
            errno => Poll::Ready(Err(Error::from_errno(errno))),
        }
    }

    /// Forgets `seen`'s bits (unless a newer event arrived) and arms the directions whose bit
    /// this removed.
    pub(crate) fn clear(&self, seen: Observed) {
        let removed = self.cache.clear(seen);
        if removed.is_empty() {
            return;
        }
        if let Err(e) = self.arm(removed) {
            self.arm_error.store(e.raw_os_error().unwrap_or(libc::EIO), Ordering::Release);
            // Whoever waits now would wait forever: wake them to see the error.
            let mut wake = WakeList::default();
            self.cache.wake_all(&mut wake);
            wake.wake_all();
        }
    }

    /// Arms each direction of `bits` with async-io.
    fn arm(&self, bits: Readiness) -> std::io::Result<()> {
        if bits.is_readable() {
            arm_one(&self.on_readable, |cx| self.io.poll_readable(cx))?;
        }
        if bits.is_writable() {
            arm_one(&self.on_writable, |cx| self.io.poll_writable(cx))?;
        }
        Ok(())
    }
}

/// Arms one direction: `poll` is its `poll_readable` / `poll_writable`, `edge` its waker.
fn arm_one(
    edge: &Waker,
    poll: impl Fn(&mut Context<'_>) -> Poll<std::io::Result<()>>,
) -> std::io::Result<()> {
    let mut cx = Context::from_waker(edge);
    // A first `Ready` is the event that set the bit just cleared, which async-io still
    // remembers (it reached the cache through `edge` already); asking again arms.
    for _ in 0..2 {
        match poll(&mut cx) {
            Poll::Pending => return Ok(()),
            Poll::Ready(Ok(())) => {}
            Poll::Ready(Err(e)) => return Err(e),
        }
    }
    // Not async-io 2's behaviour (a call after `Ready` arms). Should a version report twice,
    // take it as the event it claims to be: the bit is set, and a set bit needs no arm.
    edge.wake_by_ref();
    Ok(())
}

/// The waker async-io keeps for one direction of one fd: its wake is an event, which the
/// cache records before it wakes that direction's waiters.
type Edge = DirectionWaker<ScheduledIo>;

impl OnEvent for ScheduledIo {
    fn on_event(&self, ready: Readiness, wake: &mut WakeList) {
        self.dispatch(ready, wake);
    }
}

/// Whether async-io's reactor exists, creating it if a poller can be made now (see the
/// module docs): `Ok` from then on.
///
/// # Errors
///
/// The error of making a poller (`EMFILE`, `ENFILE`); the next call tries again.
pub(crate) fn reactor_available() -> Result<()> {
    static CREATED: AtomicBool = AtomicBool::new(false);
    static CREATING: Mutex<()> = Mutex::new(());
    if CREATED.load(Ordering::Acquire) {
        return Ok(());
    }
    let _once = CREATING.lock().unwrap_or_else(|e| e.into_inner());
    if CREATED.load(Ordering::Acquire) {
        return Ok(());
    }
    // The two fds async-io's poller needs (polling: epoll, eventfd), made and closed.
    let poll = mio::Poll::new()?;
    drop(mio::Waker::new(poll.registry(), mio::Token(0))?);
    drop(poll);
    // async-io's reactor comes into being at its first use: a timer polled once.
    let mut probe = async_io::Timer::after(Duration::from_secs(3600));
    let _ = Pin::new(&mut probe).poll(&mut Context::from_waker(Waker::noop()));
    drop(probe);
    CREATED.store(true, Ordering::Release);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reactor::count_waker::counting_waker;
    use std::future::poll_fn;
    use std::io::{Read, Write};
    use std::os::fd::AsFd;
    use std::os::unix::net::UnixStream;
    use std::pin::pin;

    use futures::future::{select, Either};

    /// A bound on waits that should end at the next reactor turn.
    const SOON: Duration = Duration::from_secs(10);

    fn pair() -> (UnixStream, UnixStream) {
        let (a, b) = UnixStream::pair().unwrap();
        a.set_nonblocking(true).unwrap();
        (a, b)
    }

    /// Waits (driving async-io's reactor on this thread) until `interest` is cached; panics
    /// after [`SOON`].
    fn wait_ready(source: &AsyncIoSource, interest: Interest) -> Observed {
        let mut slot = WaitSlot::default();
        let ready = poll_fn(|cx| source.poll_ready(cx, interest, Some(&mut slot)));
        match async_io::block_on(select(pin!(ready), async_io::Timer::after(SOON))) {
            Either::Left((ready, _)) => ready.unwrap(),
            Either::Right(_) => panic!("no {interest:?} event within {SOON:?}"),
        }
    }

    /// Lets async-io's reactor turn for a while on this thread.
    fn turn() {
        async_io::block_on(async_io::Timer::after(Duration::from_millis(30)));
    }

    #[test]
    fn registration_arms_both_directions() {
        let (a, b) = pair();
        let source = AsyncIoSource::new(a.as_fd()).unwrap();
        // Nothing was asked of async-io after registering: only the arming at registration
        // can report these.
        assert!(wait_ready(&source, Interest::WRITABLE).ready.is_writable());
        (&b).write_all(b"x").unwrap();
        assert!(wait_ready(&source, Interest::READABLE).ready.is_readable());
    }

    #[test]
    fn an_event_wakes_every_waiter_of_its_direction_only() {
        let (a, _b) = pair();
        let source = AsyncIoSource::new(a.as_fd()).unwrap();
        turn(); // the writable report of the registration
        let readers: Vec<_> = (0..64)
            .map(|_| {
                let (count, waker) = counting_waker();
                let mut slot = WaitSlot::default();
                let polled = source.poll_ready(
                    &mut Context::from_waker(&waker),
                    Interest::READABLE,
                    Some(&mut slot),
                );
                assert!(polled.is_pending());
                (count, slot)
            })
            .collect();
        let (writer, waker) = counting_waker();
        let mut slot = WaitSlot::default();
        // Writable is cached: the writer does not wait. Fill the send buffer, so that no
        // writable event can come (async-io's thread, driven by other tests meanwhile, would
        // report one at once after a clear alone), then clear.
        while (&a).write(&[0; 1 << 16]).is_ok() {}
        source.clear(source.observe(Interest::WRITABLE));
        let polled = source.poll_ready(
            &mut Context::from_waker(&waker),
            Interest::WRITABLE,
            Some(&mut slot),
        );
        assert!(polled.is_pending());
        // async-io delivering a readable event is async-io waking `on_readable`.
        source.on_readable.wake_by_ref();
        assert!(readers.iter().all(|(count, _)| count.wakes() == 1));
        assert_eq!(writer.wakes(), 0);
        assert!(source.observe(Interest::READABLE).ready.is_readable());
    }

    #[test]
    fn clear_after_a_newer_event_keeps_the_bit() {
        let (a, b) = pair();
        let source = AsyncIoSource::new(a.as_fd()).unwrap();
        (&b).write_all(b"x").unwrap();
        let seen = wait_ready(&source, Interest::READABLE);
        // An event is dispatched between the operation's `EAGAIN` and its clear.
        source.on_readable.wake_by_ref();
        source.clear(seen);
        assert!(source.observe(Interest::READABLE).ready.is_readable());
    }

    #[test]
    fn data_that_came_while_the_bit_was_set_is_reported_after_the_clear() {
        let (a, b) = pair();
        let source = AsyncIoSource::new(a.as_fd()).unwrap();
        (&b).write_all(b"first").unwrap();
        let seen = wait_ready(&source, Interest::READABLE);
        let mut buf = [0u8; 16];
        assert_eq!((&a).read(&mut buf).unwrap(), 5);
        // The bit is set, so the direction is not armed and this data makes no event...
        (&b).write_all(b"second").unwrap();
        turn();
        assert_eq!(source.observe(Interest::READABLE).tick, seen.tick, "no event while set");
        // ...until a clear (here as after an `EAGAIN` that came before the data) arms it:
        // the level-triggered arm reports the data as a new event. (Not "the bit is clear
        // right after the clear": async-io's thread, driven by other tests, may report the
        // data at once, which failed 1 run in 7 under load.)
        source.clear(seen);
        let again = wait_ready(&source, Interest::READABLE);
        assert!(again.ready.is_readable());
        assert!(again.tick > seen.tick, "a new event, after the clear");
        assert_eq!((&a).read(&mut buf).unwrap(), 6);
    }

    #[test]
    fn a_readable_fd_nobody_reads_makes_no_further_events() {
        let (a, b) = pair();
        let source = AsyncIoSource::new(a.as_fd()).unwrap();
        (&b).write_all(b"x").unwrap();
        let seen = wait_ready(&source, Interest::READABLE);
        turn();
        turn();
        // Each event bumps the tick: a re-armed level-triggered fd would report every turn.
        assert_eq!(source.observe(Interest::READABLE).tick, seen.tick);
    }
}
