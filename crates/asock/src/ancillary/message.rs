//! `ControlMessage`: one received control message, typed.

use std::os::fd::{AsRawFd, OwnedFd};
use std::time::{Duration, SystemTime};

use libc::c_int;

use super::values::{int_from_bytes, time_from_bytes};
use super::{Credentials, IpPktinfo, Ipv6Pktinfo};
use crate::sys::msg::{fd_numbers, is_rights, CmsgIter, RawCmsg};

/// One control message received with [`recv_msg`](crate::blocking::Socket::recv_msg).
///
/// Received fds arrive as [`OwnedFd`]s: they close when the message is dropped, so ignoring
/// a message leaks nothing. A message of a known kind whose data has the wrong size, or was
/// cut short because the control buffer was too small (`MSG_CTRUNC`), comes as
/// [`Unknown`](ControlMessage::Unknown) with the bytes that arrived, as Python returns it.
///
/// [`to_raw`](ControlMessage::to_raw) gives Python's `(level, type, data)` form of any
/// message.
///
/// ```
/// use asock::ancillary::{ControlMessage, Credentials};
///
/// let msg = ControlMessage::ScmCredentials(Credentials { pid: 1, uid: 0, gid: 0 });
/// assert_eq!(msg.level(), libc::SOL_SOCKET);
/// assert_eq!(msg.kind(), libc::SCM_CREDENTIALS);
/// let (level, kind, data) = msg.to_raw();
/// assert_eq!((level, kind, data.len()), (libc::SOL_SOCKET, libc::SCM_CREDENTIALS, 12));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum ControlMessage {
    /// `SOL_SOCKET` / `SCM_RIGHTS`: file descriptors, owned, close-on-exec (they are received
    /// with `MSG_CMSG_CLOEXEC`).
    ScmRights(Vec<OwnedFd>),
    /// `SOL_SOCKET` / `SCM_CREDENTIALS`: the sender's credentials (the receiver needs
    /// `SO_PASSCRED`).
    ScmCredentials(Credentials),
    /// `IPPROTO_IP` / `IP_PKTINFO` (enable with `IP_PKTINFO`).
    IpPktinfo(IpPktinfo),
    /// `IPPROTO_IPV6` / `IPV6_PKTINFO` (enable with `IPV6_RECVPKTINFO`).
    Ipv6Pktinfo(Ipv6Pktinfo),
    /// `SOL_SOCKET` / `SCM_TIMESTAMP`: the arrival time, microsecond precision (enable with
    /// `SO_TIMESTAMP`).
    SoTimestamp(SystemTime),
    /// `SOL_SOCKET` / `SCM_TIMESTAMPNS`: the arrival time, nanosecond precision (enable with
    /// `SO_TIMESTAMPNS`).
    SoTimestampNs(SystemTime),
    /// `IPPROTO_IP` / `IP_TOS`: the header's TOS byte (enable with `IP_RECVTOS`).
    IpTos(u8),
    /// `IPPROTO_IP` / `IP_TTL`: the header's TTL (enable with `IP_RECVTTL`).
    IpTtl(i32),
    /// `IPPROTO_IPV6` / `IPV6_TCLASS`: the traffic class (enable with `IPV6_RECVTCLASS`).
    Ipv6Tclass(i32),
    /// `IPPROTO_IPV6` / `IPV6_HOPLIMIT`: the hop limit (enable with `IPV6_RECVHOPLIMIT`).
    Ipv6HopLimit(i32),
    /// `SOL_UDP` / `UDP_GRO`: the datagram is several equal-sized datagrams the kernel
    /// coalesced (generic receive offload), each this many bytes long except the last, which
    /// may be shorter (enable with the `UDP_GRO` socket option; see [`crate::batch`]).
    UdpGro(i32),
    /// Any other message, or a known one that arrived malformed or truncated: the raw parts.
    Unknown {
        /// `cmsg_level`.
        level: c_int,
        /// `cmsg_type`.
        kind: c_int,
        /// The data bytes that arrived.
        data: Vec<u8>,
    },
}

