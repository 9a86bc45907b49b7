//! `sendmsg(2)` / `recvmsg(2)`, and the kernel's control-message layout (cmsg(3)).
//!
//! A control buffer is a run of messages, each a `cmsghdr` (`cmsg_len`, `cmsg_level`,
//! `cmsg_type`) followed by its data, every message starting at a multiple of
//! `sizeof(size_t)`. The C macros (`CMSG_FIRSTHDR`, `CMSG_NXTHDR`, `CMSG_DATA`) walk it with raw
//! pointers; here the same layout is read and written as bytes with bounds checks, so a
//! truncated or malformed buffer ends the walk instead of reading past it, and the buffer
//! needs no particular alignment in memory (the kernel copies it with `copy_from_user`).
//!
//! Received fds are the one thing that cannot wait for the typed layer: the kernel installs
//! them in our fd table during `recvmsg`, so [`try_recv_msg`] takes ownership of every one at
//! once. Whatever the caller then does (or fails to do), none leaks.

use std::io::{IoSlice, IoSliceMut};
use std::mem::{offset_of, size_of};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

use libc::c_int;

use super::syscall_retry;
use asock_core::{RawSockAddr, Result, SockAddr};

// ===== layout =====

/// The largest control buffer or message CPython accepts (`SOCKLEN_T_LIMIT`, `INT_MAX` on
/// Linux); `CMSG_LEN`/`CMSG_SPACE` beyond it are `OverflowError`s in Python.
pub(crate) const CONTROL_LIMIT: usize = i32::MAX as usize;

/// `sizeof(struct cmsghdr)`.
const HEADER: usize = size_of::<libc::cmsghdr>();

/// `CMSG_ALIGN`: Linux aligns every message to `sizeof(size_t)`.
const fn align(len: usize) -> Option<usize> {
    const A: usize = size_of::<usize>();
    match len.checked_add(A - 1) {
        Some(n) => Some(n & !(A - 1)),
        None => None,
    }
}

/// Where a message's data starts: `CMSG_LEN(0)`.
const DATA_OFFSET: usize = match align(HEADER) {
    Some(n) => n,
    None => HEADER,
};

/// `CMSG_LEN(data_len)`: the `cmsg_len` of a message carrying `data_len` bytes, or `None`
/// past [`CONTROL_LIMIT`].
pub(crate) fn cmsg_len(data_len: usize) -> Option<usize> {
    DATA_OFFSET.checked_add(data_len).filter(|&n| n <= CONTROL_LIMIT)
}

/// `CMSG_SPACE(data_len)`: the bytes a message carrying `data_len` bytes occupies, padding
/// included, or `None` past [`CONTROL_LIMIT`].
///
/// As CPython's `get_CMSG_SPACE`, `data_len` itself must leave room for `CMSG_SPACE(1)` below
/// the limit (padding before and after the data), which refuses a few lengths whose space
/// alone would fit.
pub(crate) fn cmsg_space(data_len: usize) -> Option<usize> {
    let one = align(1)? + DATA_OFFSET;
    if data_len > CONTROL_LIMIT - one {
        return None;
    }
    align(data_len)?.checked_add(DATA_OFFSET).filter(|&n| n <= CONTROL_LIMIT)
}

/// Appends one message to `buf`: header, `data`, zero padding up to `CMSG_SPACE`.
///
/// Every message gets its full space, the last one too, as CPython's `sendmsg` lays it out.
/// Returns `false` (leaving `buf` unchanged) if the message would pass [`CONTROL_LIMIT`].
pub(crate) fn push_cmsg(buf: &mut Vec<u8>, level: c_int, kind: c_int, data: &[u8]) -> bool {
    let (Some(len), Some(space)) = (cmsg_len(data.len()), cmsg_space(data.len())) else {
        return false;
    };
    if buf.len().checked_add(space).is_none_or(|total| total > CONTROL_LIMIT) {
        return false;
    }
    let start = buf.len();
    buf.resize(start + space, 0);
    let msg = &mut buf[start..];
    put(msg, offset_of!(libc::cmsghdr, cmsg_len), &len.to_ne_bytes());
    put(msg, offset_of!(libc::cmsghdr, cmsg_level), &level.to_ne_bytes());
    put(msg, offset_of!(libc::cmsghdr, cmsg_type), &kind.to_ne_bytes());
    put(msg, DATA_OFFSET, data);
    true
}

fn put(buf: &mut [u8], at: usize, bytes: &[u8]) {
    buf[at..at + bytes.len()].copy_from_slice(bytes);
}

