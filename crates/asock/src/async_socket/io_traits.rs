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

use super::AsyncSocket;

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
                // Into the unfilled part as it is: no zeroing first.
                $get.poll_recv(cx, buf).map_ok(drop).map_err(::std::io::Error::from)
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
                $get.poll_recv(cx, buf).map_err(::std::io::Error::from)
            }
        }
    )*};
}

/// `AsyncWrite` (tokio's and futures') for a type that gives an `&AsyncSocket` through `$get`.
macro_rules! write_traits {
    ($([$($gen:tt)*] $ty:ty => |$this:ident| $get:expr;)*) => {$(
        $crate::async_socket::io_traits::write_trait! {
            #[cfg(feature = "tokio")] tokio::io::AsyncWrite, poll_shutdown,
            [$($gen)*] $ty => |$this| $get;
            fn is_write_vectored(&self) -> bool {
                true
            }
        }
        $crate::async_socket::io_traits::write_trait! {
            #[cfg(feature = "futures-io")] futures::io::AsyncWrite, poll_close,
            [$($gen)*] $ty => |$this| $get;
        }
    )*};
}

/// One of the two `AsyncWrite` traits, whose shutting-down method is `$close`, with `$extra`
/// items (tokio's `is_write_vectored`).
macro_rules! write_trait {
    (
        #[$cfg:meta] $trait:path, $close:ident,
        [$($gen:tt)*] $ty:ty => |$this:ident| $get:expr;
        $($extra:item)*
    ) => {
        #[$cfg]
        impl<$($gen)*> $trait for $ty {
            fn poll_write(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                buf: &[u8],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                let $this = &*self;
                $get.poll_send(cx, buf).map_err(::std::io::Error::from)
            }

            fn poll_write_vectored(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                bufs: &[::std::io::IoSlice<'_>],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                let $this = &*self;
                $get.poll_send_vectored(cx, bufs).map_err(::std::io::Error::from)
            }

            // The kernel has the bytes once `send` returns: nothing to flush.
            fn poll_flush(
                self: ::std::pin::Pin<&mut Self>,
                _: &mut ::std::task::Context<'_>,
            ) -> ::std::task::Poll<::std::io::Result<()>> {
                ::std::task::Poll::Ready(Ok(()))
            }

            fn $close(
                self: ::std::pin::Pin<&mut Self>,
                _: &mut ::std::task::Context<'_>,
            ) -> ::std::task::Poll<::std::io::Result<()>> {
                let $this = &*self;
                ::std::task::Poll::Ready($crate::async_socket::io_traits::shutdown_write($get))
            }

            $($extra)*
        }
    };
}

pub(super) use {read_traits, write_trait, write_traits};

read_traits! {
    [] AsyncSocket => |sock| sock;
    ['a] &'a AsyncSocket => |sock| *sock;
}

write_traits! {
    [] AsyncSocket => |sock| sock;
    ['a] &'a AsyncSocket => |sock| *sock;
}
