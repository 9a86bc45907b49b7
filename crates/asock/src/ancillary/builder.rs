//! `ControlBuf`: the control messages to send, laid out as the kernel reads them.

use std::fmt;
use std::marker::PhantomData;
use std::os::fd::{AsRawFd, BorrowedFd};

use libc::c_int;

use super::{Credentials, IpPktinfo, Ipv6Pktinfo};
use crate::sys::msg::{push_cmsg, CmsgIter};
use asock_core::{Error, Result};

/// Control messages to send with [`send_msg`](crate::blocking::Socket::send_msg): a typed
/// builder over the byte buffer `sendmsg(2)` reads.
///
/// Each push appends one message (`CMSG_SPACE` bytes: header, data, padding). The lifetime
/// `'fd` ties the buffer to the fds of [`fds`](ControlBuf::fds), so none can be closed (and
/// its number reused) before the buffer is sent.
///
/// ```
/// use std::os::fd::AsFd;
/// use asock::ancillary::{cmsg_space, ControlBuf, Credentials};
///
/// let file = std::fs::File::open("/dev/null")?;
/// let mut control = ControlBuf::new();
/// control.fds(&[file.as_fd()])?.credentials(Credentials::current())?;
/// assert_eq!(control.len(), cmsg_space(4)? + cmsg_space(12)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Limits
///
/// Every push fails with an `InvalidInput` error once the buffer would pass `INT_MAX` bytes
/// (CPython's "too much ancillary data"). The kernel adds its own: at most 253 fds per
/// `SCM_RIGHTS` message (`SCM_MAX_FD`; more is `EINVAL`), and the whole buffer within
/// `net.core.optmem_max` (`ENOBUFS`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ControlBuf<'fd> {
    bytes: Vec<u8>,
    fds: PhantomData<BorrowedFd<'fd>>,
}

impl<'fd> ControlBuf<'fd> {
    /// An empty buffer: no control messages.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Python's form: one message per `(cmsg_level, cmsg_type, cmsg_data)`, as `sendmsg`'s
    /// `ancdata` argument takes them.
    ///
    /// ```
    /// use asock::ancillary::ControlBuf;
    ///
    /// let tclass = 4i32.to_ne_bytes();
    /// let control = ControlBuf::from_raw([(libc::IPPROTO_IPV6, libc::IPV6_TCLASS, &tclass[..])])?;
    /// assert_eq!(control.iter_raw().next(), Some((libc::IPPROTO_IPV6, libc::IPV6_TCLASS, &tclass[..])));
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidInput` if the messages pass `INT_MAX` bytes in all.
    pub fn from_raw<I, D>(messages: I) -> Result<Self>
    where
        I: IntoIterator<Item = (c_int, c_int, D)>,
        D: AsRef<[u8]>,
    {
        let mut control = Self::new();
        for (level, kind, data) in messages {
            control.raw(level, kind, data.as_ref())?;
        }
        Ok(control)
    }

    /// Appends a message of any level and type with `data` as its payload, unchecked.
    ///
    /// Sending `SCM_RIGHTS` this way passes whatever numbers `data` holds: the fds they name
    /// at the time of the send (or `EBADF`).
    ///
    /// # Errors
    ///
    /// `InvalidInput` if the buffer would pass `INT_MAX` bytes.
    pub fn raw(&mut self, level: c_int, kind: c_int, data: &[u8]) -> Result<&mut Self> {
        if push_cmsg(&mut self.bytes, level, kind, data) {
            Ok(self)
        } else {
            Err(Error::invalid_input("too much ancillary data"))
        }
    }

    /// Appends `SCM_RIGHTS` with `fds`: the receiver gets its own descriptions of the same
    /// open files. At most 253 per message (the kernel's `SCM_MAX_FD`).
    ///
    /// # Errors
    ///
    /// `InvalidInput` if the buffer would pass `INT_MAX` bytes.
    pub fn fds(&mut self, fds: &[BorrowedFd<'fd>]) -> Result<&mut Self> {
        let data: Vec<u8> = fds.iter().flat_map(|fd| fd.as_raw_fd().to_ne_bytes()).collect();
        self.raw(libc::SOL_SOCKET, libc::SCM_RIGHTS, &data)
    }

    /// Appends `SCM_CREDENTIALS` (UNIX sockets). Unprivileged, only the sender's own ids
    /// pass ([`Credentials::current`]); others fail the send with `EPERM`.
    ///
    /// # Errors
    ///
    /// `InvalidInput` if the buffer would pass `INT_MAX` bytes.
    pub fn credentials(&mut self, credentials: Credentials) -> Result<&mut Self> {
        self.raw(libc::SOL_SOCKET, libc::SCM_CREDENTIALS, &credentials.to_bytes())
    }

    /// Appends `IP_PKTINFO` (IPv4 datagrams): the outgoing interface and source address.
    ///
    /// # Errors
    ///
    /// `InvalidInput` if the buffer would pass `INT_MAX` bytes.
    pub fn ip_pktinfo(&mut self, info: IpPktinfo) -> Result<&mut Self> {
        self.raw(libc::IPPROTO_IP, libc::IP_PKTINFO, &info.to_bytes())
    }

    /// Appends `IPV6_PKTINFO` (IPv6 datagrams): the outgoing interface and source address.
    ///
    /// # Errors
    ///
    /// `InvalidInput` if the buffer would pass `INT_MAX` bytes.
    pub fn ipv6_pktinfo(&mut self, info: Ipv6Pktinfo) -> Result<&mut Self> {
        self.raw(libc::IPPROTO_IPV6, libc::IPV6_PKTINFO, &info.to_bytes())
    }

    /// Appends `IP_TOS` (IPv4 datagrams): the TOS byte of this one datagram.
    ///
    /// # Errors
    ///
    /// `InvalidInput` if the buffer would pass `INT_MAX` bytes.
    pub fn ip_tos(&mut self, tos: u8) -> Result<&mut Self> {
        self.raw(libc::IPPROTO_IP, libc::IP_TOS, &c_int::from(tos).to_ne_bytes())
    }

    /// Appends `IP_TTL` (IPv4 datagrams): the TTL of this one datagram (1..=255).
    ///
    /// # Errors
    ///
    /// `InvalidInput` if the buffer would pass `INT_MAX` bytes.
    pub fn ip_ttl(&mut self, ttl: i32) -> Result<&mut Self> {
        self.raw(libc::IPPROTO_IP, libc::IP_TTL, &ttl.to_ne_bytes())
    }

    /// Appends `IPV6_TCLASS` (IPv6): the traffic class of this one datagram (-1 for the
    /// socket's default, else 0..=255).
    ///
    /// # Errors
    ///
    /// `InvalidInput` if the buffer would pass `INT_MAX` bytes.
    pub fn ipv6_tclass(&mut self, tclass: i32) -> Result<&mut Self> {
        self.raw(libc::IPPROTO_IPV6, libc::IPV6_TCLASS, &tclass.to_ne_bytes())
    }

    /// Appends `IPV6_HOPLIMIT` (IPv6 datagrams): the hop limit of this one datagram (-1 for
    /// the socket's default, else 0..=255).
    ///
    /// # Errors
    ///
    /// `InvalidInput` if the buffer would pass `INT_MAX` bytes.
    pub fn ipv6_hop_limit(&mut self, hops: i32) -> Result<&mut Self> {
        self.raw(libc::IPPROTO_IPV6, libc::IPV6_HOPLIMIT, &hops.to_ne_bytes())
    }

    /// Appends `UDP_SEGMENT` (UDP generic segmentation offload): the kernel sends the
    /// datagram's data as a train of datagrams of `segment_size` bytes each, the last one
    /// possibly shorter. [`crate::batch`] does this for you, with the checks and the
    /// fallback it needs.
    ///
    /// ```
    /// use asock::ancillary::{cmsg_space, ControlBuf};
    ///
    /// let mut control = ControlBuf::new();
    /// control.udp_segment(1200)?;
    /// assert_eq!(control.len(), cmsg_space(2)?);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidInput` if the buffer would pass `INT_MAX` bytes.
    pub fn udp_segment(&mut self, segment_size: u16) -> Result<&mut Self> {
        self.raw(libc::SOL_UDP, libc::UDP_SEGMENT, &segment_size.to_ne_bytes())
    }

