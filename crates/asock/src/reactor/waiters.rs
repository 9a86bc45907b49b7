//! The tasks waiting on one fd: a list per direction, so any number of tasks can await the
//! same direction of one socket and each is woken by the event it waits for.
//!
//! Two kinds of waiter, as tokio's `ScheduledIo` and async-io's `Source` keep them:
//!
//! - **futures** (`recv`, `send_all`, `readable`, ...) hold a [`WaitSlot`]: an entry of their
//!   own in the list, whose waker they refresh on every poll and which their drop removes.
//!   Sixteen tasks awaiting `recv` on one `Arc<AsyncSocket>` are sixteen entries, all woken by
//!   a readable event; the one that gets the datagram completes, the others try, see
//!   `WouldBlock` and wait again.
//! - **`poll_*` callers** (`AsyncRead`, `AsyncWrite`) have no state to keep an entry in: they
//!   share one slot per direction, the last caller's waker, exactly as tokio's
//!   `poll_read_ready` does. Two tasks reading one stream through `AsyncRead` at once is a
//!   misuse there too. The slot is an `AtomicWaker`, outside the lock: a stream read through
//!   `AsyncRead` (the common case: hyper, codecs, `read_exact`) waits without locking.
//!
//! An event wakes every waiter of its direction and empties the list, starting a new
//! *round* of it: a woken future that waits again takes a new entry, and one that completes
//! or is dropped has nothing left to remove, so its drop does not lock the list (the common
//! path: woken, then done). A future dropped before its event removes its entry. Nothing
//! stays behind a dropped future, so the lists are as long as the number of tasks waiting now.
//!
//! Every backend uses this list. The own reactor wakes it from its driver; on tokio's reactor
//! the list registers one waker of its own per direction with tokio ([`FanOut`]), which fans
//! the event out to every entry of that direction: tokio's `poll_read_ready` keeps one waker
//! per direction.
//! async-io's reactor, which keeps one waker per direction too, is given one waker per
//! direction that wakes that direction's list (`async_io_backend.rs`).

use std::num::NonZeroU64;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{ready, Context, Poll, Waker};
use std::time::Duration;

use futures::task::AtomicWaker;

use super::{sleep, Interest, Readiness, Sleep};
use asock_core::Result;

/// The waiters of one fd.
#[derive(Debug)]
pub(crate) struct Waiters {
    lists: Mutex<[Direction; 2]>,
    /// Each direction's round: bumped (under the lock) whenever its list is emptied, and read
    /// without the lock by a dropped future to learn its entry is already gone.
    rounds: [AtomicU64; 2],
    /// Each direction's futures in the list now: written under the lock, read without it
    /// (the tokio backend hands tokio a lone `poll_*` caller's own waker when this is 0).
    futures: [AtomicUsize; 2],
    /// Each direction's `poll_*` slot.
    polled: [AtomicWaker; 2],
}

impl Default for Waiters {
    fn default() -> Self {
        // Rounds count from 1, so that an entry's round fits a `NonZeroU64` (and a slot with
        // two directions stays small enough to move without a call to `memcpy`).
        Waiters {
            lists: Mutex::default(),
            rounds: [AtomicU64::new(1), AtomicU64::new(1)],
            futures: Default::default(),
            polled: Default::default(),
        }
    }
}

/// Index of a direction in [`Waiters::lists`].
const READ: usize = 0;
const WRITE: usize = 1;

#[derive(Debug, Default)]
struct Direction {
    /// The futures' entries of this round, indexed by key; `None` once removed.
    entries: Vec<Option<Waker>>,
    /// Keys in `entries` that no future holds, to reuse.
    free: Vec<usize>,
}

impl Direction {
    fn insert(&mut self, waker: &Waker) -> usize {
        match self.free.pop() {
            Some(key) => {
                self.entries[key] = Some(waker.clone());
                key
            }
            None => {
                self.entries.push(Some(waker.clone()));
                self.entries.len() - 1
            }
        }
    }

    fn refresh(&mut self, key: usize, waker: &Waker) {
        match &mut self.entries[key] {
            Some(old) if old.will_wake(waker) => {}
            entry => *entry = Some(waker.clone()),
        }
    }

