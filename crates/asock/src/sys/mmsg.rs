//! `sendmmsg(2)` / `recvmmsg(2)`: many datagrams in one system call.
//!
//! One call moves up to [`MAX_BATCH`] messages, each with its own address, data and control
//! buffer. The kernel walks the messages in order and stops at the first that cannot go (a
//! full send buffer, an empty receive queue, an error): the call then reports how many went,
//! and an error only when none did (sendmmsg(2): "the error code is lost"; the next call,
//! starting at the message that failed, meets it again).
//!
//! The arrays the kernel reads and writes (`mmsghdr`, `iovec`, addresses, control space) live
//! on the stack of each call, so a batch costs no allocation. Received control messages are
//! handed to a closure while that storage is still alive.

use std::io::{IoSlice, IoSliceMut};
use std::mem::{size_of, MaybeUninit};
use std::net::{SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::fd::{AsRawFd, BorrowedFd};
use std::ptr;

use libc::c_int;

use super::msg::adopt_fds;
use super::syscall_retry;
use asock_core::Result;

/// The most messages one call takes (the kernel's own limit, `UIO_MAXIOV`, is 1024). A longer
/// batch is sent or received in part, which callers see as a short count.
pub(crate) const MAX_BATCH: usize = 64;

/// Control space per received message: room for every per-datagram message asock decodes
/// (`IP_PKTINFO`/`IPV6_PKTINFO`, `IP_TOS`/`IPV6_TCLASS`, `IP_TTL`/`IPV6_HOPLIMIT`,
/// `SCM_TIMESTAMP(NS)`, `UDP_GRO`) at once, with margin. More is cut (`MSG_CTRUNC`).
pub(crate) const RECV_CONTROL: usize = 256;

/// One datagram (or one GSO train of them) to send.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SendEntry<'a> {
    /// `None` on a connected socket.
    pub(crate) addr: Option<SocketAddr>,
    pub(crate) data: &'a [u8],
    /// Control messages, laid out as `sendmsg` reads them; empty for none.
    pub(crate) control: &'a [u8],
}

/// `sockaddr_in` or `sockaddr_in6`, whichever the address is; both start with the family.
#[repr(C)]
#[derive(Clone, Copy)]
union InetName {
    v4: libc::sockaddr_in,
    v6: libc::sockaddr_in6,
}

/// Encodes an IP socket address as the kernel reads it, with the length that counts.
fn encode(addr: &SocketAddr) -> (InetName, libc::socklen_t) {
    match addr {
        SocketAddr::V4(a) => {
            let v4 = libc::sockaddr_in {
                sin_family: libc::AF_INET as libc::sa_family_t,
                sin_port: a.port().to_be(),
                sin_addr: libc::in_addr { s_addr: u32::from_ne_bytes(a.ip().octets()) },
                sin_zero: [0; 8],
            };
            (InetName { v4 }, size_of::<libc::sockaddr_in>() as libc::socklen_t)
        }
        SocketAddr::V6(a) => {
            let v6 = libc::sockaddr_in6 {
                sin6_family: libc::AF_INET6 as libc::sa_family_t,
                sin6_port: a.port().to_be(),
                sin6_flowinfo: a.flowinfo().to_be(),
                sin6_addr: libc::in6_addr { s6_addr: a.ip().octets() },
                sin6_scope_id: a.scope_id(),
            };
            (InetName { v6 }, size_of::<libc::sockaddr_in6>() as libc::socklen_t)
        }
    }
}

/// Decodes the `sockaddr_in` / `sockaddr_in6` the kernel wrote; `None` for any other family
/// or a short address.
fn decode(name: &[u8]) -> Option<SocketAddr> {
    let family = c_int::from(u16::from_ne_bytes(name.get(..2)?.try_into().ok()?));
    let port = u16::from_be_bytes(name.get(2..4)?.try_into().ok()?);
    match family {
        libc::AF_INET => {
            let ip: [u8; 4] = name.get(4..8)?.try_into().ok()?;
            Some(SocketAddr::V4(SocketAddrV4::new(ip.into(), port)))
        }
        libc::AF_INET6 => {
            let flowinfo = u32::from_be_bytes(name.get(4..8)?.try_into().ok()?);
            let ip: [u8; 16] = name.get(8..24)?.try_into().ok()?;
            let scope = u32::from_ne_bytes(name.get(24..28)?.try_into().ok()?);
            Some(SocketAddr::V6(SocketAddrV6::new(ip.into(), port, flowinfo, scope)))
        }
        _ => None,
    }
}

fn empty_mmsghdr() -> libc::mmsghdr {
    // SAFETY: mmsghdr is plain old data (a msghdr of pointers and lengths, and an unsigned
    // length); all-zero is a valid value: no name, no data, no control.
    unsafe { std::mem::zeroed() }
}

