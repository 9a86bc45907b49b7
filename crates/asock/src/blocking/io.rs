//! Moving bytes: `recv*`, `send*`, and `Read` / `Write` (Python's `makefile`).
//!
//! Python's `recv(bufsize)` returns new bytes; `recv_into(buffer, nbytes)` fills the caller's
//! buffer. Both are here under those names, each with a `_with_flags` twin for Python's
//! optional `flags` argument (socket2's naming).
//!
//! A read of zero bytes is CPython's too: `recv(0)` and `recv_into` of an empty buffer make
//! no system call and return nothing, so on a datagram socket the next datagram stays queued
//! (`recv(2)` with a zero length would take it, and block for it in blocking mode).
//! `recvfrom(0)`, `recvfrom_into` of an empty buffer and `recvmsg(0)` do call the kernel, and
//! take a datagram, as in CPython.

use std::io::{self, Read, Write};

use super::Socket;
use crate::ops::naming::checked;
use crate::ops::recv::{Recv, RecvFrom};
use crate::ops::send::{Send, SendAll, SendTo};
use asock_core::{Error, Result, SockAddr};

/// Python's `recv(bufsize)` keeps its result at most this much larger than the data.
const SHRINK_SLACK: usize = 1024;

/// A buffer with room for `bufsize` bytes, or `ENOMEM` (Python: `MemoryError`) when that
/// much cannot be reserved. Nothing is written, so a large `bufsize` costs address space only.
fn reserve(bufsize: usize) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    buf.try_reserve_exact(bufsize).map_err(|_| Error::from_errno(libc::ENOMEM))?;
    Ok(buf)
}

fn shrink(mut buf: Vec<u8>) -> Vec<u8> {
    if buf.capacity() - buf.len() > SHRINK_SLACK {
        buf.shrink_to_fit();
    }
    buf
}

/// The byte count `recv_into(buffer, nbytes)` reads: `nbytes`, or the whole buffer for 0.
fn into_len(buf_len: usize, nbytes: usize, too_small: &'static str) -> Result<usize> {
    match nbytes {
        0 => Ok(buf_len),
        n if n > buf_len => Err(Error::invalid_input(too_small)),
        n => Ok(n),
    }
}

// ===== receiving =====

