//! Creating, naming, connecting and configuring sockets: `socket(2)` and its neighbours.
//!
//! One system call per function (see the module contract in `sys/mod.rs`).

use std::mem::size_of;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};

use libc::{c_int, c_void, socklen_t};

use super::{syscall, syscall_retry};
use crate::{AddressFamily, Error, Protocol, RawSockAddr, Result, SockAddr, SocketKind};

/// The longest option value `get_option_bytes` reads: CPython's limit for `getsockopt`'s
/// `buflen` (1024).
pub(crate) const OPTION_BYTES_MAX: usize = 1024;

/// Takes ownership of a descriptor a system call just returned.
fn owned(fd: c_int) -> OwnedFd {
    // SAFETY: `fd` was returned by a successful socket/socketpair/accept4/fcntl(F_DUPFD)
    // call, so it is open and nothing else owns it.
    unsafe { OwnedFd::from_raw_fd(fd) }
}

/// `socket(2)`: a new socket, always `SOCK_CLOEXEC`; `kind` may carry `SOCK_NONBLOCK`.
pub(crate) fn socket(family: AddressFamily, kind: SocketKind, proto: Protocol) -> Result<OwnedFd> {
    let kind = kind.with_flags(SocketKind::SOCK_CLOEXEC);
    // SAFETY: socket takes three integers and no pointers.
    let fd = syscall!(socket(family.raw(), kind.raw(), proto.raw()))?;
    Ok(owned(fd))
}

/// `socketpair(2)`: two connected sockets, always `SOCK_CLOEXEC`.
pub(crate) fn socketpair(
    family: AddressFamily,
    kind: SocketKind,
    proto: Protocol,
) -> Result<(OwnedFd, OwnedFd)> {
    let kind = kind.with_flags(SocketKind::SOCK_CLOEXEC);
    let mut fds = [-1 as c_int; 2];
    // SAFETY: `fds` is a live array of two ints, what socketpair writes.
    syscall!(socketpair(family.raw(), kind.raw(), proto.raw(), fds.as_mut_ptr()))?;
    Ok((owned(fds[0]), owned(fds[1])))
}

/// `bind(2)`.
pub(crate) fn bind(fd: BorrowedFd<'_>, addr: &SockAddr) -> Result<()> {
    let raw = addr.to_raw()?;
    // SAFETY: `raw` is a live sockaddr_storage and `raw.len()` does not exceed its size.
    syscall!(bind(fd.as_raw_fd(), raw.as_ptr(), raw.len()))?;
    Ok(())
}

/// `listen(2)`.
pub(crate) fn listen(fd: BorrowedFd<'_>, backlog: c_int) -> Result<()> {
    // SAFETY: integers only.
    syscall!(listen(fd.as_raw_fd(), backlog))?;
    Ok(())
}

/// `connect(2)`, called once and *not* retried on `EINTR`: an interrupted connect goes on in
/// the kernel, and calling it again would fail with `EALREADY`. Callers treat `EINTR` as they
/// treat `EINPROGRESS` (wait for writability, then read `SO_ERROR`), as CPython does.
pub(crate) fn connect(fd: BorrowedFd<'_>, addr: &SockAddr) -> Result<()> {
    let raw = addr.to_raw()?;
    // SAFETY: `raw` is a live sockaddr_storage and `raw.len()` does not exceed its size.
    syscall!(connect(fd.as_raw_fd(), raw.as_ptr(), raw.len()))?;
    Ok(())
}

/// `accept4(2)` with `SOCK_CLOEXEC` (and `SOCK_NONBLOCK` when `nonblocking`).
pub(crate) fn try_accept(fd: BorrowedFd<'_>, nonblocking: bool) -> Result<(OwnedFd, SockAddr)> {
    let flags = libc::SOCK_CLOEXEC | if nonblocking { libc::SOCK_NONBLOCK } else { 0 };
    let mut raw = RawSockAddr::default();
    let new = {
        let (ptr, len) = raw.as_mut_parts();
        // SAFETY: `ptr`/`len` describe `raw`'s storage with its full capacity as the length;
        // the kernel writes at most that many bytes and the real length into `len`.
        syscall_retry!(accept4(fd.as_raw_fd(), ptr, len, flags))?
    };
    let new = owned(new);
    Ok((new, address_or_unnamed(&raw)?))
}