    /// The buffer as `sendmsg` reads it (`msg_control`).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Empties the buffer, keeping its allocation for the next batch of messages.
    pub fn clear(&mut self) {
        self.bytes.clear();
    }

    /// Its length in bytes (`msg_controllen`): the sum of each message's `CMSG_SPACE`.
    #[must_use]
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether no message has been pushed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The messages in Python's `(cmsg_level, cmsg_type, cmsg_data)` form.
    pub fn iter_raw(&self) -> impl Iterator<Item = (c_int, c_int, &[u8])> + '_ {
        CmsgIter::new(&self.bytes).map(|m| (m.level, m.kind, m.data))
    }
}

impl fmt::Debug for ControlBuf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter_raw()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ancillary::cmsg_space;

    #[test]
    fn each_push_adds_its_cmsg_space() {
        let mut c = ControlBuf::new();
        c.ip_tos(0x10).unwrap().ip_ttl(3).unwrap();
        c.ipv6_pktinfo(Ipv6Pktinfo { addr: std::net::Ipv6Addr::LOCALHOST, ifindex: 1 }).unwrap();
        assert_eq!(c.len(), 2 * cmsg_space(4).unwrap() + cmsg_space(20).unwrap());
        let kinds: Vec<_> = c.iter_raw().map(|(l, k, _)| (l, k)).collect();
        assert_eq!(
            kinds,
            [
                (libc::IPPROTO_IP, libc::IP_TOS),
                (libc::IPPROTO_IP, libc::IP_TTL),
                (libc::IPPROTO_IPV6, libc::IPV6_PKTINFO)
            ]
        );
    }

    #[test]
    fn from_raw_keeps_order_and_bytes() {
        let c = ControlBuf::from_raw(vec![(1, 2, vec![3u8; 5]), (4, 5, vec![])]).unwrap();
        let got: Vec<_> = c.iter_raw().map(|(l, k, d)| (l, k, d.to_vec())).collect();
        assert_eq!(got, vec![(1, 2, vec![3; 5]), (4, 5, vec![])]);
        assert!(ControlBuf::from_raw(Vec::<(c_int, c_int, Vec<u8>)>::new()).unwrap().is_empty());
    }
}
