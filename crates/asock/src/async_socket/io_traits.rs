//! `AsyncRead` / `AsyncWrite`, tokio's and futures', on `AsyncSocket` and `&AsyncSocket`:
//! Python's `makefile()` for async code (wrap in a `BufReader` / `BufWriter`).
//!
//! Reading is [`poll_recv`](AsyncSocket::poll_recv), writing
//! [`poll_send`](AsyncSocket::poll_send); flushing does nothing (the kernel has the bytes);
//! shutting down / closing is `shutdown(SHUT_WR)`, where `ENOTCONN` counts as done, as in
//! tokio's streams: a peer that already reset the connection leaves nothing to shut down, and
//! reporting it would turn every such client into an error in servers (hyper logs one per
//! connection). The [`shutdown`](AsyncSocket::shutdown) method itself still reports
//! `ENOTCONN`, as CPython's does. Errors become `io::Error`s (a timeout is
//! `io::ErrorKind::TimedOut`). Like every `poll_*` method they wait without a deadline,
//! whatever the socket's mode: bound the whole exchange instead (`ModeExt::timeout` on the
//! future of `read_line`, say).

use std::io;
use std::net::Shutdown;
#[cfg(any(feature = "tokio", feature = "futures-io"))]
use std::task::{Context, Poll};

use super::AsyncSocket;

/// The shared bodies, for `AsyncSocket`, `&AsyncSocket` and the split halves.
#[cfg(feature = "tokio")]
pub(super) fn poll_read_buf(
    sock: &AsyncSocket,
    cx: &mut Context<'_>,
    buf: &mut tokio::io::ReadBuf<'_>,
) -> Poll<io::Result<()>> {
    // Into the unfilled part as it is: no zeroing first.
    sock.poll_recv(cx, buf).map_ok(drop).map_err(io::Error::from)
}

#[cfg(feature = "futures-io")]
pub(super) fn poll_read(
    sock: &AsyncSocket,
    cx: &mut Context<'_>,
    buf: &mut [u8],
) -> Poll<io::Result<usize>> {
    sock.poll_recv(cx, buf).map_err(io::Error::from)
}

#[cfg(any(feature = "tokio", feature = "futures-io"))]
pub(super) fn poll_write_vectored(
    sock: &AsyncSocket,
    cx: &mut Context<'_>,
    bufs: &[io::IoSlice<'_>],
) -> Poll<io::Result<usize>> {
    sock.poll_send_vectored(cx, bufs).map_err(io::Error::from)
}

#[cfg(any(feature = "tokio", feature = "futures-io"))]
pub(super) fn poll_write(
    sock: &AsyncSocket,
    cx: &mut Context<'_>,
    buf: &[u8],
) -> Poll<io::Result<usize>> {
    sock.poll_send(cx, buf).map_err(io::Error::from)
}

#[cfg(any(feature = "tokio", feature = "futures-io"))]
pub(super) fn poll_shutdown(sock: &AsyncSocket) -> Poll<io::Result<()>> {
    Poll::Ready(shutdown_write(sock))
}

/// `shutdown(SHUT_WR)`, with `ENOTCONN` (the peer reset first, or it never connected) as
/// success: tokio's rule for its streams, which closes a race with the peer's reset.
pub(super) fn shutdown_write(sock: &AsyncSocket) -> io::Result<()> {
    match sock.shutdown(Shutdown::Write) {
        Err(e) if e.raw_os_error() == Some(libc::ENOTCONN) => Ok(()),
        other => other.map_err(io::Error::from),
    }
}

/// `AsyncRead` (tokio's and futures') for a type that gives an `&AsyncSocket` through `$get`.
macro_rules! read_traits {
    ($([$($gen:tt)*] $ty:ty => |$this:ident| $get:expr;)*) => {$(
        #[cfg(feature = "tokio")]
        impl<$($gen)*> tokio::io::AsyncRead for $ty {
            fn poll_read(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                buf: &mut tokio::io::ReadBuf<'_>,
            ) -> ::std::task::Poll<::std::io::Result<()>> {
                let $this = &*self;
                $crate::async_socket::io_traits::poll_read_buf($get, cx, buf)
            }
        }

        #[cfg(feature = "futures-io")]
        impl<$($gen)*> futures::io::AsyncRead for $ty {
            fn poll_read(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                buf: &mut [u8],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                let $this = &*self;
                $crate::async_socket::io_traits::poll_read($get, cx, buf)
            }
        }
    )*};
}

/// `AsyncWrite` (tokio's and futures') for a type that gives an `&AsyncSocket` through `$get`.
macro_rules! write_traits {
    ($([$($gen:tt)*] $ty:ty => |$this:ident| $get:expr;)*) => {$(
        #[cfg(feature = "tokio")]
        impl<$($gen)*> tokio::io::AsyncWrite for $ty {
            fn poll_write(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                buf: &[u8],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                let $this = &*self;
                $crate::async_socket::io_traits::poll_write($get, cx, buf)
            }

            fn poll_write_vectored(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                bufs: &[::std::io::IoSlice<'_>],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                let $this = &*self;
                $crate::async_socket::io_traits::poll_write_vectored($get, cx, bufs)
            }

            fn is_write_vectored(&self) -> bool {
                true
            }

            fn poll_flush(self: ::std::pin::Pin<&mut Self>, _: &mut ::std::task::Context<'_>) -> ::std::task::Poll<::std::io::Result<()>> {
                ::std::task::Poll::Ready(Ok(()))
            }

            fn poll_shutdown(self: ::std::pin::Pin<&mut Self>, _: &mut ::std::task::Context<'_>) -> ::std::task::Poll<::std::io::Result<()>> {
                let $this = &*self;
                $crate::async_socket::io_traits::poll_shutdown($get)
            }
        }

        #[cfg(feature = "futures-io")]
        impl<$($gen)*> futures::io::AsyncWrite for $ty {
            fn poll_write(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                buf: &[u8],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                let $this = &*self;
                $crate::async_socket::io_traits::poll_write($get, cx, buf)
            }

            fn poll_write_vectored(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                bufs: &[::std::io::IoSlice<'_>],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                let $this = &*self;
                $crate::async_socket::io_traits::poll_write_vectored($get, cx, bufs)
            }

            fn poll_flush(self: ::std::pin::Pin<&mut Self>, _: &mut ::std::task::Context<'_>) -> ::std::task::Poll<::std::io::Result<()>> {
                ::std::task::Poll::Ready(Ok(()))
            }

            fn poll_close(self: ::std::pin::Pin<&mut Self>, _: &mut ::std::task::Context<'_>) -> ::std::task::Poll<::std::io::Result<()>> {
                let $this = &*self;
                $crate::async_socket::io_traits::poll_shutdown($get)
            }
        }
    )*};
}

pub(super) use {read_traits, write_traits};

read_traits! {
    [] AsyncSocket => |sock| sock;
    ['a] &'a AsyncSocket => |sock| *sock;
}

write_traits! {
    [] AsyncSocket => |sock| sock;
    ['a] &'a AsyncSocket => |sock| *sock;
}
