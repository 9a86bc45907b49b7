//! Batched UDP on an `AsyncSocket`: `send_batch` and `recv_batch` (`sendmmsg` / `recvmmsg`,
//! GSO and GRO; see [`asock::batch`](crate::batch)), waiting on the reactor in the socket's
//! mode like every operation.
//!
//! The socket's [`BatchState`] (what the kernel can do, the GSO fallback, whether GRO is on)
//! is the caller's to keep next to the socket, as quinn-udp keeps its `UdpSocketState`;
//! [`net::UdpSocket`](crate::net::UdpSocket) has the same methods (`net/udp_batch.rs`).

use std::io::IoSliceMut;

use super::op_future::{op_future, OpFuture};
use super::AsyncSocket;
use crate::ops::batch::{BatchState, RecvBatch, RecvMeta, SendBatch, Transmit};

impl AsyncSocket {
    /// Sends `batch` with one `sendmmsg(2)` (GSO trains as one message each), waiting for
    /// room first if the send buffer is full: the number of datagrams that went, always the
    /// first ones in order. A short count is the kernel's; send the rest
    /// ([`batch::unsent`](crate::batch::unsent)) with another call.
    ///
    /// ```
    /// use std::os::fd::AsFd;
    /// use asock::batch::{BatchState, Transmit};
    /// use asock::{AddressFamily, AsyncSocket, SocketKind};
    ///
    /// # asock::block_on(async {
    /// let udp = || AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, None);
    /// let (tx, rx) = (udp()?, udp()?);
    /// tx.bind("127.0.0.1:0".parse::<asock::SockAddr>()?)?;
    /// rx.bind("127.0.0.1:0".parse::<asock::SockAddr>()?)?;
    /// let state = BatchState::new(tx.as_fd())?;
    /// let to = rx.local_addr()?.as_socket().unwrap();
    /// let batch = [Transmit::to(to, b"one"), Transmit::to(to, b"two")];
    /// assert_eq!(tx.send_batch(&state, &batch).await?, 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// Those of [`batch::try_send_batch`](crate::batch::try_send_batch) when nothing was
    /// sent; `EAGAIN` or "timed out" by the mode; `EBADF` when closed.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: the future completes as soon as one `sendmmsg` sends anything, so a
    /// dropped `send_batch` has sent nothing.
    pub fn send_batch<'a>(
        &'a self,
        state: &'a BatchState,
        batch: &'a [Transmit<'a>],
    ) -> SendBatchFuture<'a> {
        SendBatchFuture(OpFuture::new(self, Ok(SendBatch { state, batch })))
    }

    /// Receives up to `bufs.len()` messages (at most 64) with one `recvmmsg(2)`, waiting for
    /// the first: the number of messages, each described by its [`RecvMeta`] (length,
    /// sender, GRO segment size, truncation, ECN, destination, timestamp).
    ///
    /// ```
    /// use std::io::IoSliceMut;
    /// use std::os::fd::AsFd;
    /// use asock::batch::{BatchState, RecvMeta};
    /// use asock::{AddressFamily, AsyncSocket, SocketKind};
    ///
    /// # asock::block_on(async {
    /// let udp = || AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, None);
    /// let (tx, rx) = (udp()?, udp()?);
    /// rx.bind("127.0.0.1:0".parse::<asock::SockAddr>()?)?;
    /// tx.send_to(b"hello", rx.local_addr()?).await?;
    /// let state = BatchState::new(rx.as_fd())?;
    /// let mut storage = [[0u8; 1500]; 4];
    /// let mut bufs: Vec<_> = storage.iter_mut().map(|b| IoSliceMut::new(b)).collect();
    /// let mut metas = [RecvMeta::default(); 4];
    /// let n = rx.recv_batch(&state, &mut bufs, &mut metas).await?;
    /// assert_eq!((n, metas[0].len), (1, 5));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// Those of [`batch::try_recv_batch`](crate::batch::try_recv_batch); `EAGAIN` or "timed
    /// out" by the mode; `EBADF` when closed.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: no datagram is taken unless the future completes.
    pub fn recv_batch<'a, 'b>(
        &'a self,
        state: &'a BatchState,
        bufs: &'a mut [IoSliceMut<'b>],
        metas: &'a mut [RecvMeta],
    ) -> RecvBatchFuture<'a, 'b> {
        RecvBatchFuture(OpFuture::new(self, Ok(RecvBatch { state, bufs, metas })))
    }
}

// The signatures are the same on both front doors (mode/facade.rs); the docs are not.
crate::mode::batch_calls! {
    AsyncSocket via try_op,
    /// [`send_batch`](Self::send_batch) without waiting, whatever the mode.
    ///
    /// # Errors
    ///
    /// As [`send_batch`](Self::send_batch); `EAGAIN` when the send buffer is full.
    fn try_send_batch;

    /// [`recv_batch`](Self::recv_batch) without waiting, whatever the mode.
    ///
    /// # Errors
    ///
    /// As [`recv_batch`](Self::recv_batch); `EAGAIN` when nothing is queued.
    fn try_recv_batch;
}

op_future! {
    /// The future of [`AsyncSocket::send_batch`]: the datagrams sent. An
    /// [`Operation`](crate::Operation).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: nothing is sent unless the future completes.
    pub struct SendBatchFuture<'a>(SendBatch<'a, 'a, 'a>) -> usize;

    /// The future of [`AsyncSocket::recv_batch`]: the messages received. An
    /// [`Operation`](crate::Operation).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: nothing is taken unless the future completes.
    pub struct RecvBatchFuture<'a, 'b>(RecvBatch<'a, 'a, 'b>) -> usize;
}
