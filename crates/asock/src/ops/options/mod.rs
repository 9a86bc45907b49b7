//! Socket options, written once for every front door: [`SocketOptions`], a view of a
//! socket's fd that `blocking::Socket`, `AsyncSocket` and the typed sockets all hand out
//! (`sock.options()`), with Python's raw `getsockopt` / `setsockopt` here and typed getters and
//! setters (socket2's naming: the getter is the option's name, the setter has `set_`), one
//! file and one `impl` block per option level.
//!
//! The typed options are socket2's, called through `socket2::SockRef` on the borrowed fd;
//! asock adds what socket2 leaves to its caller: `EBADF` once the socket is closed, and
//! Python's `OverflowError` (here `InvalidInput`) for a value that does not fit the kernel's
//! `int`, where socket2 would cast it (`u32::MAX as c_int` is -1, which `IP_TTL` takes as
//! "the default"). Only what socket2 lacks goes to `sys::options`: the raw calls, `TCP_INFO`,
//! and the keepalive parameters set one at a time (socket2's `set_tcp_keepalive` also turns
//! `SO_KEEPALIVE` on, which Python's `setsockopt(IPPROTO_TCP, TCP_KEEPIDLE, n)` does not).

use std::io;
use std::os::fd::BorrowedFd;
use std::time::Duration;

use libc::c_int;
use socket2::SockRef;

use crate::sys;
use asock_core::{Error, Result};

mod ip;
mod sol_socket;
mod tcp;
mod tcp_info;

pub use tcp_info::TcpInfo;

/// An option value as Python's `getsockopt` returns it and `setsockopt` takes it: an `int`
/// or a buffer of bytes (a C struct, a string).
///
/// ```
/// use asock::blocking::OptionValue;
///
/// assert_eq!(OptionValue::from(true), OptionValue::Int(1));
/// assert_eq!(OptionValue::from(&b"lo"[..]).as_bytes(), Some(&b"lo"[..]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OptionValue {
    /// An `int` option.
    Int(i32),
    /// A buffer option.
    Bytes(Vec<u8>),
}

impl OptionValue {
    /// The integer, for [`OptionValue::Int`].
    ///
    /// ```
    /// assert_eq!(asock::blocking::OptionValue::Int(7).as_int(), Some(7));
    /// ```
    #[must_use]
    pub fn as_int(&self) -> Option<i32> {
        match self {
            OptionValue::Int(v) => Some(*v),
            OptionValue::Bytes(_) => None,
        }
    }

    /// The bytes, for [`OptionValue::Bytes`].
    ///
    /// ```
    /// assert_eq!(asock::blocking::OptionValue::Int(7).as_bytes(), None);
    /// ```
    #[must_use]
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            OptionValue::Bytes(b) => Some(b),
            OptionValue::Int(_) => None,
        }
    }
}

impl From<i32> for OptionValue {
    fn from(value: i32) -> Self {
        OptionValue::Int(value)
    }
}

impl From<bool> for OptionValue {
    fn from(value: bool) -> Self {
        OptionValue::Int(i32::from(value))
    }
}

impl From<&[u8]> for OptionValue {
    fn from(value: &[u8]) -> Self {
        OptionValue::Bytes(value.to_vec())
    }
}

impl<const N: usize> From<&[u8; N]> for OptionValue {
    fn from(value: &[u8; N]) -> Self {
        OptionValue::Bytes(value.to_vec())
    }
}

impl From<Vec<u8>> for OptionValue {
    fn from(value: Vec<u8>) -> Self {
        OptionValue::Bytes(value)
    }
}

/// A non-negative value as the `int` the kernel takes, or Python's `OverflowError` text.
fn c_int_of(value: impl TryInto<c_int>) -> Result<c_int> {
    value.try_into().map_err(|_| Error::invalid_input("Python int too large to convert to C int"))
}

/// `value` unchanged if it fits the kernel's `int` (socket2 casts without checking), else
/// the error of [`c_int_of`].
fn fits_c_int<T: Copy + TryInto<c_int>>(value: T) -> Result<T> {
    c_int_of(value).map(|_| value)
}