    fn remove(&mut self, key: usize) {
        self.entries[key] = None;
        if key + 1 == self.entries.len() {
            self.entries.pop();
        } else {
            self.free.push(key);
        }
    }

    /// How many futures hold an entry.
    fn futures(&self) -> usize {
        self.entries.len() - self.free.len()
    }

    /// Takes every waker, ending the round: the keys handed out so far are void.
    fn take_all(&mut self, round: &AtomicU64, wake: &mut impl Extend<Waker>) {
        if !self.entries.is_empty() {
            wake.extend(self.entries.drain(..).flatten());
            self.free.clear();
            round.fetch_add(1, Ordering::Release);
        }
    }
}

/// A future's entry in one direction's list: its key, valid in the round it was given in.
#[derive(Debug, Clone, Copy)]
struct Entry {
    key: usize,
    round: NonZeroU64,
}

impl Waiters {
    fn lock(&self) -> MutexGuard<'_, [Direction; 2]> {
        // Nothing under this lock panics; a poisoned lock still holds consistent lists.
        self.lists.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stores `waker` for each direction of `interest`: in `slot`'s entries when a future
    /// waits, else in the `poll_*` slot.
    #[inline]
    pub(crate) fn register(
        self: &Arc<Self>,
        interest: Interest,
        waker: &Waker,
        slot: Option<&mut WaitSlot>,
    ) {
        let Some(slot) = slot else {
            // `AtomicWaker::register` racing with a `take` wakes `waker` itself, so an event
            // taking the wakers meanwhile is never lost.
            if interest.is_readable() {
                self.polled[READ].register(waker);
            }
            if interest.is_writable() {
                self.polled[WRITE].register(waker);
            }
            return;
        };
        self.register_future(interest, waker, slot);
    }

    /// [`register`](Self::register) for a future: its own entry in each direction's list.
    fn register_future(self: &Arc<Self>, interest: Interest, waker: &Waker, slot: &mut WaitSlot) {
        let mut lists = self.lock();
        if !slot.is_for(self) {
            // A slot of another registration (cannot happen through asock's own futures,
            // which wait on one socket): let its drop remove the old entries first.
            drop(lists);
            *slot = WaitSlot::default();
            lists = self.lock();
        }
        for dir in directions(interest) {
            // The round only changes under the lock we hold.
            let round = round_of(&self.rounds[dir], Ordering::Relaxed);
            match slot.keys[dir] {
                Some(entry) if entry.round == round => lists[dir].refresh(entry.key, waker),
                _ => {
                    slot.keys[dir] = Some(Entry { key: lists[dir].insert(waker), round });
                    self.futures[dir].store(lists[dir].futures(), Ordering::SeqCst);
                }
            }
        }
        if slot.owner.is_none() {
            slot.owner = Some(Arc::clone(self));
        }
    }

    /// Takes the wakers of every direction `ready` concerns (closed and error states concern
    /// both), for the caller to wake once no lock is held.
    pub(crate) fn take(&self, ready: Readiness, wake: &mut impl Extend<Waker>) {
        let read = !ready.intersect(Readiness::answering(Interest::READABLE)).is_empty();
        let write = !ready.intersect(Readiness::answering(Interest::WRITABLE)).is_empty();
        self.take_directions([read, write], wake);
    }

    /// Takes every waker of both directions (the registration is going away).
    pub(crate) fn take_every(&self, wake: &mut impl Extend<Waker>) {
        self.take_directions([true, true], wake);
    }

    fn take_directions(&self, which: [bool; 2], wake: &mut impl Extend<Waker>) {
        for dir in [READ, WRITE].into_iter().filter(|&dir| which[dir]) {
            wake.extend(self.polled[dir].take());
        }
        // The lists only when a future is in one (a stream read through `AsyncRead` has none):
        // a count seen as 0 was written under the lock before any entry it missed, whose
        // future then asks its reactor again and sees the readiness this event set.
        if which.iter().zip(&self.futures).all(|(&w, n)| !w || n.load(Ordering::SeqCst) == 0) {
            return;
        }
        let mut lists = self.lock();
        for dir in [READ, WRITE].into_iter().filter(|&dir| which[dir]) {
            lists[dir].take_all(&self.rounds[dir], wake);
            self.futures[dir].store(0, Ordering::SeqCst);
        }
    }