impl Socket {
    /// Receives up to `bufsize` bytes: Python's `recv(bufsize)` (`recv(2)`). An empty result
    /// on a stream socket is the end of the stream.
    ///
    /// `recv(0)` returns an empty result at once without a system call, as CPython's does,
    /// whatever the socket's state: on a datagram socket no datagram is taken.
    ///
    /// ```
    /// let (a, b) = asock::blocking::socketpair()?;
    /// a.send_all(b"hello")?;
    /// assert_eq!(b.recv(1024)?, b"hello");
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAGAIN` in non-blocking mode with nothing to read; a timeout in timeout mode;
    /// `ECONNRESET`, ...; `EBADF` when closed; `ENOMEM` when `bufsize` bytes cannot be
    /// reserved (Python: `MemoryError`).
    pub fn recv(&self, bufsize: usize) -> Result<Vec<u8>> {
        self.recv_with_flags(bufsize, 0)
    }

    /// [`recv`](Self::recv) with `MSG_*` flags (`MSG_PEEK`, `MSG_WAITALL`, ...): Python's
    /// `recv(bufsize, flags)`.
    ///
    /// ```
    /// let (a, b) = asock::blocking::socketpair()?;
    /// a.send_all(b"peek")?;
    /// assert_eq!(b.recv_with_flags(4, libc::MSG_PEEK)?, b"peek");
    /// assert_eq!(b.recv(4)?, b"peek"); // still there
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv`](Self::recv).
    pub fn recv_with_flags(&self, bufsize: usize, flags: i32) -> Result<Vec<u8>> {
        if bufsize == 0 {
            return Ok(Vec::new());
        }
        let mut buf = reserve(bufsize)?;
        self.run(Recv { buf: &mut buf, flags })?;
        Ok(shrink(buf))
    }

    /// Receives into `buf`: Python's `recv_into(buffer, nbytes)`. At most `nbytes` bytes are
    /// read; `nbytes == 0` means the whole buffer, as in Python. Returns the byte count.
    ///
    /// An empty `buf` returns 0 at once without a system call, as CPython's does: on a
    /// datagram socket no datagram is taken.
    ///
    /// ```
    /// let (a, b) = asock::blocking::socketpair()?;
    /// a.send_all(b"abcdef")?;
    /// let mut buf = [0u8; 8];
    /// assert_eq!(b.recv_into(&mut buf, 3)?, 3);
    /// assert_eq!(&buf[..3], b"abc");
    /// assert!(b.recv_into(&mut buf, 9).is_err()); // more than the buffer holds
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidInput` ("buffer too small for requested bytes") when `nbytes > buf.len()`;
    /// otherwise as [`recv`](Self::recv).
    pub fn recv_into(&self, buf: &mut [u8], nbytes: usize) -> Result<usize> {
        self.recv_into_with_flags(buf, nbytes, 0)
    }

    /// [`recv_into`](Self::recv_into) with `MSG_*` flags.
    ///
    /// ```
    /// let (a, b) = asock::blocking::socketpair()?;
    /// a.send_all(b"xy")?;
    /// let mut buf = [0u8; 2];
    /// assert_eq!(b.recv_into_with_flags(&mut buf, 0, libc::MSG_WAITALL)?, 2);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv_into`](Self::recv_into).
    pub fn recv_into_with_flags(&self, buf: &mut [u8], nbytes: usize, flags: i32) -> Result<usize> {
        let len = into_len(buf.len(), nbytes, "buffer too small for requested bytes")?;
        if len == 0 {
            return Ok(0);
        }
        self.run(Recv { buf: &mut buf[..len], flags })
    }

    /// Receives up to `bufsize` bytes and the sender's address: Python's `recvfrom(bufsize)`
    /// (`recvfrom(2)`). An unnamed `AF_UNIX` sender (and a connected stream socket, which
    /// the kernel gives no address for) is `UnixAddr::Unnamed`.
    ///
    /// Unlike [`recv`](Self::recv), `recv_from(0)` calls the kernel, as CPython's does: on a
    /// datagram socket it waits for a datagram and takes it, returning no bytes.
    ///
    /// ```
    /// use asock::blocking::Socket;
    /// use asock::{AddressFamily, Protocol, SocketKind};
    ///
    /// let udp = || Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, Protocol::from(0));
    /// let (a, b) = (udp()?, udp()?);
    /// b.bind(&"127.0.0.1:0".parse()?)?;
    /// a.bind(&"127.0.0.1:0".parse()?)?;
    /// a.send_to(b"datagram", &b.local_addr()?)?;
    /// let (data, from) = b.recv_from(100)?;
    /// assert_eq!((data.as_slice(), from), (&b"datagram"[..], a.local_addr()?));
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv`](Self::recv).
    pub fn recv_from(&self, bufsize: usize) -> Result<(Vec<u8>, SockAddr)> {
        self.recv_from_with_flags(bufsize, 0)
    }

    /// [`recv_from`](Self::recv_from) with `MSG_*` flags.
    ///
    /// ```
    /// let (a, b) = asock::blocking::socketpair()?;
    /// a.send_all(b"z")?;
    /// let (data, _from) = b.recv_from_with_flags(1, libc::MSG_PEEK)?;
    /// assert_eq!(data, b"z");
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv`](Self::recv).
    pub fn recv_from_with_flags(&self, bufsize: usize, flags: i32) -> Result<(Vec<u8>, SockAddr)> {
        let mut buf = reserve(bufsize)?;
        let (_, addr) = self.run(RecvFrom { buf: &mut buf, flags })?;
        Ok((shrink(buf), addr))
    }

    /// Receives into `buf` with the sender's address: Python's
    /// `recvfrom_into(buffer, nbytes)`; `nbytes == 0` means the whole buffer.
    ///
    /// ```
    /// let (a, b) = asock::blocking::socketpair()?;
    /// a.send_all(b"into")?;
    /// let mut buf = [0u8; 16];
    /// let (n, _from) = b.recv_from_into(&mut buf, 0)?;
    /// assert_eq!(&buf[..n], b"into");
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidInput` ("nbytes is greater than the length of the buffer") when
    /// `nbytes > buf.len()`; otherwise as [`recv`](Self::recv).
    pub fn recv_from_into(&self, buf: &mut [u8], nbytes: usize) -> Result<(usize, SockAddr)> {
        self.recv_from_into_with_flags(buf, nbytes, 0)
    }

    /// [`recv_from_into`](Self::recv_from_into) with `MSG_*` flags.
    ///
    /// ```
    /// let (a, b) = asock::blocking::socketpair()?;
    /// a.send_all(b"q")?;
    /// let mut buf = [0u8; 1];
    /// assert_eq!(b.recv_from_into_with_flags(&mut buf, 1, libc::MSG_PEEK)?.0, 1);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv_from_into`](Self::recv_from_into).
    pub fn recv_from_into_with_flags(
        &self,
        buf: &mut [u8],
        nbytes: usize,
        flags: i32,
    ) -> Result<(usize, SockAddr)> {
        let len = into_len(buf.len(), nbytes, "nbytes is greater than the length of the buffer")?;
        self.run(RecvFrom { buf: &mut buf[..len], flags })
    }
}

