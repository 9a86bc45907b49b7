//! The floor's bulk transfer: the sender writes until the socket is full, the loop drains the
//! receiver, the sender continues on its writable edge; the receiver acknowledges each complete
//! transfer with one byte.

use std::io;
use std::time::{Duration, Instant};

use mio::net::TcpStream;
use mio::{Events, Interest, Poll};

use super::{drain, send_whole, wait, Wire, CLIENT, SERVER};
use crate::baselines::Fixture;

/// Bulk transfer of `total` bytes in `chunk`-sized writes per iteration, on one poll.
#[derive(Debug)]
pub struct Bulk {
    poll: Poll,
    events: Events,
    client: TcpStream,
    server: TcpStream,
    total: u64,
    data: Vec<u8>,
    buf: Vec<u8>,
}

impl Bulk {
    /// Registers the sender readable and writable (for the acknowledgement and to continue after
    /// a full socket), the receiver readable.
    ///
    /// # Errors
    ///
    /// `epoll_create` or `epoll_ctl` failed.
    pub fn new(
        (mut client, mut server): (TcpStream, TcpStream),
        total: u64,
        chunk: usize,
    ) -> io::Result<Self> {
        let poll = Poll::new()?;
        let registry = poll.registry();
        registry.register(&mut client, CLIENT, Interest::READABLE | Interest::WRITABLE)?;
        registry.register(&mut server, SERVER, Interest::READABLE)?;
        let (data, buf) = (vec![0xa5; chunk], vec![0; chunk]);
        Ok(Bulk { poll, events: Events::with_capacity(8), client, server, total, data, buf })
    }

    /// Writes until the transfer is all sent or the socket is full; returns the new `sent`.
    fn pump(&mut self, mut sent: u64) -> io::Result<u64> {
        while sent < self.total {
            let n = (self.total - sent).min(self.data.len() as u64) as usize;
            match self.client.send_some(&self.data[..n]) {
                Ok(k) => sent += k as u64,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => return Err(e),
            }
        }
        Ok(sent)
    }

    /// One transfer and its acknowledgement.
    fn transfer(&mut self) -> io::Result<()> {
        let mut sent = self.pump(0)?;
        let mut received = 0u64;
        let mut ack = [0u8; 1];
        loop {
            wait(&mut self.poll, &mut self.events)?;
            let (mut server_ready, mut client_ready) = (false, false);
            for event in self.events.iter() {
                if event.token() == SERVER {
                    server_ready = true;
                } else {
                    client_ready = true;
                }
            }
            if server_ready {
                drain(&mut self.server, &mut self.buf, |_, got| {
                    received += got.len() as u64;
                    Ok(())
                })?;
                if received == self.total {
                    send_whole(&mut self.server, &[1])?;
                }
            }
            if client_ready {
                if sent < self.total {
                    sent = self.pump(sent)?;
                } else {
                    match self.client.recv_some(&mut ack) {
                        Ok(1) => return Ok(()),
                        Ok(_) => return Err(io::ErrorKind::UnexpectedEof.into()),
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                        Err(e) => return Err(e),
                    }
                }
            }
        }
    }
}

impl Fixture for Bulk {
    fn run(&mut self, iters: u64) -> io::Result<Duration> {
        let start = Instant::now();
        for _ in 0..iters {
            self.transfer()?;
        }
        Ok(start.elapsed())
    }
}