/// One `sendmmsg(2)` of the first [`MAX_BATCH`] entries, `MSG_NOSIGNAL` added. Returns how
/// many entries the kernel sent, in order (each wholly: a datagram socket never sends part of
/// one); an error only if the first could not go.
pub(crate) fn try_send_mmsg<'a>(
    fd: BorrowedFd<'_>,
    entries: impl IntoIterator<Item = SendEntry<'a>>,
    flags: c_int,
) -> Result<usize> {
    // Only the slots of real entries are written: a small batch costs a small set-up.
    let mut names = [MaybeUninit::<InetName>::uninit(); MAX_BATCH];
    let mut iovs = [MaybeUninit::<IoSlice<'a>>::uninit(); MAX_BATCH];
    let mut hdrs = [MaybeUninit::<libc::mmsghdr>::uninit(); MAX_BATCH];
    let mut count = 0;
    for entry in entries.into_iter().take(MAX_BATCH) {
        let mut hdr = empty_mmsghdr();
        let m = &mut hdr.msg_hdr;
        if let Some(addr) = &entry.addr {
            let (name, len) = encode(addr);
            m.msg_name = ptr::from_mut(names[count].write(name)).cast();
            m.msg_namelen = len;
        }
        // IoSlice is guaranteed ABI-compatible with `struct iovec` on Unix.
        m.msg_iov = ptr::from_mut(iovs[count].write(IoSlice::new(entry.data))).cast();
        m.msg_iovlen = 1;
        if !entry.control.is_empty() {
            m.msg_control = entry.control.as_ptr().cast_mut().cast();
            m.msg_controllen = entry.control.len() as _;
        }
        hdrs[count].write(hdr);
        count += 1;
    }
    if count == 0 {
        return Ok(0);
    }
    // SAFETY: `hdrs[..count]` are initialised above and point only at their own `names` and
    // `iovs` slots (locals that outlive the call) and at the entries' data and control slices
    // (borrowed for 'a), each with its true length; sendmmsg reads through them and writes
    // only `msg_len` of each header.
    let sent = syscall_retry!(sendmmsg(
        fd.as_raw_fd(),
        hdrs.as_mut_ptr().cast::<libc::mmsghdr>(),
        count as libc::c_uint,
        flags | libc::MSG_NOSIGNAL
    ))?;
    Ok(sent as usize)
}

/// What the kernel reported for one received message.
#[derive(Debug)]
pub(crate) struct Received<'a> {
    /// Bytes written into the message's buffer.
    pub(crate) len: usize,
    /// `msg_flags` (`MSG_TRUNC`, `MSG_CTRUNC`), without the `MSG_CMSG_CLOEXEC` added here.
    pub(crate) flags: c_int,
    /// The sender, if it is an IP address (UDP always names one).
    pub(crate) addr: Option<SocketAddr>,
    /// The control messages the kernel wrote.
    pub(crate) control: &'a [u8],
}

