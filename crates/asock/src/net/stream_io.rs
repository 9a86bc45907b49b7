//! `AsyncRead` / `AsyncWrite`, tokio's and futures', for [`TcpStream`] and [`UnixStream`]
//! (and references to them): the `AsyncSocket` impls, unchanged.
//!
//! So reading is `recv(2)` into the caller's buffer as it is (no zeroing), writing `send(2)`
//! (vectored: `sendmsg(2)`), flushing does nothing, and shutting down is `shutdown(SHUT_WR)`
//! with `ENOTCONN` counted as done; like every `poll_*` they wait with no deadline, whatever
//! the socket's mode (bound the caller: `stream.read(&mut buf).timeout(d)` with
//! [`ModeExt`](crate::ModeExt)).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::{TcpStream, UnixStream};
use crate::async_socket::AsyncSocket;

/// The `&AsyncSocket` a stream's traits delegate to.
fn socket<S: AsRef<AsyncSocket>>(stream: &S) -> &AsyncSocket {
    stream.as_ref()
}

/// One `AsyncWrite` impl of `$ty`, forwarding to the `AsyncSocket`'s: tokio's and futures'
/// differ only in the trait, the name of closing (`poll_shutdown` / `poll_close`) and what
/// else `$extra` has (tokio's `is_write_vectored`).
macro_rules! async_write {
    ($trait:path, $close:ident, [$($gen:tt)*] $ty:ty, $($extra:item)*) => {
        impl<$($gen)*> $trait for $ty {
            fn poll_write(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &[u8],
            ) -> Poll<io::Result<usize>> {
                <&AsyncSocket as $trait>::poll_write(Pin::new(&mut socket(&*self)), cx, buf)
            }

            fn poll_write_vectored(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                bufs: &[io::IoSlice<'_>],
            ) -> Poll<io::Result<usize>> {
                let mut sock = socket(&*self);
                <&AsyncSocket as $trait>::poll_write_vectored(Pin::new(&mut sock), cx, bufs)
            }

            fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                <&AsyncSocket as $trait>::poll_flush(Pin::new(&mut socket(&*self)), cx)
            }

            fn $close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                <&AsyncSocket as $trait>::$close(Pin::new(&mut socket(&*self)), cx)
            }

            $($extra)*
        }
    };
}

macro_rules! stream_io {
    ($([$($gen:tt)*] $ty:ty;)*) => {$(
        #[cfg(feature = "tokio")]
        impl<$($gen)*> tokio::io::AsyncRead for $ty {
            fn poll_read(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &mut tokio::io::ReadBuf<'_>,
            ) -> Poll<io::Result<()>> {
                Pin::new(&mut socket(&*self)).poll_read(cx, buf)
            }
        }

        #[cfg(feature = "futures-io")]
        impl<$($gen)*> futures::io::AsyncRead for $ty {
            fn poll_read(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &mut [u8],
            ) -> Poll<io::Result<usize>> {
                Pin::new(&mut socket(&*self)).poll_read(cx, buf)
            }
        }

        #[cfg(feature = "tokio")]
        async_write!(tokio::io::AsyncWrite, poll_shutdown, [$($gen)*] $ty,
            fn is_write_vectored(&self) -> bool {
                true
            }
        );

        #[cfg(feature = "futures-io")]
        async_write!(futures::io::AsyncWrite, poll_close, [$($gen)*] $ty,);
    )*};
}

stream_io! {
    [] TcpStream;
    ['a] &'a TcpStream;
    [] UnixStream;
    ['a] &'a UnixStream;
}
