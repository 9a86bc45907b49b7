//! The own reactor's timers: deadlines in order, each with the waker to call when it passes.
//!
//! A `BTreeMap` keyed by `(deadline, id)`: the earliest is the first key (the driver's poll
//! timeout), firing takes a prefix, and cancelling (dropping a `Sleep`) removes one key.

use std::collections::BTreeMap;
use std::task::Waker;

use crate::time::Instant;

#[derive(Debug, Default)]
pub(crate) struct Timers {
    map: BTreeMap<(Instant, u64), Waker>,
    next_id: u64,
}

impl Timers {
    /// Adds a timer; returns its id and whether it is now the earliest.
    pub(crate) fn insert(&mut self, deadline: Instant, waker: Waker) -> (u64, bool) {
        self.next_id += 1;
        let id = self.next_id;
        self.map.insert((deadline, id), waker);
        let earliest = self.map.keys().next() == Some(&(deadline, id));
        (id, earliest)
    }

    /// Replaces the waker of a pending timer; `false` if it already fired.
    pub(crate) fn update(&mut self, deadline: Instant, id: u64, waker: &Waker) -> bool {
        match self.map.get_mut(&(deadline, id)) {
            Some(old) => {
                if !old.will_wake(waker) {
                    *old = waker.clone();
                }
                true
            }
            None => false,
        }
    }

    pub(crate) fn remove(&mut self, deadline: Instant, id: u64) {
        self.map.remove(&(deadline, id));
    }

    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        self.map.keys().next().map(|&(deadline, _)| deadline)
    }

    /// Removes every timer due at `now`, pushing its waker, in deadline order.
    pub(crate) fn fire(&mut self, now: Instant, wake: &mut Vec<Waker>) {
        while let Some(entry) = self.map.first_entry() {
            if entry.key().0 > now {
                break;
            }
            wake.push(entry.remove());
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }
}
