//! [`FuturesIo`]: a futures-io stream seen through tokio's `AsyncRead` / `AsyncWrite`, so the
//! generic bodies of [`async_bodies`](super::async_bodies) also run over the streams of the
//! smol world (async-io's `Async<T>`, and `AsyncSocket` through its futures-io impls).
//!
//! It adds one call per read or write and nothing else: the bodies hand it initialized
//! buffers, so `initialize_unfilled` zeroes nothing.

use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use tokio::io::ReadBuf;

/// A futures-io stream, with tokio's stream traits.
#[derive(Debug)]
pub struct FuturesIo<S>(pub S);

impl<S: futures::io::AsyncRead + Unpin> tokio::io::AsyncRead for FuturesIo<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let n = ready!(Pin::new(&mut self.0).poll_read(cx, buf.initialize_unfilled()))?;
        buf.advance(n);
        Poll::Ready(Ok(()))
    }
}

impl<S: futures::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for FuturesIo<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_close(cx)
    }
}
