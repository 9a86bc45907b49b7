//! The real loopback scene, and one way to run `create_connection` per form.
//!
//! A black hole: a listener with `listen(0)` and one connection it never accepts has a full
//! accept queue, so Linux drops every further SYN to it and a connect there hangs, as on a
//! host whose route goes nowhere. The scene puts one on `::1` and a working listener on
//! `127.0.0.1`, same port. [`Form`] runs the async `create_connection_with` under tokio or
//! under `asock::block_on`, or the blocking one, behind one call, so each test is written
//! once and run three ways.
//!
//! Tests that count this process's fds take [`serial`] first.

use std::future::Future;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use asock::blocking::Socket;
use asock::connect::ConnectOptions;
use asock::resolve::{AddrInfo, Hints, Resolve, ResolveFuture};
use asock::{AddressFamily, AsyncSocket, Error, Protocol, SockAddr, SocketKind};

static SERIAL: Mutex<()> = Mutex::new(());

/// One fd-counting test at a time.
pub fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(PoisonError::into_inner)
}

pub fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Answers every name with fixed addresses (each with its own port): `v6` to the AAAA query,
/// `v4` to the A query, `EAI_NODATA` for a family with none. No delay, so it works on any
/// executor.
pub struct Fixed {
    pub v6: Vec<SockAddr>,
    pub v4: Vec<SockAddr>,
}

impl Resolve for Fixed {
    fn getaddrinfo(&self, _: Option<&str>, _: Option<&str>, hints: Hints) -> ResolveFuture {
        let addrs = if hints.family == AddressFamily::AF_INET6 { &self.v6 } else { &self.v4 };
        let infos: Vec<AddrInfo> = addrs
            .iter()
            .map(|addr| AddrInfo {
                family: addr.family(),
                kind: SocketKind::SOCK_STREAM,
                proto: Protocol::IPPROTO_TCP,
                canonname: None,
                addr: addr.clone(),
            })
            .collect();
        let answer =
            if infos.is_empty() { Err(Error::gai(libc::EAI_NODATA, None)) } else { Ok(infos) };
        Box::pin(async move { answer })
    }
}

pub fn stream_socket(family: AddressFamily) -> asock::Result<Socket> {
    Socket::new(family, SocketKind::SOCK_STREAM, Protocol::from(0))
}

/// A listener whose accept queue is full: SYNs to it are dropped.
pub struct BlackHole {
    _listener: Socket,
    _queued: std::net::TcpStream,
    pub addr: SockAddr,
}

impl BlackHole {
    /// Fills the one-entry queue of `listener` (bound, not listening yet).
    fn from_bound(listener: Socket) -> BlackHole {
        listener.listen(Some(0)).unwrap();
        let addr = listener.local_addr().unwrap();
        let queued = std::net::TcpStream::connect(addr.as_socket().unwrap()).unwrap();
        let hole = BlackHole { _listener: listener, _queued: queued, addr };
        hole.assert_black_holed();
        hole
    }

    /// A black hole on `127.0.0.1`, any port.
    pub fn v4() -> BlackHole {
        let listener = stream_socket(AddressFamily::AF_INET).unwrap();
        listener.bind(&"127.0.0.1:0".parse().unwrap()).unwrap();
        BlackHole::from_bound(listener)
    }

    /// A plain connect must hang: the hole is what it claims to be.
    fn assert_black_holed(&self) {
        let probe = std::net::TcpStream::connect_timeout(&self.addr.as_socket().unwrap(), ms(100));
        assert_eq!(probe.unwrap_err().kind(), std::io::ErrorKind::TimedOut);
    }
}

/// The scene: `[::1]:port` black-holed, `127.0.0.1:port` listening.
pub struct Scene {
    pub hole: BlackHole,
    pub v4: Socket,
    pub port: u16,
}

impl Scene {
    /// Builds the scene, or `None` when this machine has no IPv6 loopback.
    pub fn new() -> Option<Scene> {
        for _ in 0..20 {
            let v6 = match stream_socket(AddressFamily::AF_INET6) {
                Ok(s) if s.bind(&"[::1]:0".parse().unwrap()).is_ok() => s,
                _ => return None,
            };
            let port = v6.local_addr().unwrap().port().unwrap();
            let v4 = stream_socket(AddressFamily::AF_INET).unwrap();
            if v4.bind(&SockAddr::inet("127.0.0.1", port).unwrap()).is_err() {
                continue; // the port is taken on IPv4: try another
            }
            v4.listen(None).unwrap();
            return Some(Scene { hole: BlackHole::from_bound(v6), v4, port });
        }
        panic!("no port free on both ::1 and 127.0.0.1");
    }

