//! Socket options, written once for every front door: [`SocketOptions`], a view of a
//! socket's fd that `blocking::Socket`, `AsyncSocket` and the typed sockets all hand out
//! (`sock.options()`), with Python's raw `getsockopt` / `setsockopt` here and typed getters and
//! setters (socket2's naming: the getter is the option's name, the setter has `set_`), one
//! file and one `impl` block per option level.

use std::time::Duration;

use std::os::fd::BorrowedFd;

use libc::c_int;

use crate::sys;
use crate::{Error, Result};

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

/// An option the kernel reports as a non-negative `int`, as an unsigned value.
fn unsigned(value: c_int) -> u32 {
    u32::try_from(value).unwrap_or(0)
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

    fn get_int(&self, level: c_int, name: c_int) -> Result<c_int> {
        sys::options::get_option_int(self.fd()?, level, name)
    }

    fn set_int(&self, level: c_int, name: c_int, value: c_int) -> Result<()> {
        sys::options::set_option_int(self.fd()?, level, name, value)
    }

    fn get_bool(&self, level: c_int, name: c_int) -> Result<bool> {
        self.get_int(level, name).map(|v| v != 0)
    }

    fn set_bool(&self, level: c_int, name: c_int, value: bool) -> Result<()> {
        self.set_int(level, name, c_int::from(value))
    }
}
