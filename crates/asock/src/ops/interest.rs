//! `Interest`: the direction an operation waits for.

use std::fmt;
use std::ops::BitOr;

/// The directions a task waits for: readable, writable, or both.
///
/// ```
/// use asock::reactor::Interest;
///
/// let both = Interest::READABLE | Interest::WRITABLE;
/// assert!(both.is_readable() && both.is_writable());
/// assert!(!Interest::READABLE.is_writable());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Interest(u8);

impl Interest {
    /// Wait until a read (`recv`, `accept`) may make progress.
    pub const READABLE: Interest = Interest(1);
    /// Wait until a write (`send`, a pending `connect`) may make progress.
    pub const WRITABLE: Interest = Interest(2);

    /// Whether this interest includes reading.
    #[must_use]
    pub const fn is_readable(self) -> bool {
        self.0 & Self::READABLE.0 != 0
    }

    /// Whether this interest includes writing.
    #[must_use]
    pub const fn is_writable(self) -> bool {
        self.0 & Self::WRITABLE.0 != 0
    }

    /// The `poll(2)` events of this interest (`POLLIN`, `POLLOUT`).
    pub(crate) const fn poll_events(self) -> i16 {
        let mut events = 0;
        if self.is_readable() {
            events |= libc::POLLIN;
        }
        if self.is_writable() {
            events |= libc::POLLOUT;
        }
        events
    }
}

impl BitOr for Interest {
    type Output = Interest;

    fn bitor(self, rhs: Interest) -> Interest {
        Interest(self.0 | rhs.0)
    }
}

impl fmt::Debug for Interest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.is_readable(), self.is_writable()) {
            (true, true) => f.write_str("READABLE | WRITABLE"),
            (true, false) => f.write_str("READABLE"),
            (false, true) => f.write_str("WRITABLE"),
            (false, false) => f.write_str("(none)"),
        }
    }
}