// ===== sending =====

impl Socket {
    /// Sends what the kernel takes of `data`: Python's `send(bytes)` (`send(2)` with
    /// `MSG_NOSIGNAL`: a closed peer gives `EPIPE`, never `SIGPIPE`). Returns the byte count,
    /// which can be less than `data.len()`.
    ///
    /// ```
    /// let (a, b) = asock::blocking::socketpair()?;
    /// assert_eq!(a.send(b"hi")?, 2);
    /// assert_eq!(b.recv(2)?, b"hi");
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAGAIN` in non-blocking mode with a full buffer; a timeout; `EPIPE`, `ECONNRESET`,
    /// ...; `EBADF` when closed.
    pub fn send(&self, data: &[u8]) -> Result<usize> {
        self.send_with_flags(data, 0)
    }

    /// [`send`](Self::send) with `MSG_*` flags (`MSG_NOSIGNAL` is always added).
    ///
    /// ```
    /// let (a, b) = asock::blocking::socketpair()?;
    /// a.send_with_flags(b"more", libc::MSG_DONTWAIT)?;
    /// assert_eq!(b.recv(4)?, b"more");
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send).
    pub fn send_with_flags(&self, data: &[u8], flags: i32) -> Result<usize> {
        self.run(Send { data, flags })
    }

    /// Sends all of `data`: Python's `sendall(bytes)`, `send(2)` until done.
    ///
    /// In timeout mode the deadline covers the whole call: 8 MiB to a slow reader under a 1 s
    /// timeout fails after about 1 s in total, not 1 s per chunk. On error the number of bytes
    /// already sent is unknown, as in Python. Empty `data` still makes one `send` (an empty
    /// datagram on a datagram socket).
    ///
    /// ```
    /// let (a, b) = asock::blocking::socketpair()?;
    /// a.send_all(b"every byte")?;
    /// assert_eq!(b.recv(64)?, b"every byte");
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send); in timeout mode the timeout ends the whole call.
    pub fn send_all(&self, data: &[u8]) -> Result<()> {
        self.send_all_with_flags(data, 0)
    }

    /// [`send_all`](Self::send_all) with `MSG_*` flags.
    ///
    /// ```
    /// let (a, b) = asock::blocking::socketpair()?;
    /// a.send_all_with_flags(b"flagged", 0)?;
    /// assert_eq!(b.recv(64)?, b"flagged");
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`send_all`](Self::send_all).
    pub fn send_all_with_flags(&self, data: &[u8], flags: i32) -> Result<()> {
        self.run(SendAll::new(data, flags))
    }

    /// Sends `data` to `addr`: Python's `sendto(bytes, address)` (`sendto(2)` with
    /// `MSG_NOSIGNAL`).
    ///
    /// ```
    /// use asock::blocking::Socket;
    /// use asock::{AddressFamily, Protocol, SocketKind};
    ///
    /// let rx = Socket::new(AddressFamily::AF_INET6, SocketKind::SOCK_DGRAM, Protocol::from(0))?;
    /// rx.bind(&"[::1]:0".parse()?)?;
    /// let tx = Socket::new(AddressFamily::AF_INET6, SocketKind::SOCK_DGRAM, Protocol::from(0))?;
    /// assert_eq!(tx.send_to(b"to you", &rx.local_addr()?)?, 6);
    /// assert_eq!(rx.recv(64)?, b"to you");
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAFNOSUPPORT` for an address of another family; `EMSGSIZE` for a datagram too large;
    /// otherwise as [`send`](Self::send).
    pub fn send_to(&self, data: &[u8], addr: &SockAddr) -> Result<usize> {
        self.send_to_with_flags(data, 0, addr)
    }

    /// [`send_to`](Self::send_to) with `MSG_*` flags: Python's `sendto(bytes, flags, address)`.
    ///
    /// ```
    /// use asock::blocking::Socket;
    /// use asock::{AddressFamily, Protocol, SocketKind};
    ///
    /// let rx = Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, Protocol::from(0))?;
    /// rx.bind(&"127.0.0.1:0".parse()?)?;
    /// let tx = Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, Protocol::from(0))?;
    /// tx.send_to_with_flags(b"x", libc::MSG_DONTWAIT, &rx.local_addr()?)?;
    /// assert_eq!(rx.recv(8)?, b"x");
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`send_to`](Self::send_to).
    pub fn send_to_with_flags(&self, data: &[u8], flags: i32, addr: &SockAddr) -> Result<usize> {
        let addr = checked(self.shape(), addr, false)?;
        self.run(SendTo { data, addr, flags })
    }
}