/// The address the kernel wrote; an empty one (an unnamed `AF_UNIX` peer) is
/// `UnixAddr::Unnamed`. One that `SockAddr::from_raw` refuses (an `AF_UNIX` path of 108
/// bytes, which a C program can bind though Python and asock cannot) is kept as
/// `SockAddr::Other` with the kernel's bytes: the connection or datagram it came with has
/// already been taken from the kernel and must not be lost over its address.
pub(crate) fn address_or_unnamed(raw: &RawSockAddr) -> Result<SockAddr> {
    if raw.is_empty() {
        return Ok(SockAddr::Unix(crate::UnixAddr::Unnamed));
    }
    Ok(SockAddr::from_raw(raw).unwrap_or_else(|_| {
        SockAddr::Other(crate::OtherAddr {
            family: raw.family().unwrap_or(AddressFamily::AF_UNSPEC),
            data: raw.as_bytes().get(2..).unwrap_or_default().to_vec(),
        })
    }))
}

/// `getsockname(2)`.
pub(crate) fn local_addr(fd: BorrowedFd<'_>) -> Result<SockAddr> {
    let mut raw = RawSockAddr::default();
    let (ptr, len) = raw.as_mut_parts();
    // SAFETY: `ptr`/`len` describe `raw`'s storage with its full capacity as the length.
    syscall!(getsockname(fd.as_raw_fd(), ptr, len))?;
    address_or_unnamed(&raw)
}

/// `getpeername(2)`.
pub(crate) fn peer_addr(fd: BorrowedFd<'_>) -> Result<SockAddr> {
    let mut raw = RawSockAddr::default();
    let (ptr, len) = raw.as_mut_parts();
    // SAFETY: `ptr`/`len` describe `raw`'s storage with its full capacity as the length.
    syscall!(getpeername(fd.as_raw_fd(), ptr, len))?;
    address_or_unnamed(&raw)
}

/// `shutdown(2)` with `SHUT_RD`, `SHUT_WR` or `SHUT_RDWR`.
pub(crate) fn shutdown(fd: BorrowedFd<'_>, how: c_int) -> Result<()> {
    // SAFETY: integers only.
    syscall!(shutdown(fd.as_raw_fd(), how))?;
    Ok(())
}

/// `getsockopt(SO_ERROR)`: the pending error, cleared by reading it.
pub(crate) fn take_error(fd: BorrowedFd<'_>) -> Result<Option<Error>> {
    let errno = get_option_int(fd, libc::SOL_SOCKET, libc::SO_ERROR)?;
    Ok((errno != 0).then(|| Error::from_errno(errno)))
}

/// Sets or clears `O_NONBLOCK` with one `ioctl(FIONBIO)` (`fcntl` would need two calls).
pub(crate) fn set_nonblocking(fd: BorrowedFd<'_>, nonblocking: bool) -> Result<()> {
    let mut on = c_int::from(nonblocking);
    // SAFETY: FIONBIO reads one int through the pointer, which points at a live local.
    syscall!(ioctl(fd.as_raw_fd(), libc::FIONBIO, &mut on as *mut c_int))?;
    Ok(())
}

/// Whether `O_NONBLOCK` is set (`fcntl(F_GETFL)`).
pub(crate) fn is_nonblocking(fd: BorrowedFd<'_>) -> Result<bool> {
    // SAFETY: F_GETFL takes no third argument.
    let flags = syscall!(fcntl(fd.as_raw_fd(), libc::F_GETFL))?;
    Ok(flags & libc::O_NONBLOCK != 0)
}

/// Whether `FD_CLOEXEC` is set (`fcntl(F_GETFD)`): Python's `get_inheritable()` negated.
pub(crate) fn is_cloexec(fd: BorrowedFd<'_>) -> Result<bool> {
    // SAFETY: F_GETFD takes no third argument.
    let flags = syscall!(fcntl(fd.as_raw_fd(), libc::F_GETFD))?;
    Ok(flags & libc::FD_CLOEXEC != 0)
}

/// Sets or clears `FD_CLOEXEC` (`fcntl(F_SETFD)`; `FD_CLOEXEC` is the only fd flag Linux
/// has, so no read is needed first).
pub(crate) fn set_cloexec(fd: BorrowedFd<'_>, cloexec: bool) -> Result<()> {
    let flags = if cloexec { libc::FD_CLOEXEC } else { 0 };
    // SAFETY: F_SETFD takes an int.
    syscall!(fcntl(fd.as_raw_fd(), libc::F_SETFD, flags))?;
    Ok(())
}

