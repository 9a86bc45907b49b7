//! `RecvMeta`: what the kernel said about one received message.

use std::net::{IpAddr, SocketAddr};
use std::time::SystemTime;

use super::Ecn;

/// What one message of [`try_recv_batch`](super::try_recv_batch) was: its sender, length and
/// flags, and the per-datagram control messages the socket asked for.
///
/// With GRO on ([`BatchState::set_gro`](super::BatchState::set_gro)), one message can be
/// several datagrams of one sender that the kernel coalesced: [`segments`](Self::segments)
/// cuts them apart again.
///
/// ```
/// use asock::batch::RecvMeta;
///
/// // Three datagrams of 4, 4 and 2 bytes, coalesced.
/// let meta = RecvMeta { len: 10, segment_size: 4, ..RecvMeta::default() };
/// let buf = *b"aaaabbbbcc";
/// let got: Vec<&[u8]> = meta.segments(&buf).collect();
/// assert_eq!(got, [&b"aaaa"[..], b"bbbb", b"cc"]);
/// assert_eq!(meta.datagrams(), 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RecvMeta {
    /// The sender (an IPv4 sender on a dual-stack IPv6 socket in its v4-mapped form, as the
    /// kernel reports it); `None` if the kernel named no IP address.
    pub source: Option<SocketAddr>,
    /// Bytes written into the message's buffer.
    pub len: usize,
    /// The size of each datagram in the buffer: `len` for a single datagram; for a
    /// GRO-coalesced message the segment size (`UDP_GRO`), every datagram that long except
    /// the last, which may be shorter.
    pub segment_size: usize,
    /// `MSG_TRUNC`: the datagram was longer than the buffer and its end is lost. With GRO on
    /// a buffer of at least [`GRO_BUFFER_MIN`](super::GRO_BUFFER_MIN) bytes is required, so
    /// that a coalesced message is never cut.
    pub truncated: bool,
    /// `MSG_CTRUNC`: control messages were dropped for want of room (more were enabled on
    /// the socket than asock decodes).
    pub control_truncated: bool,
    /// The ECN codepoint (needs `IP_RECVTOS` / `IPV6_RECVTCLASS` on the socket).
    pub ecn: Option<Ecn>,
    /// The address the datagram was sent to (needs `IP_PKTINFO` / `IPV6_RECVPKTINFO`):
    /// which of the host's addresses, for a socket bound to a wildcard address.
    pub destination: Option<IpAddr>,
    /// The index of the interface it arrived on (with the destination).
    pub interface: Option<u32>,
    /// When the kernel received it (needs `SO_TIMESTAMP` or `SO_TIMESTAMPNS`).
    pub timestamp: Option<SystemTime>,
}

impl RecvMeta {
    /// How many datagrams the message holds: 1, or more when GRO coalesced them.
    #[must_use]
    pub fn datagrams(&self) -> usize {
        if self.segment_size == 0 || self.len <= self.segment_size {
            1
        } else {
            self.len.div_ceil(self.segment_size)
        }
    }

    /// The datagrams of the message, cut out of `buf` (the buffer it was received into):
    /// `buf[..len]` in pieces of `segment_size` bytes. An empty datagram is one empty piece.
    pub fn segments<'b>(&self, buf: &'b [u8]) -> impl Iterator<Item = &'b [u8]> + 'b {
        let data = &buf[..self.len.min(buf.len())];
        let size = if self.segment_size == 0 { data.len().max(1) } else { self.segment_size };
        let empty = data.is_empty().then_some(data);
        data.chunks(size).chain(empty)
    }
}