impl ControlMessage {
    /// The message's `cmsg_level`.
    #[must_use]
    pub fn level(&self) -> c_int {
        self.level_kind().0
    }

    /// The message's `cmsg_type`.
    #[must_use]
    pub fn kind(&self) -> c_int {
        self.level_kind().1
    }

    fn level_kind(&self) -> (c_int, c_int) {
        use ControlMessage::*;
        match *self {
            ScmRights(_) => (libc::SOL_SOCKET, libc::SCM_RIGHTS),
            ScmCredentials(_) => (libc::SOL_SOCKET, libc::SCM_CREDENTIALS),
            IpPktinfo(_) => (libc::IPPROTO_IP, libc::IP_PKTINFO),
            Ipv6Pktinfo(_) => (libc::IPPROTO_IPV6, libc::IPV6_PKTINFO),
            SoTimestamp(_) => (libc::SOL_SOCKET, libc::SCM_TIMESTAMP),
            SoTimestampNs(_) => (libc::SOL_SOCKET, libc::SCM_TIMESTAMPNS),
            IpTos(_) => (libc::IPPROTO_IP, libc::IP_TOS),
            IpTtl(_) => (libc::IPPROTO_IP, libc::IP_TTL),
            Ipv6Tclass(_) => (libc::IPPROTO_IPV6, libc::IPV6_TCLASS),
            Ipv6HopLimit(_) => (libc::IPPROTO_IPV6, libc::IPV6_HOPLIMIT),
            UdpGro(_) => (libc::SOL_UDP, libc::UDP_GRO),
            Unknown { level, kind, .. } => (level, kind),
        }
    }

    /// Python's form of the message: `(cmsg_level, cmsg_type, cmsg_data)`, the data laid out
    /// as the kernel delivers it.
    ///
    /// For `ScmRights` the data holds the fd numbers while `self` still owns the fds: they
    /// stay valid as long as `self` lives. Take the `Vec<OwnedFd>` out of the message to keep
    /// them longer.
    #[must_use]
    pub fn to_raw(&self) -> (c_int, c_int, Vec<u8>) {
        use ControlMessage::*;
        let data = match self {
            ScmRights(fds) => fds.iter().flat_map(|fd| fd.as_raw_fd().to_ne_bytes()).collect(),
            ScmCredentials(c) => c.to_bytes(),
            IpPktinfo(p) => p.to_bytes(),
            Ipv6Pktinfo(p) => p.to_bytes(),
            SoTimestamp(t) => time_to_bytes(*t, 1_000),
            SoTimestampNs(t) => time_to_bytes(*t, 1),
            IpTos(tos) => vec![*tos],
            IpTtl(v) | Ipv6Tclass(v) | Ipv6HopLimit(v) | UdpGro(v) => v.to_ne_bytes().to_vec(),
            Unknown { data, .. } => data.clone(),
        };
        let (level, kind) = self.level_kind();
        (level, kind, data)
    }

    /// Decodes one message; `fds` supplies the owned fds of an `SCM_RIGHTS` message.
    fn decode(msg: RawCmsg<'_>, fds: &mut impl Iterator<Item = OwnedFd>) -> Self {
        if is_rights(&msg) {
            let count = fd_numbers(msg.data).filter(|&fd| fd >= 0).count();
            return ControlMessage::ScmRights(fds.take(count).collect());
        }
        let typed = if msg.truncated { None } else { Self::decode_fixed(&msg) };
        typed.unwrap_or_else(|| ControlMessage::Unknown {
            level: msg.level,
            kind: msg.kind,
            data: msg.data.to_vec(),
        })
    }

