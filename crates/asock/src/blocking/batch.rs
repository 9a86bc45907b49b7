//! Batched UDP on a blocking `Socket`: `send_batch` and `recv_batch` (`sendmmsg` /
//! `recvmmsg`, GSO and GRO; see [`asock::batch`](crate::batch)) in the socket's mode.
//!
//! In blocking mode the fd waits: `sendmmsg` until the kernel took what it takes, `recvmmsg`
//! (with `MSG_WAITFORONE`) until the first datagram, honouring `SO_RCVTIMEO`. In timeout mode
//! `poll(2)` waits, one deadline for the call; in non-blocking mode it is one try.

use super::Socket;

// The signatures are the same on both front doors (mode/facade.rs); the docs are not.
crate::mode::batch_calls! {
    Socket via run,
    /// Sends `batch` with one `sendmmsg(2)` (GSO trains as one message each): the number of
    /// datagrams that went, always the first ones in order. Send what is left
    /// ([`batch::unsent`](crate::batch::unsent)) with another call.
    ///
    /// ```
    /// use std::os::fd::AsFd;
    /// use asock::batch::{BatchState, Transmit};
    /// use asock::blocking::Socket;
    /// use asock::{AddressFamily, SocketKind};
    ///
    /// let rx = std::net::UdpSocket::bind("127.0.0.1:0")?;
    /// let tx = Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, None)?;
    /// let state = BatchState::new(tx.as_fd())?;
    /// let to = rx.local_addr()?;
    /// let train = [0u8; 3000];
    /// let batch = [Transmit::to(to, &train).with_segment_size(1000), Transmit::to(to, b"end")];
    /// assert_eq!(tx.send_batch(&state, &batch)?, 4);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Those of [`batch::try_send_batch`](crate::batch::try_send_batch) when nothing was
    /// sent; `EAGAIN` in non-blocking mode with a full buffer; a timeout; `EBADF` when closed.
    fn send_batch;

    /// Receives up to `bufs.len()` messages (at most 64) with one `recvmmsg(2)`: the number
    /// of messages, each described by its [`RecvMeta`](crate::batch::RecvMeta).
    ///
    /// ```
    /// use std::io::IoSliceMut;
    /// use std::os::fd::AsFd;
    /// use asock::batch::{BatchState, RecvMeta};
    /// use asock::blocking::Socket;
    /// use asock::{AddressFamily, SocketKind};
    ///
    /// let rx = Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, None)?;
    /// rx.bind(&"127.0.0.1:0".parse()?)?;
    /// let tx = std::net::UdpSocket::bind("127.0.0.1:0")?;
    /// tx.send_to(b"one", rx.local_addr()?.as_socket().unwrap())?;
    /// let state = BatchState::new(rx.as_fd())?;
    /// let mut storage = [[0u8; 1500]; 8];
    /// let mut bufs: Vec<_> = storage.iter_mut().map(|b| IoSliceMut::new(b)).collect();
    /// let mut metas = [RecvMeta::default(); 8];
    /// assert_eq!(rx.recv_batch(&state, &mut bufs, &mut metas)?, 1);
    /// assert_eq!(&bufs[0][..metas[0].len], b"one");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Those of [`batch::try_recv_batch`](crate::batch::try_recv_batch); `EAGAIN` in
    /// non-blocking mode with nothing queued; a timeout; `EBADF` when closed.
    fn recv_batch;
}