// ===== Read / Write: Python's makefile =====

/// `read` is [`Socket::recv_into`]: wrap the socket in a `BufReader` for Python's
/// `makefile('rb')`. A timeout is `io::ErrorKind::TimedOut`.
///
/// ```
/// use std::io::{BufRead, BufReader, Write};
///
/// let (mut a, b) = asock::blocking::socketpair()?;
/// a.write_all(b"line one\nline two\n")?;
/// let mut lines = BufReader::new(&b).lines();
/// assert_eq!(lines.next().unwrap()?, "line one");
/// # Ok::<(), std::io::Error>(())
/// ```
impl Read for Socket {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (&*self).read(buf)
    }
}

impl Read for &Socket {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        Ok(self.recv_into(buf, 0)?)
    }
}

/// `write` is [`Socket::send`] and `write_all` is [`Socket::send_all`] (one deadline for the
/// whole buffer); `flush` does nothing, the kernel has the bytes. Wrap the socket in a
/// `BufWriter` for Python's `makefile('wb')`.
///
/// ```
/// use std::io::{BufWriter, Write};
///
/// let (a, b) = asock::blocking::socketpair()?;
/// let mut out = BufWriter::new(&a);
/// write!(out, "{} + {} = {}", 1, 2, 3)?;
/// out.flush()?;
/// assert_eq!(b.recv(64)?, b"1 + 2 = 3");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl Write for Socket {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (&*self).write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        (&*self).write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Write for &Socket {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Ok(self.send(buf)?)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        if buf.is_empty() {
            return Ok(());
        }
        Ok(self.send_all(buf)?)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
