//! The C structs control messages carry, as Rust values, with their byte layouts.
//!
//! Each is read and written at the offsets its C header gives (`offset_of!` on libc's
//! definition), native-endian except addresses, which the kernel keeps in network order.

use std::mem::{offset_of, size_of};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::{Duration, SystemTime};

use crate::sys::msg::current_credentials;

/// `struct ucred` (unix(7)): the process credentials of an `SCM_CREDENTIALS` message.
///
/// Sending them needs `SO_PASSCRED` on neither end, but receiving them needs it on the
/// receiver. An unprivileged sender may only claim its own pid, uid and gid (any of its real,
/// effective or saved ids); the kernel refuses anything else with `EPERM`. If the sender
/// attaches none, a receiver with `SO_PASSCRED` still gets the sender's credentials.
///
/// ```
/// use asock::ancillary::Credentials;
///
/// let me = Credentials::current();
/// assert_eq!(me.pid, std::process::id() as i32);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Credentials {
    /// The process id.
    pub pid: i32,
    /// The user id.
    pub uid: u32,
    /// The group id.
    pub gid: u32,
}

impl Credentials {
    /// The calling process's pid, real uid and real gid.
    #[must_use]
    pub fn current() -> Self {
        let (pid, uid, gid) = current_credentials();
        Credentials { pid, uid, gid }
    }

    pub(crate) fn to_bytes(self) -> Vec<u8> {
        let mut b = vec![0; size_of::<libc::ucred>()];
        put(&mut b, offset_of!(libc::ucred, pid), &self.pid.to_ne_bytes());
        put(&mut b, offset_of!(libc::ucred, uid), &self.uid.to_ne_bytes());
        put(&mut b, offset_of!(libc::ucred, gid), &self.gid.to_ne_bytes());
        b
    }

    pub(crate) fn from_bytes(b: &[u8]) -> Option<Self> {
        exact(b, size_of::<libc::ucred>())?;
        Some(Credentials {
            pid: i32::from_ne_bytes(get(b, offset_of!(libc::ucred, pid))?),
            uid: u32::from_ne_bytes(get(b, offset_of!(libc::ucred, uid))?),
            gid: u32::from_ne_bytes(get(b, offset_of!(libc::ucred, gid))?),
        })
    }
}

/// `struct in_pktinfo` (ip(7)): an IPv4 datagram's interface and addresses.
///
/// Received (after `IP_PKTINFO` is enabled on the socket), `ifindex` is the interface the
/// datagram arrived on, `addr` its destination address from the IP header and `spec_dst` the
/// local address the kernel would reply from. Sent, a non-zero `ifindex` picks the outgoing
/// interface, a non-zero `spec_dst` the source address, and `addr` is ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IpPktinfo {
    /// The interface index (`ipi_ifindex`; 0 for any when sending).
    pub ifindex: u32,
    /// The local address (`ipi_spec_dst`).
    pub spec_dst: Ipv4Addr,
    /// The header's destination address (`ipi_addr`).
    pub addr: Ipv4Addr,
}

impl IpPktinfo {
    pub(crate) fn to_bytes(self) -> Vec<u8> {
        let mut b = vec![0; size_of::<libc::in_pktinfo>()];
        put(
            &mut b,
            offset_of!(libc::in_pktinfo, ipi_ifindex),
            &(self.ifindex as i32).to_ne_bytes(),
        );
        put(&mut b, offset_of!(libc::in_pktinfo, ipi_spec_dst), &self.spec_dst.octets());
        put(&mut b, offset_of!(libc::in_pktinfo, ipi_addr), &self.addr.octets());
        b
    }

    pub(crate) fn from_bytes(b: &[u8]) -> Option<Self> {
        exact(b, size_of::<libc::in_pktinfo>())?;
        Some(IpPktinfo {
            ifindex: i32::from_ne_bytes(get(b, offset_of!(libc::in_pktinfo, ipi_ifindex))?) as u32,
            spec_dst: Ipv4Addr::from(get::<4>(b, offset_of!(libc::in_pktinfo, ipi_spec_dst))?),
            addr: Ipv4Addr::from(get::<4>(b, offset_of!(libc::in_pktinfo, ipi_addr))?),
        })
    }
}

/// `struct in6_pktinfo` (ipv6(7), RFC 3542): an IPv6 datagram's interface and address.
///
/// Received (after `IPV6_RECVPKTINFO` is enabled), `addr` is the datagram's destination and
/// `ifindex` the interface it arrived on. Sent, a non-zero `ifindex` picks the outgoing
/// interface and a non-unspecified `addr` the source address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ipv6Pktinfo {
    /// The address (`ipi6_addr`).
    pub addr: Ipv6Addr,
    /// The interface index (`ipi6_ifindex`; 0 for any when sending).
    pub ifindex: u32,
}

impl Ipv6Pktinfo {
    pub(crate) fn to_bytes(self) -> Vec<u8> {
        let mut b = vec![0; size_of::<libc::in6_pktinfo>()];
        put(&mut b, offset_of!(libc::in6_pktinfo, ipi6_addr), &self.addr.octets());
        put(&mut b, offset_of!(libc::in6_pktinfo, ipi6_ifindex), &self.ifindex.to_ne_bytes());
        b
    }