    /// Whether a future waits in a direction of `interest` (read without the lock).
    #[cfg(feature = "tokio")]
    pub(crate) fn has_futures(&self, interest: Interest) -> bool {
        directions(interest).any(|dir| self.futures[dir].load(Ordering::SeqCst) != 0)
    }

    /// How many futures hold an entry (tests: dropped futures leave none).
    #[cfg(test)]
    fn entries(&self) -> usize {
        let lists = self.lock();
        lists.iter().map(|d| d.entries.len() - d.free.len()).sum()
    }
}

/// What receives an event of one direction that a foreign reactor reports through a waker
/// (tokio and async-io keep one waker per direction of an fd).
#[cfg(any(feature = "tokio", feature = "async-io"))]
pub(crate) trait OnEvent: Send + Sync + 'static {
    /// Records the event `ready` and hands out the wakers it concerns.
    fn on_event(&self, ready: Readiness, wake: &mut WakeList);
}

/// The waiter lists take an event as it is: tokio keeps the readiness itself.
#[cfg(feature = "tokio")]
impl OnEvent for Waiters {
    fn on_event(&self, ready: Readiness, wake: &mut WakeList) {
        self.take(ready, wake);
    }
}

/// One direction of `T` as a waker, whose wake is that direction's event: what asock hands a
/// foreign reactor for each direction, so that its event wakes every task waiting for that
/// direction, and only those. [`FanOut`] on tokio; async-io's `Edge`.
#[cfg(any(feature = "tokio", feature = "async-io"))]
#[derive(Debug)]
pub(crate) struct DirectionWaker<T> {
    target: Arc<T>,
    ready: Readiness,
}

/// The waiters of one direction as a waker: what the tokio backend hands to tokio for that
/// direction.
#[cfg(feature = "tokio")]
pub(crate) type FanOut = DirectionWaker<Waiters>;

#[cfg(any(feature = "tokio", feature = "async-io"))]
impl<T: OnEvent> DirectionWaker<T> {
    /// The waker of `target`'s `ready` direction (`READABLE` or `WRITABLE`).
    pub(crate) fn waker(target: &Arc<T>, ready: Readiness) -> Waker {
        Waker::from(Arc::new(DirectionWaker { target: Arc::clone(target), ready }))
    }
}

#[cfg(any(feature = "tokio", feature = "async-io"))]
impl<T: OnEvent> std::task::Wake for DirectionWaker<T> {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let mut wake = WakeList::default();
        self.target.on_event(self.ready, &mut wake);
        wake.wake_all();
    }
}

/// Wakers taken out of a list, to wake once its lock is released. Most events have one
/// waiter, which this holds without allocating.
#[cfg(any(feature = "tokio", feature = "async-io"))]
#[derive(Debug, Default)]
pub(crate) struct WakeList {
    first: Option<Waker>,
    rest: Vec<Waker>,
}

#[cfg(any(feature = "tokio", feature = "async-io"))]
impl WakeList {
    /// Wakes every waker taken.
    pub(crate) fn wake_all(self) {
        self.first.into_iter().chain(self.rest).for_each(Waker::wake);
    }
}

#[cfg(any(feature = "tokio", feature = "async-io"))]
impl Extend<Waker> for WakeList {
    fn extend<I: IntoIterator<Item = Waker>>(&mut self, wakers: I) {
        for waker in wakers {
            match self.first {
                None => self.first = Some(waker),
                Some(_) => self.rest.push(waker),
            }
        }
    }
}

fn round_of(round: &AtomicU64, order: Ordering) -> NonZeroU64 {
    // Starts at 1 and only grows (2^64 events would take centuries).
    NonZeroU64::new(round.load(order)).unwrap_or(NonZeroU64::MIN)
}

fn directions(interest: Interest) -> impl Iterator<Item = usize> {
    [(interest.is_readable(), READ), (interest.is_writable(), WRITE)]
        .into_iter()
        .filter_map(|(wanted, dir)| wanted.then_some(dir))
}