    fn decode_fixed(msg: &RawCmsg<'_>) -> Option<Self> {
        use ControlMessage::*;
        let d = msg.data;
        Some(match (msg.level, msg.kind) {
            (libc::SOL_SOCKET, libc::SCM_CREDENTIALS) => {
                ScmCredentials(Credentials::from_bytes(d)?)
            }
            (libc::SOL_SOCKET, libc::SCM_TIMESTAMP) => SoTimestamp(time_from_bytes(d, 1_000_000)?),
            (libc::SOL_SOCKET, libc::SCM_TIMESTAMPNS) => {
                SoTimestampNs(time_from_bytes(d, 1_000_000_000)?)
            }
            (libc::IPPROTO_IP, libc::IP_PKTINFO) => IpPktinfo(super::IpPktinfo::from_bytes(d)?),
            (libc::IPPROTO_IP, libc::IP_TOS) => match d {
                [tos] => IpTos(*tos),
                _ => return None,
            },
            (libc::IPPROTO_IP, libc::IP_TTL) => IpTtl(int_from_bytes(d)?),
            (libc::IPPROTO_IPV6, libc::IPV6_PKTINFO) => {
                Ipv6Pktinfo(super::Ipv6Pktinfo::from_bytes(d)?)
            }
            (libc::IPPROTO_IPV6, libc::IPV6_TCLASS) => Ipv6Tclass(int_from_bytes(d)?),
            (libc::IPPROTO_IPV6, libc::IPV6_HOPLIMIT) => Ipv6HopLimit(int_from_bytes(d)?),
            (libc::SOL_UDP, libc::UDP_GRO) => UdpGro(int_from_bytes(d)?),
            _ => return None,
        })
    }
}

/// Decodes one message of a fixed-size kind (everything but `SCM_RIGHTS`), without
/// allocating: `None` for other kinds and for malformed or truncated data.
pub(crate) fn decode_fixed(msg: &RawCmsg<'_>) -> Option<ControlMessage> {
    if msg.truncated {
        return None;
    }
    ControlMessage::decode_fixed(msg)
}

/// Decodes a control buffer `recvmsg` filled, handing each `SCM_RIGHTS` message its share of
/// `fds` (which `sys::msg::try_recv_msg` adopted from the same buffer, in the same order).
/// Should any fd be left over, it is closed with the iterator.
pub(crate) fn decode_all(control: &[u8], fds: Vec<OwnedFd>) -> Vec<ControlMessage> {
    let mut fds = fds.into_iter();
    CmsgIter::new(control).map(|msg| ControlMessage::decode(msg, &mut fds)).collect()
}

