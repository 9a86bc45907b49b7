//! `MsgFlags`: the `flags` argument of `send(2)`/`recv(2)` and the `msg_flags` a `recvmsg`
//! reports.

use std::fmt;
use std::ops::{BitAnd, BitAndAssign, BitOr, BitOrAssign};

use libc::c_int;

/// A set of `MSG_*` flags, Python's `socket.MsgFlag`.
///
/// The flags a call takes (`MSG_PEEK`, `MSG_WAITALL`, `MSG_DONTWAIT`, `MSG_MORE`, ...) and the
/// ones a receive reports (`MSG_TRUNC`, `MSG_CTRUNC`, `MSG_EOR`, ...) share one type, as they
/// share one integer in C. Every flag Python's `socket` module names on Linux is an associated
/// constant under that name; so are three that Linux has and Python does not
/// (`MSG_WAITFORONE`, `MSG_BATCH`, `MSG_ZEROCOPY`). Bits no name has are kept, and print as a
/// number.
///
/// `Debug` and `Display` print the set flags in bit order, joined by ` | `, as Python's
/// `MsgFlag.name` lists them (`"0"` for none).
///
/// ```
/// use asock_core::MsgFlags;
///
/// let flags = MsgFlags::MSG_PEEK | MsgFlags::MSG_WAITALL;
/// assert!(flags.contains(MsgFlags::MSG_PEEK));
/// assert!(!flags.contains(MsgFlags::MSG_PEEK | MsgFlags::MSG_DONTWAIT));
/// assert_eq!(flags.raw(), libc::MSG_PEEK | libc::MSG_WAITALL);
/// assert_eq!(format!("{flags:?}"), "MSG_PEEK | MSG_WAITALL");
/// assert_eq!(format!("{:?}", MsgFlags::from_raw(libc::MSG_PEEK | 0x10)), "MSG_PEEK | 16");
/// assert_eq!(MsgFlags::default(), MsgFlags::empty());
///
/// // What a recvmsg reports:
/// let reported = MsgFlags::from(libc::MSG_CTRUNC);
/// assert!(reported.ctrunc() && !reported.trunc());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
#[repr(transparent)]
pub struct MsgFlags(pub c_int);

/// `MSG_BATCH` of <linux/socket.h>, which the `libc` crate does not declare.
const LINUX_MSG_BATCH: c_int = 0x40000;

impl MsgFlags {
    /// Send or receive out-of-band data (TCP urgent data).
    pub const MSG_OOB: Self = Self(libc::MSG_OOB);
    /// Receive without removing the data from the queue.
    pub const MSG_PEEK: Self = Self(libc::MSG_PEEK);
    /// Send only to directly connected hosts, bypassing the routing table.
    pub const MSG_DONTROUTE: Self = Self(libc::MSG_DONTROUTE);
    /// Reported: control data was cut short for want of buffer space (fds that did not fit
    /// were closed by the kernel).
    pub const MSG_CTRUNC: Self = Self(libc::MSG_CTRUNC);
    /// Reported: the datagram was longer than the buffer. Passed to `recv` on a datagram or
    /// packet socket: return the real length anyway.
    pub const MSG_TRUNC: Self = Self(libc::MSG_TRUNC);
    /// Do not wait, for this one call (the fd stays as it is).
    pub const MSG_DONTWAIT: Self = Self(libc::MSG_DONTWAIT);
    /// End of record (`SOCK_SEQPACKET`); reported when a record ends.
    pub const MSG_EOR: Self = Self(libc::MSG_EOR);
    /// Wait until the whole buffer is filled (or EOF, an error, a signal).
    pub const MSG_WAITALL: Self = Self(libc::MSG_WAITALL);
    /// Tell the link layer that the neighbour answered (datagram and raw sockets).
    pub const MSG_CONFIRM: Self = Self(libc::MSG_CONFIRM);
    /// Receive from the socket's error queue; reported on what came from there.
    pub const MSG_ERRQUEUE: Self = Self(libc::MSG_ERRQUEUE);
    /// Do not raise `SIGPIPE` when the peer has gone (asock's sends always add it).
    pub const MSG_NOSIGNAL: Self = Self(libc::MSG_NOSIGNAL);
    /// More data follows: hold this send back, as `TCP_CORK` / `UDP_CORK` would.
    pub const MSG_MORE: Self = Self(libc::MSG_MORE);
    /// Linux only, not in Python: `recvmmsg` waits for the first message only.
    pub const MSG_WAITFORONE: Self = Self(libc::MSG_WAITFORONE);
    /// Linux only, not in Python: `sendmmsg` has more messages coming.
    pub const MSG_BATCH: Self = Self(LINUX_MSG_BATCH);
    /// Linux only, not in Python: send without copying (`SO_ZEROCOPY`; completions arrive on
    /// the error queue).
    pub const MSG_ZEROCOPY: Self = Self(libc::MSG_ZEROCOPY);
    /// Send data in the SYN (TCP Fast Open).
    pub const MSG_FASTOPEN: Self = Self(libc::MSG_FASTOPEN);
    /// Set close-on-exec on the fds received with `SCM_RIGHTS`.
    pub const MSG_CMSG_CLOEXEC: Self = Self(libc::MSG_CMSG_CLOEXEC);

