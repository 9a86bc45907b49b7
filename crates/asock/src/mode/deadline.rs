//! The one non-generic piece of timer code every timed future shares.

use std::task::{Context, Poll};

use crate::reactor::{sleep_until, Sleep};
use crate::time::Instant;
use asock_core::Result;

/// A deadline whose timer is created only when first needed: an operation that completes on
/// its first try never touches a timer.
#[derive(Debug)]
pub(crate) struct DeadlineTimer {
    deadline: Instant,
    sleep: Option<Sleep>,
}

impl DeadlineTimer {
    pub(crate) fn new(deadline: Instant) -> DeadlineTimer {
        DeadlineTimer { deadline, sleep: None }
    }

    pub(crate) fn deadline(&self) -> Instant {
        self.deadline
    }

    /// `Ready(Ok)` once the deadline has passed; otherwise arms the timer with `cx`'s waker.
    /// `Ready(Err)` when the timer cannot be armed (the own reactor could not be created,
    /// `EMFILE`): the timed future ends with that error rather than wait without a timer.
    pub(crate) fn poll_expired(&mut self, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let deadline = self.deadline;
        let sleep = self.sleep.get_or_insert_with(|| sleep_until(deadline));
        sleep.poll_elapsed(cx)
    }
}