/// One `recvmmsg(2)` into the first [`MAX_BATCH`] buffers, one message per buffer, with
/// [`RECV_CONTROL`] bytes of control space each, `MSG_CMSG_CLOEXEC | MSG_WAITFORONE` added:
/// on a blocking fd it waits for the first message only and takes whatever else is queued.
///
/// Calls `each(i, received)` for every message that arrived, in order, while its control
/// bytes are alive; returns how many arrived. Any fd an `SCM_RIGHTS` message carried (only
/// possible on a UNIX socket) is closed after `each` returns.
pub(crate) fn try_recv_mmsg(
    fd: BorrowedFd<'_>,
    bufs: &mut [IoSliceMut<'_>],
    flags: c_int,
    mut each: impl FnMut(usize, Received<'_>),
) -> Result<usize> {
    let count = bufs.len().min(MAX_BATCH);
    if count == 0 {
        return Ok(0);
    }
    let mut names = [MaybeUninit::<libc::sockaddr_storage>::uninit(); MAX_BATCH];
    let mut controls = [MaybeUninit::<[u8; RECV_CONTROL]>::uninit(); MAX_BATCH];
    let mut hdrs = [MaybeUninit::<libc::mmsghdr>::uninit(); MAX_BATCH];
    for (i, buf) in bufs.iter_mut().take(count).enumerate() {
        let mut hdr = empty_mmsghdr();
        let m = &mut hdr.msg_hdr;
        m.msg_name = names[i].as_mut_ptr().cast();
        m.msg_namelen = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        // IoSliceMut is guaranteed ABI-compatible with `struct iovec` on Unix.
        m.msg_iov = ptr::from_mut(buf).cast();
        m.msg_iovlen = 1;
        m.msg_control = controls[i].as_mut_ptr().cast();
        m.msg_controllen = RECV_CONTROL as _;
        hdrs[i].write(hdr);
    }
    let flags = flags | libc::MSG_CMSG_CLOEXEC | libc::MSG_WAITFORONE;
    // SAFETY: `hdrs[..count]` are initialised above; each points at its own name and control
    // slot (locals that outlive the call) with that slot's capacity, and at `bufs[i]` as its
    // one iovec, a live exclusive borrow whose length is its capacity; recvmmsg writes at
    // most those capacities. A null timeout means none.
    let received = syscall_retry!(recvmmsg(
        fd.as_raw_fd(),
        hdrs.as_mut_ptr().cast::<libc::mmsghdr>(),
        count as libc::c_uint,
        flags,
        ptr::null_mut()
    ))? as usize;

    for (i, slot) in hdrs[..received.min(count)].iter().enumerate() {
        // SAFETY: the first `count` headers were initialised before the call.
        let hdr = unsafe { slot.assume_init_ref() };
        let m = &hdr.msg_hdr;
        let name_len = (m.msg_namelen as usize).min(size_of::<libc::sockaddr_storage>());
        // SAFETY: the kernel initialised the first `msg_namelen` bytes of this name slot
        // (clamped to the slot's size) during the call that just returned.
        let name = unsafe { std::slice::from_raw_parts(names[i].as_ptr().cast::<u8>(), name_len) };
        let control_len = m.msg_controllen.min(RECV_CONTROL);
        // SAFETY: likewise the first `msg_controllen` bytes of this control slot.
        let control =
            unsafe { std::slice::from_raw_parts(controls[i].as_ptr().cast::<u8>(), control_len) };
        let fds = adopt_fds(control);
        let addr = decode(name);
        let flags = m.msg_flags & !libc::MSG_CMSG_CLOEXEC;
        each(i, Received { len: hdr.msg_len as usize, flags, addr, control });
        drop(fds);
    }
    Ok(received)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::UdpSocket;
    use std::os::fd::AsFd;

    fn pair() -> (UdpSocket, UdpSocket) {
        let a = UdpSocket::bind("127.0.0.1:0").unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").unwrap();
        (a, b)
    }

    #[test]
    fn three_datagrams_go_and_come_in_one_call_each() {
        let (a, b) = pair();
        let to = Some(b.local_addr().unwrap());
        let entries: Vec<_> = [&b"one"[..], b"two", b"three"]
            .iter()
            .map(|d| SendEntry { addr: to, data: d, control: &[] })
            .collect();
        assert_eq!(try_send_mmsg(a.as_fd(), entries, 0).unwrap(), 3);

        let mut storage = [[0u8; 16]; 4];
        let mut bufs: Vec<_> = storage.iter_mut().map(|b| IoSliceMut::new(b)).collect();
        let mut got = Vec::new();
        b.set_nonblocking(true).unwrap();
        let n =
            try_recv_mmsg(b.as_fd(), &mut bufs, 0, |i, r| got.push((i, r.len, r.addr))).unwrap();
        assert_eq!(n, 3);
        let from = Some(a.local_addr().unwrap());
        assert_eq!(got, vec![(0, 3, from), (1, 3, from), (2, 5, from)]);
        assert_eq!(&storage[2][..5], b"three");
    }

    #[test]
    fn an_empty_batch_makes_no_call() {
        let (a, _b) = pair();
        assert_eq!(try_send_mmsg(a.as_fd(), [], 0).unwrap(), 0);
        assert_eq!(try_recv_mmsg(a.as_fd(), &mut [], 0, |_, _| unreachable!()).unwrap(), 0);
    }

    #[test]
    fn nothing_queued_on_a_nonblocking_socket_would_block() {
        let (_a, b) = pair();
        b.set_nonblocking(true).unwrap();
        let mut buf = [0u8; 8];
        let mut bufs = [IoSliceMut::new(&mut buf)];
        let err = try_recv_mmsg(b.as_fd(), &mut bufs, 0, |_, _| ()).unwrap_err();
        assert!(err.is_would_block(), "{err}");
    }

    #[test]
    fn addresses_encode_and_decode_as_libc_lays_them_out() {
        for text in ["10.1.2.3:513", "[fe80::1%7]:513", "[::ffff:1.2.3.4]:9"] {
            let addr: SocketAddr = text.parse().unwrap();
            let (name, len) = encode(&addr);
            let want = match addr {
                SocketAddr::V4(_) => size_of::<libc::sockaddr_in>(),
                SocketAddr::V6(_) => size_of::<libc::sockaddr_in6>(),
            };
            assert_eq!(len as usize, want);
            // SAFETY: both members of the union are plain bytes; its first `len` bytes are
            // the member `encode` wrote, all initialised (no padding inside either struct).
            let bytes = unsafe {
                std::slice::from_raw_parts(ptr::from_ref(&name).cast::<u8>(), len as usize)
            };
            assert_eq!(decode(bytes), Some(addr), "{text}");
            // And as the rest of asock reads it.
            assert_eq!(asock_core::SockAddr::from_bytes(bytes).unwrap().as_socket(), Some(addr));
        }
        assert_eq!(decode(&[]), None);
        assert_eq!(decode(&(libc::AF_UNIX as u16).to_ne_bytes()), None);
    }
}