    /// Every named flag, in bit order (the order `Debug` prints them in).
    pub const NAMES: &'static [(&'static str, MsgFlags)] = &[
        ("MSG_OOB", Self::MSG_OOB),
        ("MSG_PEEK", Self::MSG_PEEK),
        ("MSG_DONTROUTE", Self::MSG_DONTROUTE),
        ("MSG_CTRUNC", Self::MSG_CTRUNC),
        ("MSG_TRUNC", Self::MSG_TRUNC),
        ("MSG_DONTWAIT", Self::MSG_DONTWAIT),
        ("MSG_EOR", Self::MSG_EOR),
        ("MSG_WAITALL", Self::MSG_WAITALL),
        ("MSG_CONFIRM", Self::MSG_CONFIRM),
        ("MSG_ERRQUEUE", Self::MSG_ERRQUEUE),
        ("MSG_NOSIGNAL", Self::MSG_NOSIGNAL),
        ("MSG_MORE", Self::MSG_MORE),
        ("MSG_WAITFORONE", Self::MSG_WAITFORONE),
        ("MSG_BATCH", Self::MSG_BATCH),
        ("MSG_ZEROCOPY", Self::MSG_ZEROCOPY),
        ("MSG_FASTOPEN", Self::MSG_FASTOPEN),
        ("MSG_CMSG_CLOEXEC", Self::MSG_CMSG_CLOEXEC),
    ];

    /// The names among [`NAMES`](Self::NAMES) that Python's `socket` module does not have.
    pub const LINUX_ONLY: &'static [&'static str] =
        &["MSG_WAITFORONE", "MSG_BATCH", "MSG_ZEROCOPY"];

    /// No flag: what Python's `flags=0` means.
    #[must_use]
    pub const fn empty() -> Self {
        Self(0)
    }

    /// The raw integer, as the C API takes it and Python's `recvmsg` returns it.
    #[must_use]
    pub const fn raw(self) -> c_int {
        self.0
    }

    /// The flags of a raw integer, unknown bits included.
    #[must_use]
    pub const fn from_raw(raw: c_int) -> Self {
        Self(raw)
    }

    /// The flag Python calls `name` (`"MSG_PEEK"`), or `None`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::NAMES.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }

    /// Whether no bit is set.
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether every flag of `other` is set here (`true` for an empty `other`).
    #[must_use]
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether any flag of `other` is set here.
    #[must_use]
    pub const fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }

    /// These flags and those of `other`: `|` in a `const` context.
    #[must_use]
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// These flags without those of `other`.
    #[must_use]
    pub const fn difference(self, other: Self) -> Self {
        Self(self.0 & !other.0)
    }

    /// `MSG_CTRUNC`: control messages were dropped or cut short for want of buffer space
    /// (fds that did not fit were closed by the kernel, never installed).
    #[must_use]
    pub const fn ctrunc(self) -> bool {
        self.intersects(Self::MSG_CTRUNC)
    }

    /// `MSG_TRUNC`: the datagram was longer than the buffers; the rest is lost.
    #[must_use]
    pub const fn trunc(self) -> bool {
        self.intersects(Self::MSG_TRUNC)
    }

    /// `MSG_EOR`: end of record (`SOCK_SEQPACKET`).
    #[must_use]
    pub const fn eor(self) -> bool {
        self.intersects(Self::MSG_EOR)
    }

    /// `MSG_OOB`: out-of-band data was received.
    #[must_use]
    pub const fn oob(self) -> bool {
        self.intersects(Self::MSG_OOB)
    }

    /// `MSG_ERRQUEUE`: the message came from the socket's error queue.
    #[must_use]
    pub const fn errqueue(self) -> bool {
        self.intersects(Self::MSG_ERRQUEUE)
    }
}

impl BitOr for MsgFlags {
    type Output = Self;

    fn bitor(self, rhs: Self) -> Self {
        self.union(rhs)
    }
}

impl BitOrAssign for MsgFlags {
    fn bitor_assign(&mut self, rhs: Self) {
        self.0 |= rhs.0;
    }
}

impl BitAnd for MsgFlags {
    type Output = Self;

    fn bitand(self, rhs: Self) -> Self {
        Self(self.0 & rhs.0)
    }
}

impl BitAndAssign for MsgFlags {
    fn bitand_assign(&mut self, rhs: Self) {
        self.0 &= rhs.0;
    }
}

impl From<c_int> for MsgFlags {
    fn from(raw: c_int) -> Self {
        Self(raw)
    }
}

