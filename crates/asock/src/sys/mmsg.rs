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
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::ptr;

use libc::c_int;

use super::msg::{fd_numbers, is_rights, CmsgIter};
use super::syscall_retry;
use crate::{Result, SockAddr};

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

/// Encodes an IP socket address as the kernel reads it; returns the bytes that count.
fn encode(addr: &SocketAddr, out: &mut InetName) -> libc::socklen_t {
    match addr {
        SocketAddr::V4(a) => {
            out.v4 = libc::sockaddr_in {
                sin_family: libc::AF_INET as libc::sa_family_t,
                sin_port: a.port().to_be(),
                sin_addr: libc::in_addr { s_addr: u32::from_ne_bytes(a.ip().octets()) },
                sin_zero: [0; 8],
            };
            size_of::<libc::sockaddr_in>() as libc::socklen_t
        }
        SocketAddr::V6(a) => {
            out.v6 = libc::sockaddr_in6 {
                sin6_family: libc::AF_INET6 as libc::sa_family_t,
                sin6_port: a.port().to_be(),
                sin6_flowinfo: a.flowinfo().to_be(),
                sin6_addr: libc::in6_addr { s6_addr: a.ip().octets() },
                sin6_scope_id: a.scope_id(),
            };
            size_of::<libc::sockaddr_in6>() as libc::socklen_t
        }
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
pub(crate) fn try_send_mmsg(
    fd: BorrowedFd<'_>,
    entries: &[SendEntry<'_>],
    flags: c_int,
) -> Result<usize> {
    let count = entries.len().min(MAX_BATCH);
    if count == 0 {
        return Ok(0);
    }
    let empty_name = InetName { v4: unnamed_v4() };
    let mut names = [empty_name; MAX_BATCH];
    let mut iovs = [IoSlice::new(&[]); MAX_BATCH];
    let mut hdrs = [empty_mmsghdr(); MAX_BATCH];
    for (i, entry) in entries[..count].iter().enumerate() {
        iovs[i] = IoSlice::new(entry.data);
        let hdr = &mut hdrs[i].msg_hdr;
        if let Some(addr) = &entry.addr {
            hdr.msg_namelen = encode(addr, &mut names[i]);
            hdr.msg_name = ptr::addr_of_mut!(names[i]).cast();
        }
        // IoSlice is guaranteed ABI-compatible with `struct iovec` on Unix.
        hdr.msg_iov = ptr::addr_of_mut!(iovs[i]).cast();
        hdr.msg_iovlen = 1;
        if !entry.control.is_empty() {
            hdr.msg_control = entry.control.as_ptr().cast_mut().cast();
            hdr.msg_controllen = entry.control.len() as _;
        }
    }
    // SAFETY: `hdrs[..count]` point only at `names`, `iovs` (locals that outlive the call)
    // and at the entries' data and control slices (borrowed for the whole call), each with
    // its true length; sendmmsg reads through them and writes only `msg_len` of each header.
    let sent = syscall_retry!(sendmmsg(
        fd.as_raw_fd(),
        hdrs.as_mut_ptr(),
        count as libc::c_uint,
        flags | libc::MSG_NOSIGNAL
    ))?;
    Ok(sent as usize)
}

/// A zeroed `sockaddr_in`, the placeholder of an unused name slot.
fn unnamed_v4() -> libc::sockaddr_in {
    libc::sockaddr_in {
        sin_family: 0,
        sin_port: 0,
        sin_addr: libc::in_addr { s_addr: 0 },
        sin_zero: [0; 8],
    }
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
    let mut hdrs = [empty_mmsghdr(); MAX_BATCH];
    for (i, buf) in bufs.iter_mut().take(count).enumerate() {
        let hdr = &mut hdrs[i].msg_hdr;
        hdr.msg_name = names[i].as_mut_ptr().cast();
        hdr.msg_namelen = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        // IoSliceMut is guaranteed ABI-compatible with `struct iovec` on Unix.
        hdr.msg_iov = ptr::from_mut(buf).cast();
        hdr.msg_iovlen = 1;
        hdr.msg_control = controls[i].as_mut_ptr().cast();
        hdr.msg_controllen = RECV_CONTROL as _;
    }
    let flags = flags | libc::MSG_CMSG_CLOEXEC | libc::MSG_WAITFORONE;
    // SAFETY: each of `hdrs[..count]` points at its own name and control slot (locals that
    // outlive the call) with that slot's capacity, and at `bufs[i]` as its one iovec, a live
    // exclusive borrow whose length is its capacity; recvmmsg writes at most those
    // capacities. A null timeout means none.
    let received = syscall_retry!(recvmmsg(
        fd.as_raw_fd(),
        hdrs.as_mut_ptr(),
        count as libc::c_uint,
        flags,
        ptr::null_mut()
    ))? as usize;

    for (i, hdr) in hdrs[..received.min(count)].iter().enumerate() {
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
        let addr = SockAddr::from_bytes(name).ok().and_then(|a| a.as_socket());
        let flags = m.msg_flags & !libc::MSG_CMSG_CLOEXEC;
        each(i, Received { len: hdr.msg_len as usize, flags, addr, control });
        drop(fds);
    }
    Ok(received)
}

/// Owns the fds the kernel installed for the `SCM_RIGHTS` messages of `control`, so that
/// none outlives the call that received it.
fn adopt_fds(control: &[u8]) -> Vec<OwnedFd> {
    let mut fds = Vec::new();
    for msg in CmsgIter::new(control).filter(is_rights) {
        for raw in fd_numbers(msg.data).filter(|&fd| fd >= 0) {
            // SAFETY: the kernel installed this fd in our table during the recvmmsg that just
            // wrote `control`, and nothing else has seen its number: we are its only owner.
            fds.push(unsafe { OwnedFd::from_raw_fd(raw) });
        }
    }
    fds
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
        assert_eq!(try_send_mmsg(a.as_fd(), &entries, 0).unwrap(), 3);

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
        assert_eq!(try_send_mmsg(a.as_fd(), &[], 0).unwrap(), 0);
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
    fn addresses_encode_as_libc_lays_them_out() {
        let mut name = InetName { v4: unnamed_v4() };
        let len = encode(&"[::1]:513".parse().unwrap(), &mut name);
        assert_eq!(len as usize, size_of::<libc::sockaddr_in6>());
        let len = encode(&"10.1.2.3:513".parse().unwrap(), &mut name);
        assert_eq!(len as usize, size_of::<libc::sockaddr_in>());
    }
}
