//! `Interest`: the direction an operation waits for.

use std::fmt;

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

/// Flags in a `u8` newtype, written once for [`Interest`] and the reactor's `Readiness`: a
/// constant per flag, a `const fn is_…` query per flag, and `|`.
macro_rules! flag_set {
    ($ty:ident { $($(#[$doc:meta])* $flag:ident = $bit:expr, $query:ident: $says:literal;)* }) => {
        impl $ty {
            $(
                $(#[$doc])*
                pub const $flag: $ty = $ty($bit);

                #[doc = $says]
                #[must_use]
                pub const fn $query(self) -> bool {
                    self.0 & Self::$flag.0 != 0
                }
            )*
        }

        impl std::ops::BitOr for $ty {
            type Output = $ty;

            fn bitor(self, rhs: $ty) -> $ty {
                $ty(self.0 | rhs.0)
            }
        }
    };
}

pub(crate) use flag_set;

flag_set!(Interest {
    /// Wait until a read (`recv`, `accept`) may make progress.
    READABLE = 1, is_readable: "Whether this interest includes reading.";
    /// Wait until a write (`send`, a pending `connect`) may make progress.
    WRITABLE = 2, is_writable: "Whether this interest includes writing.";
});

impl Interest {
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
