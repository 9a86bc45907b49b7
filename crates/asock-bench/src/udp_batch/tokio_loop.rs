//! `tokio`: `tokio::net::UdpSocket` on a current-thread runtime, one `send_to` and one
//! `recv_from` per datagram.

use std::io;
use std::net::SocketAddr;

use tokio::net::UdpSocket;
use tokio::runtime::Runtime;

use super::{loopback_pair, payload, Flood, Received, BURST, QUIET};

struct TokioLoop {
    rt: Runtime,
    tx: UdpSocket,
    rx: UdpSocket,
    to: SocketAddr,
    payload: Vec<u8>,
    buf: Vec<u8>,
}

/// The tokio loop for `payload`-byte datagrams.
///
/// # Errors
///
/// Setting up the sockets or the runtime failed.
pub fn flood(payload_len: usize) -> io::Result<Box<dyn Flood>> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let (tx, rx, to) = loopback_pair()?;
    tx.set_nonblocking(true)?;
    rx.set_nonblocking(true)?;
    let (tx, rx) = {
        let _guard = rt.enter();
        (UdpSocket::from_std(tx)?, UdpSocket::from_std(rx)?)
    };
    Ok(Box::new(TokioLoop { rt, tx, rx, to, payload: payload(payload_len), buf: vec![0; 65_536] }))
}

impl Flood for TokioLoop {
    fn round(&mut self) -> io::Result<Received> {
        let TokioLoop { rt, tx, rx, to, payload, buf } = self;
        rt.block_on(async {
            for _ in 0..BURST {
                tx.send_to(payload, *to).await?;
            }
            let mut got = Received::default();
            while got.datagrams < BURST {
                match tokio::time::timeout(QUIET, rx.recv_from(buf)).await {
                    Ok(Ok((n, _))) => got.add(n, 1, payload.len())?,
                    Ok(Err(e)) => return Err(e),
                    Err(_elapsed) => break,
                }
            }
            Ok(got)
        })
    }
}