/// A future's place in the waiter lists of the fd it waits on: empty until it first waits,
/// removed from the lists when dropped.
///
/// Embedded in every future that waits for readiness; it keeps the future's entry across
/// polls so that a future polled again refreshes its entry instead of adding another.
#[derive(Debug, Default)]
pub(crate) struct WaitSlot {
    owner: Option<Arc<Waiters>>,
    keys: [Option<Entry>; 2],
    /// The re-check timer of an operation still going while its fd is in a state that never
    /// clears (see [`WaitSlot::poll_recheck`]), and its interval; boxed, as it is rare and
    /// every operation future carries a slot.
    recheck: Option<Box<(Option<Sleep>, Duration)>>,
}

/// The first re-check interval, and the longest (it doubles in between).
const FIRST_RECHECK: Duration = Duration::from_millis(1);
const LAST_RECHECK: Duration = Duration::from_millis(64);

impl WaitSlot {
    /// Waits a while before an operation looks again, when readiness cannot tell: its fd
    /// reports a hang-up or error, which is never cleared, yet the operation says "still
    /// going" (a `connect` on a socket registered before it connected). 1 ms, doubling up
    /// to 64 ms, instead of spinning.
    ///
    /// # Errors
    ///
    /// The error of arming the timer (see [`Sleep::poll_elapsed`]).
    pub(crate) fn poll_recheck(&mut self, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let (timer, interval) =
            &mut **self.recheck.get_or_insert_with(|| Box::new((None, FIRST_RECHECK / 2)));
        let sleep = match timer {
            Some(sleep) => sleep,
            None => {
                *interval = (*interval * 2).min(LAST_RECHECK);
                timer.insert(sleep(*interval))
            }
        };
        ready!(sleep.poll_elapsed(cx))?;
        *timer = None;
        Poll::Ready(Ok(()))
    }

    fn is_for(&self, waiters: &Arc<Waiters>) -> bool {
        self.owner.as_ref().is_none_or(|owner| Arc::ptr_eq(owner, waiters))
    }
}

