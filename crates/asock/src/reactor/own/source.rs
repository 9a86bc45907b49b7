//! A file descriptor registered with the own reactor.

use std::os::fd::{AsRawFd, BorrowedFd, RawFd};
use std::sync::Arc;
use std::task::{Context, Poll};

use super::scheduled_io::{Observed, ScheduledIo};
use super::Reactor;
use crate::reactor::waiters::WaitSlot;
use crate::reactor::Interest;
use asock_core::Result;

/// One registration with the own reactor. Dropping it deregisters the fd, which must still
/// be open (see `Registration`).
#[derive(Debug)]
pub(crate) struct Source {
    reactor: &'static Reactor,
    fd: RawFd,
    token: usize,
    io: Arc<ScheduledIo>,
}

impl Source {
    /// Registers `fd` for both directions, edge-triggered.
    pub(crate) fn new(fd: BorrowedFd<'_>) -> Result<Source> {
        let reactor = Reactor::get()?;
        let io = Arc::new(ScheduledIo::default());
        let token = reactor.register(fd.as_raw_fd(), io.clone())?;
        Ok(Source { reactor, fd: fd.as_raw_fd(), token, io })
    }

    pub(crate) fn observe(&self, interest: Interest) -> Observed {
        self.io.observe(interest)
    }

    pub(crate) fn poll_ready(
        &self,
        cx: &mut Context<'_>,
        interest: Interest,
        slot: Option<&mut WaitSlot>,
    ) -> Poll<Observed> {
        let polled = self.io.poll_ready(cx, interest, slot);
        if polled.is_pending() {
            self.reactor.ensure_driven();
        }
        polled
    }

    pub(crate) fn clear(&self, seen: Observed) {
        self.io.clear(seen);
    }
}

impl Drop for Source {
    fn drop(&mut self) {
        self.reactor.deregister(self.fd, self.token);
    }
}