impl From<MsgFlags> for c_int {
    fn from(flags: MsgFlags) -> Self {
        flags.0
    }
}

impl fmt::Display for MsgFlags {
    /// The set flags by name in bit order, joined by ` | `; the bits no name has, together,
    /// as one decimal number at the end (Python's `MsgFlag.name` does the same); `0` for none.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("0");
        }
        let mut first = true;
        let mut sep = |f: &mut fmt::Formatter<'_>| {
            let s = if first { "" } else { " | " };
            first = false;
            f.write_str(s)
        };
        let mut rest = *self;
        for (name, flag) in Self::NAMES {
            if self.contains(*flag) {
                sep(f)?;
                f.write_str(name)?;
                rest = rest.difference(*flag);
            }
        }
        if !rest.is_empty() {
            sep(f)?;
            write!(f, "{}", rest.0)?;
        }
        Ok(())
    }
}

impl fmt::Debug for MsgFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn or_and_and_combine_and_select_flags() {
        let mut flags = MsgFlags::empty();
        assert!(flags.is_empty());
        flags |= MsgFlags::MSG_PEEK;
        flags |= MsgFlags::MSG_WAITALL;
        assert_eq!(flags, MsgFlags::MSG_PEEK | MsgFlags::MSG_WAITALL);
        assert_eq!(flags & MsgFlags::MSG_PEEK, MsgFlags::MSG_PEEK);
        assert_eq!(flags & MsgFlags::MSG_DONTWAIT, MsgFlags::empty());
        flags &= MsgFlags::MSG_WAITALL;
        assert_eq!(flags, MsgFlags::MSG_WAITALL);
        assert_eq!(
            (MsgFlags::MSG_PEEK | MsgFlags::MSG_OOB).difference(MsgFlags::MSG_OOB),
            MsgFlags::MSG_PEEK
        );
    }

    #[test]
    fn contains_needs_every_flag_and_intersects_any() {
        let flags = MsgFlags::MSG_PEEK | MsgFlags::MSG_TRUNC;
        assert!(flags.contains(MsgFlags::MSG_PEEK));
        assert!(flags.contains(MsgFlags::MSG_PEEK | MsgFlags::MSG_TRUNC));
        assert!(!flags.contains(MsgFlags::MSG_PEEK | MsgFlags::MSG_OOB));
        assert!(flags.contains(MsgFlags::empty()));
        assert!(flags.intersects(MsgFlags::MSG_PEEK | MsgFlags::MSG_OOB));
        assert!(!flags.intersects(MsgFlags::MSG_OOB));
    }

    #[test]
    fn converts_to_and_from_c_int_keeping_unknown_bits() {
        let raw = libc::MSG_PEEK | 0x10;
        assert_eq!(MsgFlags::from(raw).raw(), raw);
        assert_eq!(c_int::from(MsgFlags::from_raw(raw)), raw);
        assert_eq!(MsgFlags::from_raw(-1).raw(), -1);
    }

    #[test]
    fn received_flag_accessors_read_their_bit() {
        let flags = MsgFlags::from(libc::MSG_CTRUNC | libc::MSG_EOR);
        assert!(flags.ctrunc() && flags.eor());
        assert!(!flags.trunc() && !flags.oob() && !flags.errqueue());
        let flags = MsgFlags::MSG_TRUNC | MsgFlags::MSG_OOB | MsgFlags::MSG_ERRQUEUE;
        assert!(flags.trunc() && flags.oob() && flags.errqueue());
        assert!(!flags.ctrunc() && !flags.eor());
    }

    #[test]
    fn debug_joins_names_in_bit_order_and_prints_the_rest_as_a_number() {
        assert_eq!(
            format!("{:?}", MsgFlags::MSG_WAITALL | MsgFlags::MSG_PEEK),
            "MSG_PEEK | MSG_WAITALL"
        );
        assert_eq!(format!("{:?}", MsgFlags::empty()), "0");
        assert_eq!(format!("{:?}", MsgFlags::from_raw(0x10 | 0x400)), "1040");
        assert_eq!(
            format!("{}", MsgFlags::MSG_ZEROCOPY | MsgFlags::from_raw(0x10)),
            "MSG_ZEROCOPY | 16"
        );
        assert_eq!(format!("{:?}", MsgFlags::from_raw(libc::MSG_CTRUNC)), "MSG_CTRUNC");
    }

    #[test]
    fn names_are_single_distinct_bits_in_ascending_order() {
        for pair in MsgFlags::NAMES.windows(2) {
            assert!(pair[0].1.raw() < pair[1].1.raw(), "{} before {}", pair[0].0, pair[1].0);
        }
        for (name, flag) in MsgFlags::NAMES {
            assert_eq!(flag.raw().count_ones(), 1, "{name}");
            assert_eq!(MsgFlags::from_name(name), Some(*flag));
        }
        assert_eq!(MsgFlags::from_name("MSG_NOPE"), None);
    }
}