/// A wall-clock time as a `timeval` (`nanos_per_unit` = 1000) or `timespec` (1).
fn time_to_bytes(t: SystemTime, nanos_per_unit: u32) -> Vec<u8> {
    let (secs, nanos) = match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
        Err(before) => {
            let d: Duration = before.duration();
            match d.subsec_nanos() {
                0 => (-(d.as_secs() as i64), 0),
                n => (-(d.as_secs() as i64) - 1, 1_000_000_000 - n),
            }
        }
    };
    let sub = i64::from(nanos / nanos_per_unit);
    if std::mem::size_of::<libc::time_t>() == 8 {
        [secs.to_ne_bytes(), sub.to_ne_bytes()].concat()
    } else {
        [(secs as i32).to_ne_bytes(), (sub as i32).to_ne_bytes()].concat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sys::msg::push_cmsg;

    fn one(level: c_int, kind: c_int, data: &[u8]) -> ControlMessage {
        let mut buf = Vec::new();
        assert!(push_cmsg(&mut buf, level, kind, data));
        let mut msgs = decode_all(&buf, Vec::new());
        assert_eq!(msgs.len(), 1);
        msgs.remove(0)
    }

    #[test]
    fn known_kinds_decode_and_encode_back_to_the_same_bytes() {
        let cases: Vec<(c_int, c_int, Vec<u8>)> = vec![
            (
                libc::SOL_SOCKET,
                libc::SCM_CREDENTIALS,
                Credentials { pid: 9, uid: 8, gid: 7 }.to_bytes(),
            ),
            (
                libc::SOL_SOCKET,
                libc::SCM_TIMESTAMP,
                [5i64.to_ne_bytes(), 6i64.to_ne_bytes()].concat(),
            ),
            (
                libc::SOL_SOCKET,
                libc::SCM_TIMESTAMPNS,
                [5i64.to_ne_bytes(), 6i64.to_ne_bytes()].concat(),
            ),
            (libc::IPPROTO_IP, libc::IP_PKTINFO, vec![1, 0, 0, 0, 127, 0, 0, 1, 127, 0, 0, 2]),
            (libc::IPPROTO_IP, libc::IP_TOS, vec![0x10]),
            (libc::IPPROTO_IP, libc::IP_TTL, 64i32.to_ne_bytes().to_vec()),
            (
                libc::IPPROTO_IPV6,
                libc::IPV6_PKTINFO,
                [[0; 15].as_slice(), &[1], &1u32.to_ne_bytes()].concat(),
            ),
            (libc::IPPROTO_IPV6, libc::IPV6_TCLASS, 4i32.to_ne_bytes().to_vec()),
            (libc::IPPROTO_IPV6, libc::IPV6_HOPLIMIT, 1i32.to_ne_bytes().to_vec()),
            (libc::SOL_UDP, libc::UDP_GRO, 1200i32.to_ne_bytes().to_vec()),
        ];
        for (level, kind, data) in cases {
            let msg = one(level, kind, &data);
            assert!(
                !matches!(msg, ControlMessage::Unknown { .. }),
                "{level}/{kind} stayed Unknown"
            );
            assert_eq!(msg.to_raw(), (level, kind, data));
        }
    }

    #[test]
    fn wrong_sized_known_kinds_stay_unknown_with_their_bytes() {
        let msg = one(libc::SOL_SOCKET, libc::SCM_CREDENTIALS, &[1, 2, 3]);
        assert!(
            matches!(&msg, ControlMessage::Unknown { level: libc::SOL_SOCKET, kind: libc::SCM_CREDENTIALS, data } if data == &[1, 2, 3])
        );
        let msg = one(libc::IPPROTO_IP, libc::IP_TOS, &[1, 2]);
        assert!(matches!(msg, ControlMessage::Unknown { .. }));
    }

    #[test]
    fn truncated_known_kinds_stay_unknown() {
        let mut buf = Vec::new();
        push_cmsg(&mut buf, libc::IPPROTO_IPV6, libc::IPV6_PKTINFO, &[7; 20]);
        let cut = &buf[..buf.len() - 12];
        let msgs = decode_all(cut, Vec::new());
        assert!(matches!(&msgs[..], [ControlMessage::Unknown { data, .. }] if data.len() == 12));
    }

    #[test]
    fn rights_take_their_share_of_the_adopted_fds() {
        let (a, b) = std::os::unix::net::UnixStream::pair().unwrap();
        let (c, _d) = std::os::unix::net::UnixStream::pair().unwrap();
        let raw: Vec<u8> =
            [a.as_raw_fd(), b.as_raw_fd()].iter().flat_map(|f| f.to_ne_bytes()).collect();
        let mut buf = Vec::new();
        push_cmsg(&mut buf, libc::SOL_SOCKET, libc::SCM_RIGHTS, &raw);
        push_cmsg(&mut buf, 99, 98, b"x");
        push_cmsg(&mut buf, libc::SOL_SOCKET, libc::SCM_RIGHTS, &c.as_raw_fd().to_ne_bytes());
        let owned: Vec<OwnedFd> = vec![a.into(), b.into(), c.into()];
        let want: Vec<_> = owned.iter().map(AsRawFd::as_raw_fd).collect();
        let msgs = decode_all(&buf, owned);
        match &msgs[..] {
            [ControlMessage::ScmRights(x), ControlMessage::Unknown { level: 99, .. }, ControlMessage::ScmRights(y)] =>
            {
                assert_eq!(x.iter().map(AsRawFd::as_raw_fd).collect::<Vec<_>>(), want[..2]);
                assert_eq!(y[0].as_raw_fd(), want[2]);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
