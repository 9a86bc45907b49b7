//! [`NetFuture`]: an `AsyncSocket` operation whose result a typed socket hands out in its own
//! types (a `TcpStream` for an `AsyncSocket`, a `std::net::SocketAddr` for a `SockAddr`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::mode::operation_modes;
use crate::mode::{Mode, Operation};
use asock_core::Result;

/// The future of a typed socket's operation: the [`AsyncSocket`](crate::AsyncSocket)
/// operation `F` (an [`AcceptFuture`](crate::async_socket::AcceptFuture),
/// [`RecvFromFuture`](crate::async_socket::RecvFromFuture), ...), its output converted to `T`.
///
/// It is an [`Operation`], so the mode methods work on it as on `F`: `.timeout(d)`,
/// `.deadline(t)`, `.nonblocking()`, `.blocking()` change how this one call waits.
///
/// ```
/// use std::time::Duration;
/// use asock::net::TcpListener;
///
/// # asock::block_on(async {
/// let listener = TcpListener::bind("127.0.0.1:0").await?;
/// // Nobody connects: the accept gives up after 20 ms.
/// let err = listener.accept().timeout(Duration::from_millis(20)).await.unwrap_err();
/// assert_eq!(err.to_string(), "timed out");
/// assert!(listener.accept().nonblocking().await.unwrap_err().is_would_block());
/// # Ok::<(), asock::Error>(())
/// # })?;
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Cancel safety
///
/// As `F`'s: the conversion runs only on the output of a completed operation.
#[must_use = "futures do nothing unless polled"]
pub struct NetFuture<F: Future, T> {
    inner: F,
    convert: fn(F::Output) -> Result<T>,
}

impl<F: Future, T> NetFuture<F, T> {
    pub(crate) fn new(inner: F, convert: fn(F::Output) -> Result<T>) -> Self {
        NetFuture { inner, convert }
    }
}

impl<F: Future + Unpin, T> Future for NetFuture<F, T> {
    type Output = Result<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T>> {
        let this = self.get_mut();
        Pin::new(&mut this.inner).poll(cx).map(this.convert)
    }
}

impl<F: Operation + Unpin, T> Operation for NetFuture<F, T> {
    fn with_mode(self, mode: Mode) -> Self {
        NetFuture { inner: self.inner.with_mode(mode), convert: self.convert }
    }

    fn with_deadline(self, deadline: crate::time::Instant) -> Self {
        NetFuture { inner: self.inner.with_deadline(deadline), convert: self.convert }
    }
}

operation_modes!(impl[<F: Operation + Unpin, T>] NetFuture<F, T>);

impl<F: Future + fmt::Debug, T> fmt::Debug for NetFuture<F, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("NetFuture").field(&self.inner).finish()
    }
}
