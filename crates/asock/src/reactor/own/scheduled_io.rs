//! One registered fd's state in the own reactor (and in the async-io backend, which keeps the
//! same cache): cached readiness tagged with a tick, and the tasks waiting for it (tokio's
//! `ScheduledIo`, reduced to what asock needs).
//!
//! The readiness word packs `tick << 8 | bits`. The driver bumps the tick each time it adds
//! readiness from an epoll event; [`ScheduledIo::clear`] removes bits only if the tick is still
//! the one the caller observed *before* its syscall. So a clear that races with a newer event
//! is a no-op and the newer event is not lost — the reason the tick exists at all: epoll is
//! edge-triggered (mio registers with `EPOLLET`), so a lost edge would never come back.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use crate::reactor::waiters::{WaitSlot, Waiters};
use crate::reactor::{Interest, Readiness};

const BITS_MASK: usize = 0xff;
const TICK_SHIFT: u32 = 8;

/// A readiness observation: the bits seen and the tick they were seen at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Observed {
    pub(crate) tick: usize,
    pub(crate) ready: Readiness,
}

#[derive(Debug, Default)]
pub(crate) struct ScheduledIo {
    readiness: AtomicUsize,
    waiters: Arc<Waiters>,
}

fn unpack(word: usize) -> Observed {
    Observed { tick: word >> TICK_SHIFT, ready: Readiness::from_bits((word & BITS_MASK) as u8) }
}

impl ScheduledIo {
    /// The readiness relevant to `interest`, with the current tick. Registers nothing.
    pub(crate) fn observe(&self, interest: Interest) -> Observed {
        // SeqCst here and in `dispatch` (free on x86: a plain load, a locked update): the
        // waiter lists skip their lock when no future is listed, which is sound only if an
        // event and a future registering meanwhile cannot both miss the other's write.
        let mut seen = unpack(self.readiness.load(Ordering::SeqCst));
        seen.ready = seen.ready.intersect(Readiness::answering(interest));
        seen
    }

    /// Ready now, or store `cx`'s waker for each direction of `interest`: in `slot`'s entry
    /// for a future, in the shared `poll_*` slot otherwise (see `reactor/waiters.rs`).
    pub(crate) fn poll_ready(
        &self,
        cx: &mut Context<'_>,
        interest: Interest,
        slot: Option<&mut WaitSlot>,
    ) -> Poll<Observed> {
        let seen = self.observe(interest);
        if !seen.ready.is_empty() {
            return Poll::Ready(seen);
        }
        self.waiters.register(interest, cx.waker(), slot);
        // Re-check after storing the waker: the driver sets readiness *then* takes the
        // wakers, so either it sees our waker or we see its readiness.
        let seen = self.observe(interest);
        if seen.ready.is_empty() {
            Poll::Pending
        } else {
            Poll::Ready(seen)
        }
    }