/// One message as found in a control buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawCmsg<'a> {
    pub(crate) level: c_int,
    pub(crate) kind: c_int,
    /// The data that is in the buffer: fewer bytes than `cmsg_len` claims when truncated.
    pub(crate) data: &'a [u8],
    /// `cmsg_len` claimed more than the buffer holds (the kernel cut it: `MSG_CTRUNC`).
    pub(crate) truncated: bool,
}

/// Walks the messages of a control buffer, `CMSG_FIRSTHDR` / `CMSG_NXTHDR` style.
///
/// Stops at the first header that does not fit or whose `cmsg_len` is shorter than a header
/// (malformed: nothing after it can be located). A last message whose data runs past the end
/// is yielded with what is there and `truncated` set, as CPython returns it.
#[derive(Debug, Clone)]
pub(crate) struct CmsgIter<'a> {
    rest: &'a [u8],
}

impl<'a> CmsgIter<'a> {
    pub(crate) fn new(control: &'a [u8]) -> Self {
        CmsgIter { rest: control }
    }
}

impl<'a> Iterator for CmsgIter<'a> {
    type Item = RawCmsg<'a>;

    fn next(&mut self) -> Option<RawCmsg<'a>> {
        let buf = self.rest;
        let header = buf.get(..HEADER)?;
        let len = usize::from_ne_bytes(field(header, offset_of!(libc::cmsghdr, cmsg_len))?);
        let level = c_int::from_ne_bytes(field(header, offset_of!(libc::cmsghdr, cmsg_level))?);
        let kind = c_int::from_ne_bytes(field(header, offset_of!(libc::cmsghdr, cmsg_type))?);
        if len < DATA_OFFSET {
            self.rest = &[];
            return None;
        }
        let end = len.min(buf.len());
        let data = buf.get(DATA_OFFSET..end).unwrap_or_default();
        self.rest = align(len).and_then(|next| buf.get(next..)).unwrap_or_default();
        Some(RawCmsg { level, kind, data, truncated: len > buf.len() })
    }
}

fn field<const N: usize>(bytes: &[u8], at: usize) -> Option<[u8; N]> {
    bytes.get(at..at + N)?.try_into().ok()
}

/// The fd numbers an `SCM_RIGHTS` message's data holds (whole `int`s only).
pub(crate) fn fd_numbers(data: &[u8]) -> impl Iterator<Item = RawFd> + '_ {
    data.chunks_exact(size_of::<RawFd>())
        .filter_map(|c| c.try_into().ok().map(RawFd::from_ne_bytes))
}

/// Whether a message is `SOL_SOCKET` / `SCM_RIGHTS`.
pub(crate) fn is_rights(msg: &RawCmsg<'_>) -> bool {
    msg.level == libc::SOL_SOCKET && msg.kind == libc::SCM_RIGHTS
}

// ===== sendmsg / recvmsg =====