/// Whole seconds of `d` as an `int` (the unit of `SO_LINGER` and the TCP keepalive options).
fn secs_of(d: Duration) -> Result<c_int> {
    c_int_of(d.as_secs())
}

/// A socket's options: what `sock.options()` returns on [`blocking::Socket`](crate::blocking::Socket),
/// [`AsyncSocket`](crate::AsyncSocket) and the typed sockets. Every getter and setter is one
/// `getsockopt(2)` / `setsockopt(2)` on the socket's fd, and fails with `EBADF` once the
/// socket is closed.
///
/// ```
/// let (a, _b) = asock::blocking::socketpair()?;
/// a.options().set_send_buffer_size(1 << 16)?;
/// assert!(a.options().send_buffer_size()? >= 1 << 16);
/// # Ok::<(), asock::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct SocketOptions<'a> {
    fd: Option<BorrowedFd<'a>>,
}

impl<'a> SocketOptions<'a> {
    /// The options of `fd`; `None` for a closed socket (every call fails with `EBADF`).
    pub(crate) fn new(fd: Option<BorrowedFd<'a>>) -> SocketOptions<'a> {
        SocketOptions { fd }
    }

    fn fd(&self) -> Result<BorrowedFd<'a>> {
        self.fd.ok_or_else(crate::sys::ebadf)
    }

    /// Runs one socket2 option call on the fd: `EBADF` when closed, socket2's `io::Error`
    /// kept whole otherwise.
    fn socket2<T>(&self, call: impl FnOnce(&socket2::Socket) -> io::Result<T>) -> Result<T> {
        let fd = self.fd()?;
        Ok(call(&SockRef::from(&fd))?)
    }
}

// ===== raw: Python's getsockopt / setsockopt =====

impl SocketOptions<'_> {
    /// Reads an option: Python's `getsockopt(level, optname[, buflen])`. `buflen == 0` reads
    /// an `int` ([`OptionValue::Int`]); otherwise up to `buflen` bytes ([`OptionValue::Bytes`],
    /// as many as the kernel wrote).
    ///
    /// ```
    /// use asock::blocking::OptionValue;
    ///
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// let kind = a.options().get_option(libc::SOL_SOCKET, libc::SO_TYPE, 0)?;
    /// assert_eq!(kind, OptionValue::Int(libc::SOCK_STREAM));
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidInput` ("getsockopt buflen out of range", as Python) for `buflen > 1024`;
    /// `ENOPROTOOPT` for an unknown option; `EBADF` when closed.
    pub fn get_option(&self, level: i32, name: i32, buflen: usize) -> Result<OptionValue> {
        let fd = self.fd()?;
        if buflen == 0 {
            return sys::options::get_option_int(fd, level, name).map(OptionValue::Int);
        }
        sys::options::get_option_bytes(fd, level, name, buflen).map(OptionValue::Bytes)
    }

    /// Sets an option: Python's `setsockopt(level, optname, value)` with an `int` (or `bool`)
    /// or a byte buffer.
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// a.options().set_option(libc::SOL_SOCKET, libc::SO_SNDBUF, 65536)?;
    /// assert!(a.options().send_buffer_size()? >= 65536);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `ENOPROTOOPT` for an unknown option, `EINVAL` for a bad value, `EBADF` when closed.
    pub fn set_option(&self, level: i32, name: i32, value: impl Into<OptionValue>) -> Result<()> {
        let fd = self.fd()?;
        match value.into() {
            OptionValue::Int(v) => sys::options::set_option_int(fd, level, name, v),
            OptionValue::Bytes(b) => sys::options::set_option_bytes(fd, level, name, &b),
        }
    }

    /// `setsockopt(2)` with an `int`, for the options whose socket2 setter does more (see
    /// the module's doc).
    fn set_int(&self, level: c_int, name: c_int, value: c_int) -> Result<()> {
        sys::options::set_option_int(self.fd()?, level, name, value)
    }
}
