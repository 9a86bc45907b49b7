//! What this kernel can batch: GSO's segment limit and GRO, found out once per process.

use std::io::IoSlice;
use std::os::fd::{AsFd, BorrowedFd};
use std::sync::OnceLock;

use crate::ancillary::ControlBuf;
use crate::ops::{create, naming, Shape};
use crate::sys::{msg, options};
use asock_core::{AddressFamily, Protocol, Result, SockAddr, SocketKind};

/// The most segments asock will look for: well past any kernel so far (64 until Linux 6.12,
/// 128 since), small enough that probing stays a handful of tiny datagrams.
const PROBE_LIMIT: usize = 1024;

/// The segment limit every kernel with GSO has had (`UDP_MAX_SEGMENTS` was 64 from Linux
/// 4.18, where GSO arrived, until 6.12), assumed only when no probe can be made.
const FLOOR_SEGMENTS: usize = 64;

/// What the running kernel offers for batched UDP.
///
/// ```
/// let caps = asock::batch::capabilities();
/// assert!(caps.max_gso_segments >= 1);
/// println!("GSO: up to {} segments per send; GRO: {}", caps.max_gso_segments, caps.gro);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// The most datagrams one GSO send may carry (`UDP_MAX_SEGMENTS`, 64 or 128 depending on
    /// the kernel); 1 when the kernel has no UDP GSO.
    pub max_gso_segments: usize,
    /// Whether the kernel knows the `UDP_GRO` socket option (Linux 5.0 and later).
    pub gro: bool,
}

/// The running kernel's [`Capabilities`], found out on the first call and remembered.
///
/// GSO's limit is a kernel constant it does not publish, so it is measured: over IPv4 (or
/// IPv6) loopback, one socket sends another GSO trains of 1-byte segments, and the longest
/// train the kernel accepts (a longer one is `EINVAL`) is the limit. That is at most a dozen
/// tiny sends, between two sockets of this process that are closed at once. Where no
/// loopback address works, a kernel that knows `UDP_SEGMENT` is assumed to take 64 segments,
/// the smallest limit any kernel has had.
#[must_use]
pub fn capabilities() -> Capabilities {
    static DETECTED: OnceLock<Capabilities> = OnceLock::new();
    *DETECTED.get_or_init(detect)
}

fn detect() -> Capabilities {
    for (family, host) in
        [(AddressFamily::AF_INET, "127.0.0.1:0"), (AddressFamily::AF_INET6, "[::1]:0")]
    {
        if let Ok(caps) = probe(family, host) {
            return caps;
        }
    }
    let Ok(fd) = create::socket(
        Shape::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, Protocol::IPPROTO_UDP),
        false,
    ) else {
        return Capabilities { max_gso_segments: 1, gro: false };
    };
    let gso = knows_gso(fd.as_fd());
    let gro = options::set_option_int(fd.as_fd(), libc::SOL_UDP, libc::UDP_GRO, 0).is_ok();
    Capabilities { max_gso_segments: if gso { FLOOR_SEGMENTS } else { 1 }, gro }
}

/// Whether the kernel knows `UDP_SEGMENT` (getsockopt answers with the socket's default
/// segment size, 0, instead of `ENOPROTOOPT`).
fn knows_gso(fd: BorrowedFd<'_>) -> bool {
    options::get_option_int(fd, libc::SOL_UDP, libc::UDP_SEGMENT).is_ok()
}

/// Measures GSO's limit between two fresh sockets of `family` bound to `host`.
fn probe(family: AddressFamily, host: &str) -> Result<Capabilities> {
    let any: SockAddr = host.parse()?;
    let sender =
        create::socket(Shape::new(family, SocketKind::SOCK_DGRAM, Protocol::IPPROTO_UDP), false)?;
    let receiver =
        create::socket(Shape::new(family, SocketKind::SOCK_DGRAM, Protocol::IPPROTO_UDP), false)?;
    naming::bind(
        receiver.as_fd(),
        Shape::new(family, SocketKind::SOCK_DGRAM, Protocol::IPPROTO_UDP),
        &any,
    )?;
    let to = naming::local_addr(receiver.as_fd())?;
    // With GRO the receiver keeps each accepted train as one message instead of a thousand.
    let gro = options::set_option_int(receiver.as_fd(), libc::SOL_UDP, libc::UDP_GRO, 1).is_ok();
    if !knows_gso(sender.as_fd()) {
        return Ok(Capabilities { max_gso_segments: 1, gro });
    }
    // A probe never waits: a full send buffer is an error like any other.
    create::set_nonblocking(&sender, true)?;
    let mut control = ControlBuf::new();
    control.udp_segment(1)?;
    let data = [0u8; PROBE_LIMIT];
    // Whether the kernel takes a train of `segments` 1-byte datagrams; a train past
    // UDP_MAX_SEGMENTS is EINVAL, anything else unexpected ends the probe.
    let accepts = |segments: usize| -> Result<bool> {
        let bufs = [IoSlice::new(&data[..segments])];
        match msg::try_send_msg(sender.as_fd(), &bufs, control.as_bytes(), 0, Some(&to)) {
            Ok(_) => Ok(true),
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => Ok(false),
            Err(e) => Err(e),
        }
    };
    if !accepts(2)? {
        return Ok(Capabilities { max_gso_segments: 1, gro });
    }
    if accepts(PROBE_LIMIT)? {
        return Ok(Capabilities { max_gso_segments: PROBE_LIMIT, gro });
    }
    // `lo` is accepted, `hi` refused.
    let (mut lo, mut hi) = (2, PROBE_LIMIT);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if accepts(mid)? {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(Capabilities { max_gso_segments: lo, gro })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_is_remembered_and_sane() {
        let caps = capabilities();
        assert_eq!(capabilities(), caps);
        assert!((1..=PROBE_LIMIT).contains(&caps.max_gso_segments), "{caps:?}");
    }
}