    pub fn v6_addr(&self) -> SockAddr {
        self.hole.addr.clone()
    }

    pub fn v4_addr(&self) -> SockAddr {
        SockAddr::inet("127.0.0.1", self.port).unwrap()
    }

    /// Resolves to `[::1, 127.0.0.1]`.
    pub fn both(&self) -> Fixed {
        Fixed { v6: vec![self.v6_addr()], v4: vec![self.v4_addr()] }
    }

    /// Accepts (and closes) the connection a race made to the IPv4 listener; returns its peer.
    pub fn accept_v4(&self) -> SockAddr {
        let (conn, peer) = self.v4.accept().unwrap();
        drop(conn);
        peer
    }
}

#[allow(unused_macros)] // not every test binary skips on a missing ::1
macro_rules! scene_or_skip {
    () => {
        match $crate::scene::Scene::new() {
            Some(scene) => scene,
            None => {
                println!("SKIPPED: no IPv6 loopback (::1) on this machine");
                return;
            }
        }
    };
}

/// How `create_connection` is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// The async form on a tokio current-thread runtime (tokio's reactor).
    Tokio,
    /// The async form on `asock::block_on` (asock's own reactor).
    BlockOn,
    /// `asock::blocking::create_connection_with`.
    Blocking,
}

/// A connected socket of either kind.
#[derive(Debug)]
pub enum Conn {
    Async(AsyncSocket),
    Blocking(Socket),
}

impl Conn {
    pub fn peer_addr(&self) -> SockAddr {
        match self {
            Conn::Async(s) => s.peer_addr(),
            Conn::Blocking(s) => s.peer_addr(),
        }
        .unwrap()
    }

    pub fn local_addr(&self) -> SockAddr {
        match self {
            Conn::Async(s) => s.local_addr(),
            Conn::Blocking(s) => s.local_addr(),
        }
        .unwrap()
    }

    pub fn timeout(&self) -> Option<Duration> {
        match self {
            Conn::Async(s) => s.timeout(),
            Conn::Blocking(s) => s.timeout(),
        }
    }
}

/// Runs races in one [`Form`]; keeps one tokio runtime for all of them.
pub struct Driver {
    pub form: Form,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Driver {
    pub fn new(form: Form) -> Driver {
        let runtime = (form == Form::Tokio)
            .then(|| tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap());
        Driver { form, runtime }
    }

    /// Runs a future on this form's executor (`Blocking` uses `asock::block_on`).
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        match &self.runtime {
            Some(rt) => rt.block_on(future),
            None => asock::block_on(future),
        }
    }

    /// `create_connection_with(resolver, "dual.test", port, options)` in this form.
    pub fn connect<R: Resolve>(
        &self,
        resolver: &R,
        port: u16,
        options: &ConnectOptions,
    ) -> asock::Result<Conn> {
        const HOST: &str = "dual.test";
        match self.form {
            Form::Blocking => {
                asock::blocking::create_connection_with(resolver, HOST, port, options)
                    .map(Conn::Blocking)
            }
            Form::Tokio | Form::BlockOn => self
                .block_on(asock::create_connection_with(resolver, HOST, port, options))
                .map(Conn::Async),
        }
    }
}

impl Driver {
    /// `create_connection_to(addrs, options)` in this form.
    pub fn connect_to(&self, addrs: &[SockAddr], options: &ConnectOptions) -> asock::Result<Conn> {
        match self.form {
            Form::Blocking => {
                asock::blocking::create_connection_to(addrs, options).map(Conn::Blocking)
            }
            Form::Tokio | Form::BlockOn => {
                self.block_on(asock::connect::create_connection_to(addrs, options)).map(Conn::Async)
            }
        }
    }

    /// `create_connection(host, port, options)` in this form: the system's resolver.
    pub fn connect_system(
        &self,
        host: &str,
        port: u16,
        options: &ConnectOptions,
    ) -> asock::Result<Conn> {
        match self.form {
            Form::Blocking => {
                asock::blocking::create_connection(host, port, options).map(Conn::Blocking)
            }
            Form::Tokio | Form::BlockOn => {
                self.block_on(asock::create_connection(host, port, options)).map(Conn::Async)
            }
        }
    }
}

/// `forms!(name, ...)`: for each `fn name(form: Form)`, a module `name` with the tests
/// `tokio`, `block_on` and `blocking`.
#[allow(unused_macros)] // not every test binary runs tests in every form
macro_rules! forms {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use $crate::scene::Form;

            #[test]
            fn tokio() {
                super::$name(Form::Tokio);
            }

            #[test]
            fn block_on() {
                super::$name(Form::BlockOn);
            }

            #[test]
            fn blocking() {
                super::$name(Form::Blocking);
            }
        }
    )*};
}
