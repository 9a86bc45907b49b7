//! `Transmit`: one entry of a batch to send, and what is left of a batch after a short send.

use std::net::{IpAddr, SocketAddr};

use super::Ecn;

/// One entry of a batch to send: a datagram, or with a [`segment_size`](Transmit::segment_size)
/// a train of equal-sized datagrams to the same destination that the kernel cuts apart (UDP
/// generic segmentation offload, GSO).
///
/// ```
/// use asock::batch::{Ecn, Transmit};
///
/// let peer = "127.0.0.1:4433".parse()?;
/// let packets = [0u8; 3000];
/// let t = Transmit::to(peer, &packets).with_segment_size(1200).with_ecn(Ecn::Ect0);
/// assert_eq!(t.datagrams(), 3); // 1200 + 1200 + 600 bytes
/// assert_eq!(Transmit::connected(b"hello").datagrams(), 1);
/// # Ok::<(), std::net::AddrParseError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transmit<'a> {
    /// Where to: `None` on a connected socket (`send`), `Some` otherwise (`sendto`). An IPv4
    /// address on an IPv6 socket is sent to its v4-mapped form.
    pub destination: Option<SocketAddr>,
    /// The bytes: one datagram, or the datagrams of a train back to back.
    pub contents: &'a [u8],
    /// With `Some(size)`, `contents` is sent as datagrams of `size` bytes each, the last one
    /// possibly shorter: by one GSO send where the kernel can (`UDP_SEGMENT`), else one
    /// datagram at a time. `None`, or a size of at least `contents.len()`, is one datagram.
    pub segment_size: Option<usize>,
    /// The ECN codepoint to mark every datagram with (`IP_TOS` / `IPV6_TCLASS` control
    /// message); `None` leaves the socket's own setting.
    pub ecn: Option<Ecn>,
    /// The source address to send from (`IP_PKTINFO` / `IPV6_PKTINFO`): one of the host's
    /// addresses, for a socket bound to a wildcard address; `None` lets the kernel choose.
    pub source: Option<IpAddr>,
}

impl<'a> Transmit<'a> {
    /// One datagram to `destination`.
    #[must_use]
    pub fn to(destination: SocketAddr, contents: &'a [u8]) -> Self {
        Transmit {
            destination: Some(destination),
            contents,
            segment_size: None,
            ecn: None,
            source: None,
        }
    }

    /// One datagram to the connected peer.
    #[must_use]
    pub fn connected(contents: &'a [u8]) -> Self {
        Transmit { destination: None, contents, segment_size: None, ecn: None, source: None }
    }

    /// The same, sent as datagrams of `size` bytes (see [`Transmit::segment_size`]).
    #[must_use]
    pub fn with_segment_size(self, size: usize) -> Self {
        Transmit { segment_size: Some(size), ..self }
    }

    /// The same, marked with `ecn`.
    #[must_use]
    pub fn with_ecn(self, ecn: Ecn) -> Self {
        Transmit { ecn: Some(ecn), ..self }
    }

    /// The same, sent from `source`.
    #[must_use]
    pub fn with_source(self, source: IpAddr) -> Self {
        Transmit { source: Some(source), ..self }
    }

    /// How many datagrams this entry is on the wire: `contents` cut into `segment_size`
    /// pieces, or 1 (an empty datagram too). A `segment_size` of 0 is invalid (sending
    /// refuses it); it counts as 1 here.
    #[must_use]
    pub fn datagrams(&self) -> usize {
        match self.segment_size {
            Some(size) if size > 0 && self.contents.len() > size => {
                self.contents.len().div_ceil(size)
            }
            _ => 1,
        }
    }

    /// The size of each datagram when this entry is more than one, else `None`.
    pub(crate) fn train_segment(&self) -> Option<usize> {
        self.segment_size.filter(|&s| s > 0 && self.contents.len() > s)
    }

    /// This entry without its first `skip` datagrams (`skip` < [`datagrams`](Self::datagrams)).
    fn skip(self, skip: usize) -> Self {
        match self.train_segment() {
            Some(size) => Transmit { contents: &self.contents[skip * size..], ..self },
            None => self,
        }
    }
}

/// What is left of a batch after [`try_send_batch`](super::try_send_batch) reported `sent`
/// datagrams: the rest of a train cut short (only possible when a train went as several
/// messages, see [`try_send_batch`](super::try_send_batch)), then the entries not touched.
///
/// ```
/// use asock::batch::{unsent, Transmit};
///
/// let data = [7u8; 500];
/// let batch = [
///     Transmit::connected(b"a"),
///     Transmit::connected(&data).with_segment_size(100), // 5 datagrams
///     Transmit::connected(b"z"),
/// ];
/// let left = unsent(&batch, 3); // "a" and two of the five went
/// assert_eq!(left.partial.map(|t| t.contents.len()), Some(300));
/// assert_eq!(left.rest, &batch[2..]);
/// assert!(unsent(&batch, 7).is_empty());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsent<'t, 'a> {
    /// The unsent end of an entry whose first datagrams went.
    pub partial: Option<Transmit<'a>>,
    /// The entries after it, none of whose datagrams went.
    pub rest: &'t [Transmit<'a>],
}

impl Unsent<'_, '_> {
    /// Whether everything was sent.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.partial.is_none() && self.rest.is_empty()
    }
}

/// Splits `batch` after its first `sent` datagrams (counted as
/// [`Transmit::datagrams`] counts them); see [`Unsent`].
#[must_use]
pub fn unsent<'t, 'a>(batch: &'t [Transmit<'a>], mut sent: usize) -> Unsent<'t, 'a> {
    for (i, t) in batch.iter().enumerate() {
        let n = t.datagrams();
        if sent < n {
            return match sent {
                0 => Unsent { partial: None, rest: &batch[i..] },
                k => Unsent { partial: Some(t.skip(k)), rest: &batch[i + 1..] },
            };
        }
        sent -= n;
    }
    Unsent { partial: None, rest: &[] }
}
