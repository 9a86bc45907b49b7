//! `try_recv_batch`: one `recvmmsg(2)` into many buffers, with each message's metadata.

use std::io::IoSliceMut;
use std::net::IpAddr;
use std::os::fd::BorrowedFd;

use super::{BatchState, Ecn, RecvMeta};
use crate::ancillary::{decode_fixed, ControlMessage};
use crate::sys::mmsg::{self, Received};
use crate::sys::msg::CmsgIter;
use asock_core::{Error, Result};

/// The smallest receive buffer [`try_recv_batch`] takes while GRO is on: a coalesced message
/// is at most one UDP datagram's length field's worth, 65,535 bytes, and a smaller buffer
/// would silently drop its end (and with it whole datagrams).
pub const GRO_BUFFER_MIN: usize = 65_535;

/// Receives as many datagrams as are queued, up to one per buffer (and at most 64), with one
/// `recvmmsg(2)`, and returns how many messages arrived: `bufs[i]` and `metas[i]` for each
/// `i` below it. On a non-blocking socket it never waits; on a blocking one it waits for the
/// first datagram only (`MSG_WAITFORONE`).
///
/// With GRO on, one message may be several datagrams: [`RecvMeta::segments`] cuts them
/// apart. A datagram longer than its buffer is cut short and flagged
/// ([`RecvMeta::truncated`]), as `recv` would; while GRO is on every buffer must be at least
/// [`GRO_BUFFER_MIN`] bytes, so that coalescing never cuts.
///
/// ```
/// use std::io::IoSliceMut;
/// use std::net::UdpSocket;
/// use std::os::fd::AsFd;
/// use asock::batch::{try_recv_batch, BatchState, RecvMeta};
///
/// let receiver = UdpSocket::bind("127.0.0.1:0")?;
/// let sender = UdpSocket::bind("127.0.0.1:0")?;
/// sender.send_to(b"one", receiver.local_addr()?)?;
/// sender.send_to(b"two!", receiver.local_addr()?)?;
///
/// let state = BatchState::new(receiver.as_fd())?;
/// let mut storage = [[0u8; 1500]; 8];
/// let mut bufs: Vec<IoSliceMut<'_>> = storage.iter_mut().map(|b| IoSliceMut::new(b)).collect();
/// let mut metas = [RecvMeta::default(); 8];
/// let mut got = 0;
/// while got < 2 {
///     got += try_recv_batch(receiver.as_fd(), &state, &mut bufs[got..], &mut metas[got..])?;
/// }
/// assert_eq!((metas[0].len, metas[1].len), (3, 4));
/// assert_eq!(metas[1].source, Some(sender.local_addr()?));
/// assert_eq!(&bufs[1][..4], b"two!");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// Only when nothing was received:
/// - `InvalidInput` if GRO is on and a buffer (of the first 64) is shorter than
///   [`GRO_BUFFER_MIN`];
/// - `EAGAIN` (`is_would_block()`) when nothing is queued on a non-blocking socket;
/// - a pending socket error, such as `ECONNREFUSED` for an ICMP error on a connected socket.
///
/// With no buffer or no `RecvMeta`, it returns `Ok(0)` at once.
pub fn try_recv_batch(
    fd: BorrowedFd<'_>,
    state: &BatchState,
    bufs: &mut [IoSliceMut<'_>],
    metas: &mut [RecvMeta],
) -> Result<usize> {
    let count = bufs.len().min(metas.len()).min(mmsg::MAX_BATCH);
    if count == 0 {
        return Ok(0);
    }
    let bufs = &mut bufs[..count];
    if state.gro() {
        if let Some(short) = bufs.iter().map(|b| b.len()).find(|&len| len < GRO_BUFFER_MIN) {
            return Err(Error::invalid_input(format!(
                "a receive buffer of {short} bytes is too small while UDP GRO is on: a coalesced \
                 message can be {GRO_BUFFER_MIN} bytes; give every buffer at least that, or turn \
                 GRO off"
            )));
        }
    }
    mmsg::try_recv_mmsg(fd, bufs, 0, |i, received| metas[i] = meta_of(received))
}

/// Decodes what the kernel said about one message.
fn meta_of(r: Received<'_>) -> RecvMeta {
    let mut meta = RecvMeta {
        source: r.addr,
        len: r.len,
        segment_size: r.len,
        truncated: r.flags & libc::MSG_TRUNC != 0,
        control_truncated: r.flags & libc::MSG_CTRUNC != 0,
        ..RecvMeta::default()
    };
    for raw in CmsgIter::new(r.control) {
        match decode_fixed(&raw) {
            Some(ControlMessage::UdpGro(size)) if size > 0 => meta.segment_size = size as usize,
            Some(ControlMessage::IpTos(tos)) => meta.ecn = Ecn::from_bits(tos),
            Some(ControlMessage::Ipv6Tclass(tclass)) => meta.ecn = Ecn::from_bits(tclass as u8),
            Some(ControlMessage::IpPktinfo(p)) => {
                meta.destination = Some(IpAddr::V4(p.addr));
                meta.interface = Some(p.ifindex);
            }
            Some(ControlMessage::Ipv6Pktinfo(p)) => {
                meta.destination = Some(IpAddr::V6(p.addr));
                meta.interface = Some(p.ifindex);
            }
            Some(ControlMessage::SoTimestamp(t) | ControlMessage::SoTimestampNs(t)) => {
                meta.timestamp = Some(t);
            }
            _ => {}
        }
    }
    meta
}
