//! The floor's accept rate: per iteration a nonblocking connect registered on the same poll as
//! the listener; the loop accepts and closes, and the client's EOF ends the iteration.

use std::io::{self, Read};
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll};

use super::{wait, CLIENT, SERVER};
use crate::baselines::Fixture;

/// connect + accept + close per iteration, on one poll.
#[derive(Debug)]
pub struct Accept {
    poll: Poll,
    events: Events,
    listener: TcpListener,
    addr: SocketAddr,
}

impl Accept {
    /// Binds a loopback listener and registers it readable.
    ///
    /// # Errors
    ///
    /// Binding, `epoll_create` or `epoll_ctl` failed.
    pub fn new() -> io::Result<Self> {
        let poll = Poll::new()?;
        let mut listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
        poll.registry().register(&mut listener, SERVER, Interest::READABLE)?;
        let addr = listener.local_addr()?;
        Ok(Accept { poll, events: Events::with_capacity(8), listener, addr })
    }

    fn once(&mut self) -> io::Result<()> {
        let mut client = TcpStream::connect(self.addr)?;
        self.poll.registry().register(&mut client, CLIENT, Interest::READABLE)?;
        loop {
            wait(&mut self.poll, &mut self.events)?;
            let mut client_ready = false;
            for event in self.events.iter() {
                if event.token() == SERVER {
                    // One connection is pending per iteration, and every new one re-arms the
                    // edge, so one accept per event is enough; the accepted stream closes here.
                    match self.listener.accept() {
                        Ok((accepted, _)) => drop(accepted),
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                        Err(e) => return Err(e),
                    }
                } else {
                    client_ready = true;
                }
            }
            if client_ready {
                match client.read(&mut [0u8; 1]) {
                    // EOF: the server accepted and closed. Dropping `client` closes it, which
                    // also removes it from the epoll set.
                    Ok(0) => return Ok(()),
                    Ok(_) => return Err(io::Error::other("accept bench: unexpected data")),
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    Err(e) => return Err(e),
                }
            }
        }
    }
}

impl Fixture for Accept {
    fn run(&mut self, iters: u64) -> io::Result<Duration> {
        let start = Instant::now();
        for _ in 0..iters {
            self.once()?;
        }
        Ok(start.elapsed())
    }
}
