//! `std-loop`: `std::net::UdpSocket`, one `send_to` and one `recv_from` per datagram.

use std::io;
use std::net::{SocketAddr, UdpSocket};

use super::{is_quiet, loopback_pair, payload, Flood, Received, BURST};

struct StdLoop {
    tx: UdpSocket,
    rx: UdpSocket,
    to: SocketAddr,
    payload: Vec<u8>,
    buf: Vec<u8>,
}

/// The std loop for `payload`-byte datagrams.
///
/// # Errors
///
/// Setting up the sockets failed.
pub fn flood(payload_len: usize) -> io::Result<Box<dyn Flood>> {
    let (tx, rx, to) = loopback_pair()?;
    Ok(Box::new(StdLoop { tx, rx, to, payload: payload(payload_len), buf: vec![0; 65_536] }))
}

impl Flood for StdLoop {
    fn round(&mut self) -> io::Result<Received> {
        for _ in 0..BURST {
            self.tx.send_to(&self.payload, self.to)?;
        }
        let mut got = Received::default();
        while got.datagrams < BURST {
            match self.rx.recv_from(&mut self.buf) {
                Ok((n, _)) => got.add(n, 1, self.payload.len())?,
                Err(e) if is_quiet(&e) => break,
                Err(e) => return Err(e),
            }
        }
        Ok(got)
    }
}
