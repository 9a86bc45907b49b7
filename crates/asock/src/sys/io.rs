//! Moving bytes: `recv(2)`, `recvfrom(2)`, `send(2)`, `sendto(2)`.
//!
//! One system call per function, `EINTR` retried, `MSG_NOSIGNAL` on every send (see the
//! module contract in `sys/mod.rs`).

use std::os::fd::{AsRawFd, BorrowedFd};

use libc::{c_int, c_void};

use super::socket::address_or_unnamed;
use super::syscall_retry;
use crate::{RawSockAddr, Result, SockAddr};

/// `recv(2)` into `buf`; `Ok(0)` is end of stream (or an empty datagram).
pub(crate) fn try_recv(fd: BorrowedFd<'_>, buf: &mut [u8], flags: c_int) -> Result<usize> {
    // SAFETY: the pointer and length describe the live, writable slice `buf`.
    let n =
        syscall_retry!(recv(fd.as_raw_fd(), buf.as_mut_ptr().cast::<c_void>(), buf.len(), flags))?;
    Ok(n as usize)
}

/// `recvfrom(2)` into `buf`, with the sender's address (an unnamed `AF_UNIX` sender, which the
/// kernel reports with an empty address, is `UnixAddr::Unnamed`).
pub(crate) fn try_recv_from(
    fd: BorrowedFd<'_>,
    buf: &mut [u8],
    flags: c_int,
) -> Result<(usize, SockAddr)> {
    let mut raw = RawSockAddr::default();
    let n = {
        let (addr, len) = raw.as_mut_parts();
        // SAFETY: `buf` is live and writable for `buf.len()` bytes; `addr`/`len` describe
        // `raw`'s storage with its full capacity as the length.
        syscall_retry!(recvfrom(
            fd.as_raw_fd(),
            buf.as_mut_ptr().cast::<c_void>(),
            buf.len(),
            flags,
            addr,
            &mut *len
        ))?
    };
    Ok((n as usize, address_or_unnamed(&raw)?))
}

/// `recv(2)` into the spare capacity of `buf`, appending what arrives.
///
/// Python's `recv(bufsize)` allocates `bufsize` bytes and shrinks the result; this lets the
/// caller reserve `bufsize` without first writing zeros over it (a large `bufsize` then costs
/// address space, not page faults).
pub(crate) fn try_recv_spare(fd: BorrowedFd<'_>, buf: &mut Vec<u8>, flags: c_int) -> Result<usize> {
    let spare = buf.spare_capacity_mut();
    let room = spare.len();
    // SAFETY: the pointer and length describe `buf`'s spare capacity, which is allocated and
    // writable; recv only writes to it.
    let n = syscall_retry!(recv(fd.as_raw_fd(), spare.as_mut_ptr().cast::<c_void>(), room, flags))?;
    let n = n as usize;
    // SAFETY: the kernel initialised the first min(n, room) bytes of the spare capacity (with
    // MSG_TRUNC a datagram socket reports the datagram's full length, which can exceed room).
    unsafe { buf.set_len(buf.len() + n.min(room)) };
    Ok(n)
}

/// `recvfrom(2)` into the spare capacity of `buf`, appending what arrives (see
/// [`try_recv_spare`]), with the sender's address.
pub(crate) fn try_recv_from_spare(
    fd: BorrowedFd<'_>,
    buf: &mut Vec<u8>,
    flags: c_int,
) -> Result<(usize, SockAddr)> {
    let mut raw = RawSockAddr::default();
    let spare = buf.spare_capacity_mut();
    let room = spare.len();
    let n = {
        let (addr, len) = raw.as_mut_parts();
        // SAFETY: the buffer pointer and length describe `buf`'s allocated spare capacity;
        // `addr`/`len` describe `raw`'s storage with its full capacity as the length.
        syscall_retry!(recvfrom(
            fd.as_raw_fd(),
            spare.as_mut_ptr().cast::<c_void>(),
            room,
            flags,
            addr,
            &mut *len
        ))?
    } as usize;
    // SAFETY: as in try_recv_spare, the kernel initialised min(n, room) bytes.
    unsafe { buf.set_len(buf.len() + n.min(room)) };
    Ok((n, address_or_unnamed(&raw)?))
}

/// `send(2)` with `MSG_NOSIGNAL` added.
pub(crate) fn try_send(fd: BorrowedFd<'_>, buf: &[u8], flags: c_int) -> Result<usize> {
    let flags = flags | libc::MSG_NOSIGNAL;
    // SAFETY: the pointer and length describe the live slice `buf`, which send only reads.
    let n = syscall_retry!(send(fd.as_raw_fd(), buf.as_ptr().cast::<c_void>(), buf.len(), flags))?;
    Ok(n as usize)
}

/// `sendto(2)` with `MSG_NOSIGNAL` added.
pub(crate) fn try_send_to(
    fd: BorrowedFd<'_>,
    buf: &[u8],
    flags: c_int,
    addr: &SockAddr,
) -> Result<usize> {
    let flags = flags | libc::MSG_NOSIGNAL;
    let raw = addr.to_raw()?;
    // SAFETY: `buf` is a live slice sendto only reads; `raw` is a live sockaddr_storage and
    // `raw.len()` does not exceed its size.
    let n = syscall_retry!(sendto(
        fd.as_raw_fd(),
        buf.as_ptr().cast::<c_void>(),
        buf.len(),
        flags,
        raw.as_ptr(),
        raw.len()
    ))?;
    Ok(n as usize)
}
