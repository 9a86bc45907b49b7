//! `Readiness`: what the kernel reported, and which of it answers an [`Interest`].

use std::fmt;

use crate::ops::{flag_set, Interest};

/// What the reactor last heard from the kernel about a file descriptor.
///
/// A readiness is a hint, never a promise: the operation itself says what is true (it may
/// still return `WouldBlock`, and a closed state is reported by the syscall as EOF or an error).
///
/// ```
/// use asock::reactor::Readiness;
///
/// let r = Readiness::READABLE | Readiness::READ_CLOSED;
/// assert!(r.is_readable() && r.is_read_closed() && !r.is_writable());
/// assert!(Readiness::EMPTY.is_empty());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Readiness(u8);

flag_set!(Readiness {
    /// Data (or a connection to accept) may be waiting.
    READABLE = 1, is_readable: "Whether the readable bit is set.";
    /// Buffer space may be free.
    WRITABLE = 2, is_writable: "Whether the writable bit is set.";
    /// The peer closed its sending side, or the socket hung up (`EPOLLRDHUP`, `EPOLLHUP`).
    READ_CLOSED = 4, is_read_closed: "Whether the read side was reported closed.";
    /// The socket hung up for writing (`EPOLLHUP`, or `EPOLLERR`).
    WRITE_CLOSED = 8, is_write_closed: "Whether the write side was reported closed.";
    /// An error is pending on the socket (`EPOLLERR`): the next syscall reports it.
    ERROR = 16, is_error: "Whether an error was reported.";
});

impl Readiness {
    /// Nothing known.
    pub const EMPTY: Readiness = Readiness(0);

    pub(crate) const CLOSED: Readiness = Readiness(4 | 8);
    /// What is never cleared: the closed states and an error.
    pub(crate) const STICKY: Readiness = Readiness(4 | 8 | 16);

    /// The readiness bits that satisfy `interest`. Closed and error states satisfy both
    /// directions: the waiter then calls its syscall, which reports EOF (a zero-length read)
    /// or the error. A HUP alone never means EOF.
    pub(crate) const fn answering(interest: Interest) -> Readiness {
        let mut bits = Readiness::ERROR.0;
        if interest.is_readable() {
            bits |= Readiness::READABLE.0 | Readiness::READ_CLOSED.0;
        }
        if interest.is_writable() {
            bits |= Readiness::WRITABLE.0 | Readiness::WRITE_CLOSED.0;
        }
        Readiness(bits)
    }

    /// Whether nothing is known.
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub(crate) const fn bits(self) -> u8 {
        self.0
    }
    pub(crate) const fn from_bits(bits: u8) -> Readiness {
        Readiness(bits & 31)
    }
    pub(crate) const fn intersect(self, other: Readiness) -> Readiness {
        Readiness(self.0 & other.0)
    }
    pub(crate) const fn without(self, other: Readiness) -> Readiness {
        Readiness(self.0 & !other.0)
    }

    pub(crate) fn from_mio(event: &mio::event::Event) -> Readiness {
        Self::from_flags([
            event.is_readable(),
            event.is_writable(),
            event.is_read_closed(),
            event.is_write_closed(),
            event.is_error(),
        ])
    }

    #[cfg(feature = "tokio")]
    #[inline]
    pub(crate) fn from_tokio(ready: tokio::io::Ready) -> Readiness {
        Self::from_flags([
            ready.is_readable(),
            ready.is_writable(),
            ready.is_read_closed(),
            ready.is_write_closed(),
            ready.is_error(),
        ])
    }

    /// Readable, writable, read closed, write closed, error: the five facts mio and tokio
    /// report, in that order (async-io reports only the first two).
    fn from_flags(flags: [bool; 5]) -> Readiness {
        const BITS: [Readiness; 5] = [
            Readiness::READABLE,
            Readiness::WRITABLE,
            Readiness::READ_CLOSED,
            Readiness::WRITE_CLOSED,
            Readiness::ERROR,
        ];
        let bits = flags.iter().zip(BITS).filter(|(set, _)| **set).fold(0, |acc, (_, r)| acc | r.0);
        Readiness(bits)
    }
}

impl fmt::Debug for Readiness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const NAMES: [&str; 5] = ["READABLE", "WRITABLE", "READ_CLOSED", "WRITE_CLOSED", "ERROR"];
        if self.is_empty() {
            return f.write_str("EMPTY");
        }
        let mut first = true;
        for (i, name) in NAMES.iter().enumerate() {
            if self.0 & (1 << i) != 0 {
                if !first {
                    f.write_str(" | ")?;
                }
                f.write_str(name)?;
                first = false;
            }
        }
        Ok(())
    }
}
