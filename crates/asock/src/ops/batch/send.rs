//! `try_send_batch`: one `sendmmsg(2)` of a batch of entries, GSO trains among them.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::os::fd::BorrowedFd;

use super::{BatchState, Transmit};
use crate::ancillary::{ControlBuf, IpPktinfo, Ipv6Pktinfo};
use crate::sys::mmsg::{self, SendEntry, MAX_BATCH};
use asock_core::{AddressFamily, Error, Result};

/// The most bytes one GSO send may carry to an IPv4 destination: an IPv4 datagram's 65,535
/// bytes less its 20-byte header and UDP's 8.
pub const IPV4_GSO_LIMIT: usize = 65_507;

/// The most bytes one GSO send may carry to an IPv6 destination: the 65,535 bytes of an IPv6
/// payload (the header is not counted) less UDP's 8.
pub const IPV6_GSO_LIMIT: usize = 65_527;

/// Sends as much of `batch` as one `sendmmsg(2)` takes, without waiting, and returns how many
/// datagrams went: the first ones, in order (count them with [`Transmit::datagrams`];
/// [`unsent`](super::unsent) gives what is left).
///
/// A train (an entry with a [`segment_size`](Transmit::segment_size)) goes as one GSO
/// message of up to [`BatchState::max_gso_segments`] datagrams, or as several if it is
/// longer, or one datagram per message once GSO is off. At most 64 messages go per call.
///
/// Each message goes whole or not at all. The kernel stops at the first message it cannot
/// send, so a short count is normal: a full send buffer (the rest would block), or an error
/// on a later message, which the kernel does not report when earlier messages went; the
/// next call, starting at that message, meets it.
///
/// The fallback: if the first message is a GSO train and the kernel refuses it with `EIO`
/// (see [`BatchState`]), GSO is turned off for the socket and the call sends the same entries
/// again, one datagram per message, before returning. Nothing was sent by the refused
/// message, so nothing is lost or sent twice.
///
/// ```
/// use std::net::UdpSocket;
/// use std::os::fd::AsFd;
/// use asock::batch::{try_send_batch, BatchState, Transmit};
///
/// let receiver = UdpSocket::bind("127.0.0.1:0")?;
/// let sender = UdpSocket::bind("127.0.0.1:0")?;
/// let to = receiver.local_addr()?;
/// let state = BatchState::new(sender.as_fd())?;
///
/// let train = [b'x'; 2500];
/// let batch = [Transmit::to(to, b"hello"), Transmit::to(to, &train).with_segment_size(1000)];
/// assert_eq!(try_send_batch(sender.as_fd(), &state, &batch)?, 4); // 1 + 3 datagrams
///
/// let mut buf = [0u8; 1500];
/// assert_eq!(receiver.recv(&mut buf)?, 5);
/// assert_eq!(receiver.recv(&mut buf)?, 1000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// Only when nothing was sent:
/// - `InvalidInput` if the first entry is invalid: a `segment_size` of 0; a train longer than
///   [`IPV4_GSO_LIMIT`] (to IPv4) or [`IPV6_GSO_LIMIT`] (to IPv6) bytes; an IPv6 `source` on
///   an IPv4 socket. A later invalid entry ends the batch before it, and is refused when it
///   comes first;
/// - `EAGAIN` (`is_would_block()`) when the send buffer is full and the socket non-blocking;
/// - whatever the kernel says about the first message: `EMSGSIZE` for a datagram too long,
///   `EINVAL` for a train longer than the kernel allows in one send, `ECONNREFUSED` for an
///   earlier datagram's ICMP error on a connected socket, `EDESTADDRREQ` without a
///   destination on an unconnected socket, ...
pub fn try_send_batch(
    fd: BorrowedFd<'_>,
    state: &BatchState,
    batch: &[Transmit<'_>],
) -> Result<usize> {
    loop {
        let plan = Plan::new(state, batch, state.max_gso_segments())?;
        match plan.send(fd, state) {
            Err(e) if e.raw_os_error() == Some(libc::EIO) && plan.starts_with_gso() => {
                // Nothing of the refused message went: send the same entries without GSO.
                state.gso_refused();
            }
            other => return other,
        }
    }
}

/// One message of the plan: where its data is and how many datagrams it carries.
#[derive(Debug, Clone, Copy)]
struct Message<'a> {
    addr: Option<SocketAddr>,
    data: &'a [u8],
    /// Its control messages: `control[start..end]` of the plan.
    control: (usize, usize),
    datagrams: usize,
    gso: bool,
}

/// The messages one `sendmmsg` will carry, with their control messages laid out in one
/// buffer.
#[derive(Debug)]
struct Plan<'a> {
    messages: Vec<Message<'a>>,
    control: ControlBuf<'static>,
}

