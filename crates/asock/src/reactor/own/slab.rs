//! The own reactor's table of registered fds, indexed by mio token.
//!
//! A token is `generation << INDEX_BITS | index`. The generation changes each time a slot is
//! reused, so an event still in flight for a deregistered fd cannot reach the fd that took
//! its slot (a stray wake-up would be harmless, but a stray *readiness* would cost a syscall).

use std::sync::Arc;

use super::scheduled_io::ScheduledIo;

const INDEX_BITS: u32 = 24;
const INDEX_MASK: usize = (1 << INDEX_BITS) - 1;
/// The most fds the own reactor holds at once (16 Mi, far above any `RLIMIT_NOFILE`).
const MAX_ENTRIES: usize = INDEX_MASK;

#[derive(Debug, Default)]
struct Slot {
    generation: usize,
    io: Option<Arc<ScheduledIo>>,
}

#[derive(Debug, Default)]
pub(crate) struct Slab {
    slots: Vec<Slot>,
    free: Vec<usize>,
    len: usize,
}

impl Slab {
    /// Stores `io`, returning its token, or `None` when the table is full.
    pub(crate) fn insert(&mut self, io: Arc<ScheduledIo>) -> Option<usize> {
        let index = match self.free.pop() {
            Some(index) => index,
            None if self.slots.len() < MAX_ENTRIES => {
                self.slots.push(Slot::default());
                self.slots.len() - 1
            }
            None => return None,
        };
        let slot = &mut self.slots[index];
        slot.io = Some(io);
        self.len += 1;
        Some((slot.generation << INDEX_BITS) | index)
    }

    pub(crate) fn get(&self, token: usize) -> Option<&Arc<ScheduledIo>> {
        let slot = self.slots.get(token & INDEX_MASK)?;
        if slot.generation != token >> INDEX_BITS {
            return None;
        }
        slot.io.as_ref()
    }

    pub(crate) fn remove(&mut self, token: usize) -> Option<Arc<ScheduledIo>> {
        let index = token & INDEX_MASK;
        let slot = self.slots.get_mut(index)?;
        if slot.generation != token >> INDEX_BITS || slot.io.is_none() {
            return None;
        }
        // Wrap within the bits a token has left above the index.
        slot.generation = (slot.generation + 1) & (usize::MAX >> INDEX_BITS);
        self.free.push(index);
        self.len -= 1;
        slot.io.take()
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reused_slot_gets_a_new_token() {
        let mut slab = Slab::default();
        let a = slab.insert(Arc::default()).unwrap();
        assert!(slab.remove(a).is_some());
        let b = slab.insert(Arc::default()).unwrap();
        assert_eq!(a & INDEX_MASK, b & INDEX_MASK);
        assert_ne!(a, b);
        assert!(slab.get(a).is_none(), "stale token must not reach the new entry");
        assert!(slab.get(b).is_some());
        assert!(slab.remove(a).is_none());
        assert_eq!(slab.len(), 1);
    }
}
