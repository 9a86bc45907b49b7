//! Raw socket options: `getsockopt(2)` / `setsockopt(2)` with any level, name and buffer,
//! which socket2 does not offer. The typed options go through `socket2::SockRef`
//! (`ops::options`); these four calls serve only what socket2 has no method for:
//!
//! - Python's `getsockopt(level, optname[, buflen])` and `setsockopt(level, optname, value)`
//!   (`SocketOptions::get_option` / `set_option`), with an `int` or a buffer of any length;
//! - `TCP_INFO` (`SocketOptions::tcp_info`), read as bytes and decoded by `TcpInfo`;
//! - `TCP_KEEPIDLE`, `TCP_KEEPINTVL`, `TCP_KEEPCNT` set one at a time: socket2's only setter
//!   for them (`set_tcp_keepalive`) also switches `SO_KEEPALIVE` on;
//! - `IP_BIND_ADDRESS_NO_PORT` (Happy Eyeballs attempts with a source address, `ops::connect`)
//!   and `UDP_GRO` / `UDP_SEGMENT` (batched UDP, `ops::batch`).

use std::mem::size_of;
use std::os::fd::{AsRawFd, BorrowedFd};

use libc::{c_int, c_void, socklen_t};

use super::syscall;
use asock_core::{Error, Result};

/// The longest option value `get_option_bytes` reads: CPython's limit for `getsockopt`'s
/// `buflen` (1024).
pub(crate) const OPTION_BYTES_MAX: usize = 1024;

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