/// `getsockopt(2)` for an `int` option.
pub(crate) fn get_option_int(fd: BorrowedFd<'_>, level: c_int, name: c_int) -> Result<c_int> {
    let mut value: c_int = 0;
    let mut len = size_of::<c_int>() as socklen_t;
    // SAFETY: `value` and `len` are live locals; `len` is `value`'s size.
    syscall!(getsockopt(
        fd.as_raw_fd(),
        level,
        name,
        (&mut value as *mut c_int).cast::<c_void>(),
        &mut len
    ))?;
    Ok(value)
}

/// `setsockopt(2)` for an `int` option.
pub(crate) fn set_option_int(
    fd: BorrowedFd<'_>,
    level: c_int,
    name: c_int,
    value: c_int,
) -> Result<()> {
    // SAFETY: the pointer is to a live int and the length is its size.
    syscall!(setsockopt(
        fd.as_raw_fd(),
        level,
        name,
        (&value as *const c_int).cast::<c_void>(),
        size_of::<c_int>() as socklen_t
    ))?;
    Ok(())
}

/// `getsockopt(2)` into a buffer of `buflen` bytes (at most [`OPTION_BYTES_MAX`]), returning
/// as many as the kernel wrote.
pub(crate) fn get_option_bytes(
    fd: BorrowedFd<'_>,
    level: c_int,
    name: c_int,
    buflen: usize,
) -> Result<Vec<u8>> {
    if buflen > OPTION_BYTES_MAX {
        return Err(Error::invalid_input("getsockopt buflen out of range"));
    }
    let mut buf = vec![0u8; buflen];
    let mut len = buflen as socklen_t;
    // SAFETY: `buf` is live and `len` bytes long; the kernel writes at most `len` bytes and
    // stores the length it wrote back into `len`.
    syscall!(getsockopt(fd.as_raw_fd(), level, name, buf.as_mut_ptr().cast::<c_void>(), &mut len))?;
    buf.truncate(len as usize);
    Ok(buf)
}

/// `setsockopt(2)` with a byte buffer (a struct, a string, ...).
pub(crate) fn set_option_bytes(
    fd: BorrowedFd<'_>,
    level: c_int,
    name: c_int,
    value: &[u8],
) -> Result<()> {
    let len = socklen_t::try_from(value.len())
        .map_err(|_| Error::invalid_input("setsockopt value too long"))?;
    // SAFETY: the pointer and length describe the live slice `value`.
    syscall!(setsockopt(fd.as_raw_fd(), level, name, value.as_ptr().cast::<c_void>(), len))?;
    Ok(())
}

/// A new descriptor for the same socket, close-on-exec (`fcntl(F_DUPFD_CLOEXEC)`).
///
/// The two descriptors share one open file description, and with it `O_NONBLOCK`.
pub(crate) fn dup(fd: BorrowedFd<'_>) -> Result<OwnedFd> {
    // SAFETY: F_DUPFD_CLOEXEC takes the lowest acceptable new fd number.
    let new = syscall!(fcntl(fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 0))?;
    Ok(owned(new))
}

/// `close(2)`, reporting its error (dropping an `OwnedFd` ignores it).
///
/// Not retried on `EINTR`: Linux has released the descriptor by then, and a second close
/// could close an unrelated fd that another thread just opened. `EINTR` is reported as
/// success for that reason.
pub(crate) fn close(fd: OwnedFd) -> Result<()> {
    let raw: RawFd = fd.into_raw_fd();
    // SAFETY: `raw` came out of an OwnedFd, so we own it and nothing closes it again.
    match syscall!(close(raw)) {
        Err(e) if e.raw_os_error() == Some(libc::EINTR) => Ok(()),
        other => other.map(drop),
    }
}

/// `SO_DOMAIN`: the family the socket was created with.
pub(crate) fn socket_family(fd: BorrowedFd<'_>) -> Result<AddressFamily> {
    get_option_int(fd, libc::SOL_SOCKET, libc::SO_DOMAIN).map(AddressFamily::from)
}

/// `SO_TYPE`: the kind the socket was created with (without `SOCK_NONBLOCK`/`SOCK_CLOEXEC`).
pub(crate) fn socket_kind(fd: BorrowedFd<'_>) -> Result<SocketKind> {
    get_option_int(fd, libc::SOL_SOCKET, libc::SO_TYPE).map(SocketKind::from)
}

/// `SO_PROTOCOL`: the protocol the socket was created with.
pub(crate) fn socket_protocol(fd: BorrowedFd<'_>) -> Result<Protocol> {
    get_option_int(fd, libc::SOL_SOCKET, libc::SO_PROTOCOL).map(Protocol::from)
}