    /// Called by the driver for an epoll event: adds `ready`, bumps the tick, and hands out the
    /// wakers of every direction the event concerns. Closed and error states concern both.
    pub(crate) fn dispatch(&self, ready: Readiness, wake: &mut impl Extend<Waker>) {
        let _ = self.readiness.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |word| {
            let tick = (word >> TICK_SHIFT).wrapping_add(1);
            let bits = (word & BITS_MASK) as u8 | ready.bits();
            Some((tick << TICK_SHIFT) | bits as usize)
        });
        self.waiters.take(ready, wake);
    }

    /// Forgets `seen.ready`, unless a newer event arrived since `seen` was observed. Closed
    /// bits are never cleared: a hung-up socket stays hung up, and every later syscall on it
    /// returns at once. Returns the bits this call removed (none if it was a no-op).
    pub(crate) fn clear(&self, seen: Observed) -> Readiness {
        let remove = seen.ready.without(Readiness::CLOSED);
        let updated = self.readiness.fetch_update(Ordering::AcqRel, Ordering::Acquire, |word| {
            let now = unpack(word);
            if now.tick != seen.tick || now.ready.intersect(remove).is_empty() {
                return None;
            }
            Some((word & !BITS_MASK) | now.ready.without(remove).bits() as usize)
        });
        updated.map_or(Readiness::EMPTY, |word| unpack(word).ready.intersect(remove))
    }

    /// Wakes every waiter (used when the registration goes away).
    pub(crate) fn wake_all(&self, wake: &mut impl Extend<Waker>) {
        self.waiters.take_every(wake);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reactor::count_waker::counting_waker;

    #[test]
    fn clear_with_current_tick_forgets_readiness() {
        let io = ScheduledIo::default();
        io.dispatch(Readiness::READABLE, &mut Vec::new());
        let seen = io.observe(Interest::READABLE);
        assert!(seen.ready.is_readable());
        io.clear(seen);
        assert!(io.observe(Interest::READABLE).ready.is_empty());
    }

    #[test]
    fn clear_reports_what_it_removed() {
        let io = ScheduledIo::default();
        io.dispatch(Readiness::READABLE | Readiness::READ_CLOSED, &mut Vec::new());
        let seen = io.observe(Interest::READABLE);
        assert_eq!(io.clear(seen), Readiness::READABLE, "closed bits stay");
        assert_eq!(io.clear(seen), Readiness::EMPTY, "nothing left to remove");
        io.dispatch(Readiness::READABLE, &mut Vec::new());
        assert_eq!(io.clear(seen), Readiness::EMPTY, "a newer event wins");
    }

    #[test]
    fn stale_clear_keeps_newer_event() {
        let io = ScheduledIo::default();
        io.dispatch(Readiness::READABLE, &mut Vec::new());
        let seen = io.observe(Interest::READABLE);
        // A new edge arrives between the syscall's WouldBlock and the clear.
        io.dispatch(Readiness::READABLE, &mut Vec::new());
        io.clear(seen);
        assert!(io.observe(Interest::READABLE).ready.is_readable());
    }

    #[test]
    fn clear_of_one_direction_keeps_the_other() {
        let io = ScheduledIo::default();
        io.dispatch(Readiness::READABLE | Readiness::WRITABLE, &mut Vec::new());
        io.clear(io.observe(Interest::READABLE));
        assert!(io.observe(Interest::WRITABLE).ready.is_writable());
        assert!(io.observe(Interest::READABLE).ready.is_empty());
    }

    #[test]
    fn closed_bits_survive_clear() {
        let io = ScheduledIo::default();
        io.dispatch(Readiness::READ_CLOSED | Readiness::READABLE, &mut Vec::new());
        io.clear(io.observe(Interest::READABLE));
        assert_eq!(io.observe(Interest::READABLE).ready, Readiness::READ_CLOSED);
    }

    #[test]
    fn reader_and_writer_slots_are_separate() {
        let io = ScheduledIo::default();
        let (reads, rw) = counting_waker();
        let (writes, ww) = counting_waker();
        assert!(io
            .poll_ready(&mut Context::from_waker(&rw), Interest::READABLE, None)
            .is_pending());
        assert!(io
            .poll_ready(&mut Context::from_waker(&ww), Interest::WRITABLE, None)
            .is_pending());
        let mut wake = Vec::new();
        io.dispatch(Readiness::WRITABLE, &mut wake);
        wake.drain(..).for_each(Waker::wake);
        assert_eq!((reads.wakes(), writes.wakes()), (0, 1));
        io.dispatch(Readiness::READABLE, &mut wake);
        wake.drain(..).for_each(Waker::wake);
        assert_eq!((reads.wakes(), writes.wakes()), (1, 1));
    }

    #[test]
    fn hangup_and_error_wake_both_directions() {
        for event in [Readiness::READ_CLOSED | Readiness::WRITE_CLOSED, Readiness::ERROR] {
            let io = ScheduledIo::default();
            let (reads, rw) = counting_waker();
            let (writes, ww) = counting_waker();
            let _ = io.poll_ready(&mut Context::from_waker(&rw), Interest::READABLE, None);
            let _ = io.poll_ready(&mut Context::from_waker(&ww), Interest::WRITABLE, None);
            let mut wake = Vec::new();
            io.dispatch(event, &mut wake);
            wake.drain(..).for_each(Waker::wake);
            assert_eq!(reads.wakes(), 1, "{event:?}");
            assert_eq!(writes.wakes(), 1, "{event:?}");
        }
    }
}