impl Drop for WaitSlot {
    fn drop(&mut self) {
        let Some(owner) = self.owner.take() else { return };
        // An entry of an ended round is gone already (the common case: woken, then done);
        // Acquire pairs with the Release of the bump, so seeing the new round means seeing the
        // emptied list. A round seen unchanged is checked again under the lock.
        let live = |dir: usize, entry: &Entry| {
            entry.round == round_of(&owner.rounds[dir], Ordering::Acquire)
        };
        if !self.keys.iter().enumerate().any(|(dir, e)| e.as_ref().is_some_and(|e| live(dir, e))) {
            return;
        }
        let mut lists = owner.lock();
        for (dir, entry) in self.keys.iter().enumerate() {
            if let Some(entry) = entry.filter(|e| live(dir, e)) {
                lists[dir].remove(entry.key);
                owner.futures[dir].store(lists[dir].futures(), Ordering::SeqCst);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reactor::count_waker::counting_waker;

    fn wake_for(waiters: &Waiters, ready: Readiness) {
        let mut wake = Vec::new();
        waiters.take(ready, &mut wake);
        wake.into_iter().for_each(Waker::wake);
    }

    #[test]
    fn every_future_waiting_in_one_direction_is_woken() {
        let waiters = Arc::new(Waiters::default());
        let counts: Vec<_> = (0..64)
            .map(|_| {
                let (count, waker) = counting_waker();
                let mut slot = WaitSlot::default();
                waiters.register(Interest::READABLE, &waker, Some(&mut slot));
                (count, slot)
            })
            .collect();
        wake_for(&waiters, Readiness::READABLE);
        assert!(counts.iter().all(|(c, _)| c.wakes() == 1));
        drop(counts);
        assert_eq!(waiters.entries(), 0, "dropped futures leave no entry");
    }

    #[test]
    fn a_future_polled_again_keeps_one_entry() {
        let waiters = Arc::new(Waiters::default());
        let (count, waker) = counting_waker();
        let mut slot = WaitSlot::default();
        for _ in 0..10 {
            waiters.register(Interest::READABLE, &waker, Some(&mut slot));
        }
        assert_eq!(waiters.entries(), 1);
        wake_for(&waiters, Readiness::READABLE);
        assert_eq!(count.wakes(), 1);
    }

    #[test]
    fn poll_callers_share_one_slot_per_direction() {
        let waiters = Arc::new(Waiters::default());
        let (first, w1) = counting_waker();
        let (second, w2) = counting_waker();
        waiters.register(Interest::READABLE, &w1, None);
        waiters.register(Interest::READABLE, &w2, None);
        wake_for(&waiters, Readiness::READABLE);
        assert_eq!(first.wakes(), 0, "replaced, as tokio's poll_read_ready");
        assert_eq!(second.wakes(), 1);
    }

    #[test]
    fn an_event_wakes_only_its_direction_but_hangup_wakes_both() {
        let waiters = Arc::new(Waiters::default());
        let (reader, rw) = counting_waker();
        let (writer, ww) = counting_waker();
        let (mut rs, mut ws) = (WaitSlot::default(), WaitSlot::default());
        waiters.register(Interest::READABLE, &rw, Some(&mut rs));
        waiters.register(Interest::WRITABLE, &ww, Some(&mut ws));
        wake_for(&waiters, Readiness::WRITABLE);
        assert_eq!((reader.wakes(), writer.wakes()), (0, 1));
        waiters.register(Interest::WRITABLE, &ww, Some(&mut ws));
        wake_for(&waiters, Readiness::READ_CLOSED | Readiness::WRITE_CLOSED);
        assert_eq!((reader.wakes(), writer.wakes()), (1, 2));
    }

    #[test]
    #[cfg(feature = "tokio")]
    fn a_fan_out_wakes_its_direction_once_and_not_the_other() {
        let waiters = Arc::new(Waiters::default());
        let (a, wa) = counting_waker();
        let (b, wb) = counting_waker();
        let (mut sa, mut sb) = (WaitSlot::default(), WaitSlot::default());
        waiters.register(Interest::READABLE, &wa, Some(&mut sa));
        waiters.register(Interest::WRITABLE, &wb, Some(&mut sb));
        let readable = FanOut::waker(&waiters, Readiness::READABLE);
        readable.wake_by_ref();
        readable.wake_by_ref();
        assert_eq!((a.wakes(), b.wakes()), (1, 0));
        FanOut::waker(&waiters, Readiness::WRITABLE).wake_by_ref();
        assert_eq!((a.wakes(), b.wakes()), (1, 1));
    }

    #[test]
    fn a_woken_future_waiting_again_takes_a_new_entry_and_drops_cleanly() {
        let waiters = Arc::new(Waiters::default());
        let (count, w) = counting_waker();
        let (mut woken, mut waiting) = (WaitSlot::default(), WaitSlot::default());
        waiters.register(Interest::READABLE, &w, Some(&mut woken));
        wake_for(&waiters, Readiness::READABLE);
        assert_eq!(waiters.entries(), 0, "an event empties its direction");
        // A future of the new round takes key 0 again; the woken one's old key 0 is void.
        waiters.register(Interest::READABLE, &w, Some(&mut waiting));
        drop(woken);
        assert_eq!(waiters.entries(), 1, "the old round's drop removed nothing of the new");
        waiters.register(Interest::READABLE, &w, Some(&mut waiting));
        assert_eq!(waiters.entries(), 1);
        wake_for(&waiters, Readiness::READABLE);
        assert_eq!(count.wakes(), 2);
        drop(waiting);
        assert_eq!(waiters.entries(), 0);
    }

    #[test]
    fn keys_are_reused_after_removal() {
        let waiters = Arc::new(Waiters::default());
        let (_c, w) = counting_waker();
        let mut slots: Vec<_> = (0..4).map(|_| WaitSlot::default()).collect();
        for slot in &mut slots {
            waiters.register(Interest::READABLE, &w, Some(slot));
        }
        slots.remove(1);
        let mut again = WaitSlot::default();
        waiters.register(Interest::READABLE, &w, Some(&mut again));
        assert_eq!(again.keys[READ].map(|e| e.key), Some(1));
        assert_eq!(waiters.entries(), 4);
    }
}
