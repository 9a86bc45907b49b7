//! The floor's fan-in: every client and every server half of N connections on one poll; per
//! iteration a message goes out on every client and the loop runs until every echo is back.

use std::io;
use std::time::{Duration, Instant};

use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token};

use super::{drain, send_whole, wait};
use crate::baselines::Fixture;

/// N connections, one round trip on each per iteration, on one poll. Token `2i` is client `i`,
/// token `2i + 1` its server half.
#[derive(Debug)]
pub struct FanIn {
    poll: Poll,
    events: Events,
    clients: Vec<TcpStream>,
    servers: Vec<TcpStream>,
    /// Echo bytes received so far on each client in this wave.
    echoed: Vec<usize>,
    msg: Vec<u8>,
    buf: Vec<u8>,
}

impl FanIn {
    /// Registers every socket readable on a new poll.
    ///
    /// # Errors
    ///
    /// `epoll_create` or `epoll_ctl` failed.
    pub fn new(pairs: Vec<(TcpStream, TcpStream)>, msg_size: usize) -> io::Result<Self> {
        let poll = Poll::new()?;
        let (mut clients, mut servers) = (Vec::new(), Vec::new());
        for (i, (mut client, mut server)) in pairs.into_iter().enumerate() {
            poll.registry().register(&mut client, Token(2 * i), Interest::READABLE)?;
            poll.registry().register(&mut server, Token(2 * i + 1), Interest::READABLE)?;
            clients.push(client);
            servers.push(server);
        }
        Ok(FanIn {
            poll,
            events: Events::with_capacity(2 * clients.len() + 1),
            echoed: vec![0; clients.len()],
            clients,
            servers,
            msg: vec![0x5a; msg_size],
            buf: vec![0; 4096.max(msg_size + 1)],
        })
    }

    fn wave(&mut self) -> io::Result<()> {
        for client in &mut self.clients {
            send_whole(client, &self.msg)?;
        }
        self.echoed.fill(0);
        let mut complete = 0;
        while complete < self.clients.len() {
            wait(&mut self.poll, &mut self.events)?;
            for event in self.events.iter() {
                let i = event.token().0 / 2;
                if event.token().0 % 2 == 1 {
                    drain(&mut self.servers[i], &mut self.buf, send_whole)?;
                } else {
                    let echoed = &mut self.echoed[i];
                    let before = *echoed;
                    drain(&mut self.clients[i], &mut self.buf, |_, got| {
                        *echoed += got.len();
                        Ok(())
                    })?;
                    if before < self.msg.len() && *echoed == self.msg.len() {
                        complete += 1;
                    }
                }
            }
        }
        Ok(())
    }
}

impl Fixture for FanIn {
    fn run(&mut self, iters: u64) -> io::Result<Duration> {
        let start = Instant::now();
        for _ in 0..iters {
            self.wave()?;
        }
        Ok(start.elapsed())
    }
}