    pub(crate) fn from_bytes(b: &[u8]) -> Option<Self> {
        exact(b, size_of::<libc::in6_pktinfo>())?;
        Some(Ipv6Pktinfo {
            addr: Ipv6Addr::from(get::<16>(b, offset_of!(libc::in6_pktinfo, ipi6_addr))?),
            ifindex: u32::from_ne_bytes(get(b, offset_of!(libc::in6_pktinfo, ipi6_ifindex))?),
        })
    }
}

/// A `struct timeval` (`per_sub_second` = 1_000_000) or `struct timespec` (1_000_000_000) as
/// a wall-clock time; `None` for a wrong size, a sub-second field out of range or a time
/// `SystemTime` cannot hold.
pub(crate) fn time_from_bytes(b: &[u8], per_sub_second: i64) -> Option<SystemTime> {
    // Both structs are two native `long`-sized fields on Linux (time_t and suseconds_t /
    // long): seconds, then the sub-second part.
    const W: usize = size_of::<libc::time_t>();
    exact(b, 2 * W)?;
    let secs = read_long(b, 0)?;
    let sub = read_long(b, W)?;
    if !(0..per_sub_second).contains(&sub) {
        return None;
    }
    let sub = Duration::from_nanos((sub * (1_000_000_000 / per_sub_second)) as u64);
    if secs >= 0 {
        SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs as u64) + sub)
    } else {
        SystemTime::UNIX_EPOCH
            .checked_sub(Duration::from_secs(secs.unsigned_abs()))?
            .checked_add(sub)
    }
}

/// `time_t`-wide native integer at `at` (8 bytes on 64-bit Linux, 4 on 32-bit).
fn read_long(b: &[u8], at: usize) -> Option<i64> {
    match size_of::<libc::time_t>() {
        8 => get::<8>(b, at).map(i64::from_ne_bytes),
        _ => get::<4>(b, at).map(|v| i64::from(i32::from_ne_bytes(v))),
    }
}

/// A native `int` payload (`IP_TTL`, `IPV6_TCLASS`, `IPV6_HOPLIMIT`).
pub(crate) fn int_from_bytes(b: &[u8]) -> Option<i32> {
    exact(b, 4)?;
    get(b, 0).map(i32::from_ne_bytes)
}

fn exact(b: &[u8], len: usize) -> Option<()> {
    (b.len() == len).then_some(())
}

fn get<const N: usize>(b: &[u8], at: usize) -> Option<[u8; N]> {
    b.get(at..at.checked_add(N)?)?.try_into().ok()
}

fn put(b: &mut [u8], at: usize, bytes: &[u8]) {
    b[at..at + bytes.len()].copy_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structs_round_trip_through_their_bytes() {
        let c = Credentials { pid: 7, uid: 1000, gid: 100 };
        assert_eq!(Credentials::from_bytes(&c.to_bytes()), Some(c));
        let p =
            IpPktinfo { ifindex: 3, spec_dst: [10, 0, 0, 1].into(), addr: [224, 0, 0, 1].into() };
        assert_eq!(IpPktinfo::from_bytes(&p.to_bytes()), Some(p));
        let p6 = Ipv6Pktinfo { addr: Ipv6Addr::LOCALHOST, ifindex: 1 };
        assert_eq!(Ipv6Pktinfo::from_bytes(&p6.to_bytes()), Some(p6));
    }

    #[test]
    fn addresses_are_in_network_order() {
        let p = IpPktinfo { ifindex: 1, spec_dst: [1, 2, 3, 4].into(), addr: [5, 6, 7, 8].into() };
        assert_eq!(&p.to_bytes()[4..], &[1, 2, 3, 4, 5, 6, 7, 8]);
    }

    #[test]
    fn wrong_sizes_are_rejected() {
        assert_eq!(Credentials::from_bytes(&[0; 11]), None);
        assert_eq!(Credentials::from_bytes(&[0; 13]), None);
        assert_eq!(IpPktinfo::from_bytes(&[]), None);
        assert_eq!(Ipv6Pktinfo::from_bytes(&[0; 19]), None);
        assert_eq!(int_from_bytes(&[0; 3]), None);
        assert_eq!(time_from_bytes(&[0; 15], 1_000_000), None);
    }

    #[test]
    fn times_decode_and_reject_bad_sub_seconds() {
        let tv = |s: i64, u: i64| [s.to_ne_bytes(), u.to_ne_bytes()].concat();
        let t = time_from_bytes(&tv(1_700_000_000, 250_000), 1_000_000).unwrap();
        assert_eq!(
            t.duration_since(SystemTime::UNIX_EPOCH).unwrap(),
            Duration::new(1_700_000_000, 250_000_000)
        );
        let t = time_from_bytes(&tv(5, 7), 1_000_000_000).unwrap();
        assert_eq!(t.duration_since(SystemTime::UNIX_EPOCH).unwrap(), Duration::new(5, 7));
        assert_eq!(time_from_bytes(&tv(5, 1_000_000), 1_000_000), None);
        assert_eq!(time_from_bytes(&tv(5, -1), 1_000_000), None);
        assert!(time_from_bytes(&tv(-1, 500_000), 1_000_000).is_some());
    }
}