/// One `sendmsg(2)`: the gathered `bufs`, the control buffer `cmsg` (empty for none) and an
/// optional destination. `MSG_NOSIGNAL` is always added.
pub(crate) fn try_send_msg(
    fd: BorrowedFd<'_>,
    bufs: &[IoSlice<'_>],
    cmsg: &[u8],
    flags: c_int,
    addr: Option<&SockAddr>,
) -> Result<usize> {
    let name = addr.map(SockAddr::to_raw).transpose()?;
    let mut msg = empty_msghdr();
    if let Some(name) = &name {
        msg.msg_name = name.as_ptr().cast_mut().cast();
        msg.msg_namelen = name.len();
    }
    // IoSlice is guaranteed ABI-compatible with `struct iovec` on Unix.
    msg.msg_iov = bufs.as_ptr().cast_mut().cast();
    msg.msg_iovlen = bufs.len() as _;
    if !cmsg.is_empty() {
        msg.msg_control = cmsg.as_ptr().cast_mut().cast();
        msg.msg_controllen = cmsg.len() as _;
    }
    // SAFETY: every pointer in `msg` comes from a live borrow (`name`, `bufs`, `cmsg`) that
    // outlives the call, with its true length; sendmsg only reads through them.
    let sent = syscall_retry!(sendmsg(fd.as_raw_fd(), &msg, flags | libc::MSG_NOSIGNAL))?;
    Ok(sent as usize)
}

/// What one `recvmsg(2)` produced.
#[derive(Debug)]
pub(crate) struct RecvMsgOut {
    /// Bytes of data received (the datagram's full length when `MSG_TRUNC` was asked for).
    pub(crate) bytes: usize,
    /// Bytes of the control buffer the kernel filled.
    pub(crate) cmsg_len: usize,
    /// `msg_flags` (`MSG_TRUNC`, `MSG_CTRUNC`, `MSG_EOR`, `MSG_OOB`, `MSG_ERRQUEUE`), without
    /// the `MSG_CMSG_CLOEXEC` this function adds and the kernel echoes.
    pub(crate) msg_flags: c_int,
    /// The sender's address; `None` when the kernel wrote none (connected sockets, unnamed
    /// UNIX peers), where Python returns `None`.
    pub(crate) addr: Option<SockAddr>,
    /// Every fd of every `SCM_RIGHTS` message in the control buffer, in order, owned.
    pub(crate) fds: Vec<OwnedFd>,
}

/// One `recvmsg(2)` into the scattered `bufs` and the control buffer `cmsg_buf` (empty for
/// none). `MSG_CMSG_CLOEXEC` is always added, so received fds never survive an `exec`.
pub(crate) fn try_recv_msg(
    fd: BorrowedFd<'_>,
    bufs: &mut [IoSliceMut<'_>],
    cmsg_buf: &mut [u8],
    flags: c_int,
) -> Result<RecvMsgOut> {
    let mut name = RawSockAddr::default();
    let (name_ptr, name_len) = name.as_mut_parts();
    let mut msg = empty_msghdr();
    msg.msg_name = name_ptr.cast();
    msg.msg_namelen = *name_len;
    // IoSliceMut is guaranteed ABI-compatible with `struct iovec` on Unix.
    msg.msg_iov = bufs.as_mut_ptr().cast();
    msg.msg_iovlen = bufs.len() as _;
    if !cmsg_buf.is_empty() {
        msg.msg_control = cmsg_buf.as_mut_ptr().cast();
        msg.msg_controllen = cmsg_buf.len() as _;
    }
    // SAFETY: the name, iovec and control pointers come from live exclusive borrows that
    // outlive the call, each with its true capacity; recvmsg writes at most that much.
    let received = syscall_retry!(recvmsg(fd.as_raw_fd(), &mut msg, flags | CLOEXEC))?;
    *name_len = msg.msg_namelen;

    let cmsg_len = msg.msg_controllen.min(cmsg_buf.len());
    let fds = adopt_fds(&cmsg_buf[..cmsg_len]);
    // As recvfrom's: an address asock will not encode is kept as the kernel's bytes.
    let addr = if name.is_empty() { None } else { Some(sender(&name)) };
    let msg_flags = msg.msg_flags & !(CLOEXEC & !flags);
    Ok(RecvMsgOut { bytes: received as usize, cmsg_len, msg_flags, addr, fds })
}

const CLOEXEC: c_int = libc::MSG_CMSG_CLOEXEC;

/// Takes ownership of the fds the kernel just installed for the `SCM_RIGHTS` messages of a
/// control buffer `recvmsg` or `recvmmsg` filled, so that none outlives the call that
/// received it.
pub(super) fn adopt_fds(control: &[u8]) -> Vec<OwnedFd> {
    let mut fds = Vec::new();
    for msg in CmsgIter::new(control).filter(is_rights) {
        for raw in fd_numbers(msg.data).filter(|&fd| fd >= 0) {
            // SAFETY: the kernel installed this fd in our table during the recvmsg (or
            // recvmmsg) that just wrote `control` (an exclusive borrow nobody else could have written since), and
            // nothing else holds it yet: we are its only owner.
            fds.push(unsafe { OwnedFd::from_raw_fd(raw) });
        }
    }
    fds
}

fn empty_msghdr() -> libc::msghdr {
    // SAFETY: msghdr is plain old data (pointers, lengths, ints); all-zero is a valid value:
    // null buffers of length zero.
    unsafe { std::mem::zeroed() }
}

/// The calling process's pid, uid and gid: what `SCM_CREDENTIALS` may claim unprivileged.
pub(crate) fn current_credentials() -> (i32, u32, u32) {
    // SAFETY: getpid, getuid and getgid take no arguments, always succeed and touch no memory.
    unsafe { (libc::getpid(), libc::getuid(), libc::getgid()) }
}

/// The sender's address the kernel wrote; one asock will not encode (a 108-byte `AF_UNIX`
/// path) is kept as the kernel's bytes, as `recvfrom`'s is.
fn sender(raw: &RawSockAddr) -> SockAddr {
    SockAddr::from_raw(raw).unwrap_or_else(|_| {
        SockAddr::Other(asock_core::OtherAddr {
            family: raw.family().unwrap_or(asock_core::AddressFamily::AF_UNSPEC),
            data: raw.as_bytes().get(2..).unwrap_or_default().to_vec(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsFd;
    use std::os::unix::net::{UnixDatagram, UnixStream};

    #[test]
    fn lengths_match_the_c_macros() {
        for n in (0..64).chain([100, 1000, 4096, 65535, 1 << 20]) {
            let c = n as libc::c_uint;
            // SAFETY: CMSG_LEN and CMSG_SPACE are pure arithmetic on their argument; they are
            // declared unsafe only because the other CMSG_* functions dereference pointers.
            let (len, space) = unsafe { (libc::CMSG_LEN(c), libc::CMSG_SPACE(c)) };
            assert_eq!(cmsg_len(n), Some(len as usize), "CMSG_LEN({n})");
            assert_eq!(cmsg_space(n), Some(space as usize), "CMSG_SPACE({n})");
        }
    }

    #[test]
    fn lengths_stop_at_int_max_as_cpython() {
        assert_eq!(cmsg_len(CONTROL_LIMIT - DATA_OFFSET), Some(CONTROL_LIMIT));
        assert_eq!(cmsg_len(CONTROL_LIMIT - DATA_OFFSET + 1), None);
        assert_eq!(cmsg_space(CONTROL_LIMIT - 24), Some(CONTROL_LIMIT - 7));
        assert_eq!(cmsg_space(CONTROL_LIMIT - 23), None, "CPython's CMSG_SPACE(1) margin");
        assert_eq!(cmsg_space(usize::MAX), None);
        assert_eq!(cmsg_len(usize::MAX), None);
    }

    #[test]
    fn pushed_messages_walk_back_out() {
        let mut buf = Vec::new();
        assert!(push_cmsg(&mut buf, 1, 2, b"abc"));
        assert!(push_cmsg(&mut buf, 3, 4, b""));
        assert!(push_cmsg(&mut buf, 5, 6, &[9; 17]));
        assert_eq!(
            buf.len(),
            cmsg_space(3).unwrap() + cmsg_space(0).unwrap() + cmsg_space(17).unwrap()
        );
        let got: Vec<_> = CmsgIter::new(&buf).map(|m| (m.level, m.kind, m.data.to_vec())).collect();
        assert_eq!(got, vec![(1, 2, b"abc".to_vec()), (3, 4, vec![]), (5, 6, vec![9; 17])]);
    }

    #[test]
    fn malformed_buffers_end_the_walk_without_panicking() {
        let mut buf = Vec::new();
        push_cmsg(&mut buf, 1, 2, b"abcdefgh");
        // Every prefix: a short header stops, a short body is yielded truncated.
        for cut in 0..buf.len() {
            let msgs: Vec<_> = CmsgIter::new(&buf[..cut]).collect();
            if cut < HEADER {
                assert!(msgs.is_empty());
            } else {
                assert_eq!(msgs.len(), 1);
                assert_eq!(msgs[0].truncated, cut < DATA_OFFSET + 8);
                assert_eq!(msgs[0].data, &b"abcdefgh"[..cut.saturating_sub(DATA_OFFSET).min(8)]);
            }
        }
        // cmsg_len smaller than a header, zero, or absurdly large.
        for bogus in [0usize, 3, HEADER - 1, usize::MAX, usize::MAX - 3] {
            let mut b = buf.clone();
            b[..size_of::<usize>()].copy_from_slice(&bogus.to_ne_bytes());
            let msgs: Vec<_> = CmsgIter::new(&b).collect();
            assert!(msgs.len() <= 1);
        }
    }

    #[test]
    fn send_and_receive_rights_over_a_socketpair() {
        let (a, b) = UnixStream::pair().unwrap();
        let (x, _y) = UnixStream::pair().unwrap();
        let mut control = Vec::new();
        push_cmsg(&mut control, libc::SOL_SOCKET, libc::SCM_RIGHTS, &x.as_raw_fd().to_ne_bytes());
        let sent = try_send_msg(a.as_fd(), &[IoSlice::new(b"hi")], &control, 0, None).unwrap();
        assert_eq!(sent, 2);

        let mut data = [0u8; 8];
        let mut cbuf = [0u8; 64];
        let out = try_recv_msg(b.as_fd(), &mut [IoSliceMut::new(&mut data)], &mut cbuf, 0).unwrap();
        assert_eq!(&data[..out.bytes], b"hi");
        assert_eq!(out.cmsg_len, cmsg_space(4).unwrap());
        assert_eq!(out.msg_flags, 0, "MSG_CMSG_CLOEXEC must not be echoed back");
        assert_eq!(out.fds.len(), 1);
        assert_ne!(out.fds[0].as_raw_fd(), x.as_raw_fd());
        assert!(out.addr.is_none());
    }

    #[test]
    fn a_nonblocking_receive_with_nothing_queued_would_block() {
        let (_a, b) = UnixDatagram::pair().unwrap();
        b.set_nonblocking(true).unwrap();
        let err = try_recv_msg(b.as_fd(), &mut [], &mut [], 0).unwrap_err();
        assert!(err.is_would_block(), "{err}");
    }
}