impl<'a> Plan<'a> {
    /// Cuts `batch` into messages, trains into GSO messages of at most `max_segments`
    /// datagrams, until [`MAX_BATCH`] messages or the first invalid entry.
    fn new(state: &BatchState, batch: &[Transmit<'a>], max_segments: usize) -> Result<Self> {
        let room = batch.len().clamp(1, MAX_BATCH);
        let mut plan = Plan { messages: Vec::with_capacity(room), control: ControlBuf::new() };
        for t in batch {
            if let Err(e) = check(state, t) {
                if plan.messages.is_empty() {
                    return Err(e);
                }
                break;
            }
            let addr = t.destination.map(|d| on_socket(state.family(), d));
            match t.train_segment() {
                None => {
                    if !plan.push(state, t, addr, t.contents, 1, None)? {
                        break;
                    }
                }
                Some(size) => {
                    for chunk in t.contents.chunks(size.saturating_mul(max_segments.max(1))) {
                        let n = chunk.len().div_ceil(size);
                        let segment = (n > 1).then_some(size);
                        if !plan.push(state, t, addr, chunk, n, segment)? {
                            return Ok(plan);
                        }
                    }
                }
            }
            if plan.messages.len() == MAX_BATCH {
                break;
            }
        }
        Ok(plan)
    }

    /// Adds one message; `false` if the plan is full.
    fn push(
        &mut self,
        state: &BatchState,
        t: &Transmit<'_>,
        addr: Option<SocketAddr>,
        data: &'a [u8],
        datagrams: usize,
        segment: Option<usize>,
    ) -> Result<bool> {
        if self.messages.len() == MAX_BATCH {
            return Ok(false);
        }
        let start = self.control.len();
        append_control(&mut self.control, state.family(), t, segment)?;
        self.messages.push(Message {
            addr,
            data,
            control: (start, self.control.len()),
            datagrams,
            gso: segment.is_some(),
        });
        Ok(true)
    }

    fn starts_with_gso(&self) -> bool {
        self.messages.first().is_some_and(|m| m.gso)
    }

    /// One `sendmmsg`; returns the datagrams of the messages that went.
    fn send(&self, fd: BorrowedFd<'_>, state: &BatchState) -> Result<usize> {
        let mut messages = &self.messages[..];
        if state.refuses_gso() {
            // As a refusing route: the kernel sends the messages before the first GSO one,
            // and refuses that one with EIO when it comes first.
            match messages.iter().position(|m| m.gso) {
                Some(0) => return Err(Error::from_errno(libc::EIO)),
                Some(first) => messages = &messages[..first],
                None => {}
            }
        }
        let control = self.control.as_bytes();
        let entries = messages.iter().map(|m| SendEntry {
            addr: m.addr,
            data: m.data,
            control: &control[m.control.0..m.control.1],
        });
        let sent = mmsg::try_send_mmsg(fd, entries, 0)?;
        Ok(messages[..sent.min(messages.len())].iter().map(|m| m.datagrams).sum())
    }
}

/// Refuses what the kernel would refuse less clearly, or not at all.
fn check(state: &BatchState, t: &Transmit<'_>) -> Result<()> {
    if t.segment_size == Some(0) {
        return Err(Error::invalid_input("segment size must be at least 1 byte"));
    }
    if t.train_segment().is_some() {
        let v4 = match t.destination {
            Some(d) => d.is_ipv4() || is_v4_mapped(&d),
            None => state.family() == AddressFamily::AF_INET,
        };
        let (limit, ip) = if v4 { (IPV4_GSO_LIMIT, "IPv4") } else { (IPV6_GSO_LIMIT, "IPv6") };
        if t.contents.len() > limit {
            return Err(Error::invalid_input(format!(
                "a GSO send of {} bytes is over {ip}'s limit of {limit} bytes per send",
                t.contents.len()
            )));
        }
    }
    if matches!(t.source, Some(IpAddr::V6(_))) && state.family() == AddressFamily::AF_INET {
        return Err(Error::invalid_input("an IPv6 source address on an IPv4 socket"));
    }
    Ok(())
}

fn is_v4_mapped(d: &SocketAddr) -> bool {
    matches!(d, SocketAddr::V6(a) if a.ip().to_ipv4_mapped().is_some())
}

/// An IPv4 destination on an IPv6 socket goes to its v4-mapped form.
fn on_socket(family: AddressFamily, d: SocketAddr) -> SocketAddr {
    match d {
        SocketAddr::V4(a) if family == AddressFamily::AF_INET6 => {
            SocketAddr::new(IpAddr::V6(a.ip().to_ipv6_mapped()), a.port())
        }
        other => other,
    }
}

/// The control messages of one message: ECN, source address, GSO segment size.
fn append_control(
    control: &mut ControlBuf<'static>,
    family: AddressFamily,
    t: &Transmit<'_>,
    segment: Option<usize>,
) -> Result<()> {
    if let Some(ecn) = t.ecn {
        // The IPv4 path reads IP_TOS (on an IPv6 socket too, for a v4-mapped destination);
        // the IPv6 path reads IPV6_TCLASS.
        let v4 = match t.destination {
            Some(d) => d.is_ipv4() || is_v4_mapped(&d),
            None => family == AddressFamily::AF_INET,
        };
        if v4 {
            control.ip_tos(ecn.bits())?;
        } else {
            control.ipv6_tclass(i32::from(ecn.bits()))?;
        }
    }
    if let Some(source) = t.source {
        // An IPv6 socket takes IPV6_PKTINFO for both (v4-mapped for IPv4, ip(7)'s
        // ip_cmsg_send); an IPv4 socket only IP_PKTINFO.
        match (family == AddressFamily::AF_INET6, source) {
            (true, ip) => {
                let addr = match ip {
                    IpAddr::V4(v4) => v4.to_ipv6_mapped(),
                    IpAddr::V6(v6) => v6,
                };
                control.ipv6_pktinfo(Ipv6Pktinfo { addr, ifindex: 0 })?;
            }
            (false, IpAddr::V4(spec_dst)) => {
                control.ip_pktinfo(IpPktinfo {
                    ifindex: 0,
                    spec_dst,
                    addr: Ipv4Addr::UNSPECIFIED,
                })?;
            }
            (false, IpAddr::V6(_)) => {
                return Err(Error::invalid_input("an IPv6 source address on an IPv4 socket"))
            }
        }
    }
    if let Some(size) = segment {
        // A train is at most IPV6_GSO_LIMIT bytes, so its segments fit UDP_SEGMENT's u16.
        let size = u16::try_from(size)
            .map_err(|_| Error::invalid_input("segment size over 65,535 bytes"))?;
        control.udp_segment(size)?;
    }
    Ok(())
}
