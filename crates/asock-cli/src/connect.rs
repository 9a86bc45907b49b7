//! `asock connect HOST PORT`: Happy Eyeballs, then netcat. As with netcat, the command ends
//! once both directions have: all of stdin sent and the write side shut down at its EOF, and
//! the peer's side read to its EOF (see `pipe::stream`).

use std::time::Duration;

use asock::blocking::Socket;
use asock::connect::ConnectOptions;
use asock::{AddressFamily, Protocol, SockAddr, SocketKind, UnixAddr};

use crate::args::{Args, Spec, UsageError};
use crate::timeline::Timeline;
use crate::{pipe, Failure};

const SPEC: Spec = Spec {
    options: &["timeout", "source", "delay", "unix"],
    flags: &["udp", "verbose"],
    max_positional: 2,
};

/// Runs the subcommand.
pub fn run(words: &[String]) -> Result<(), Failure> {
    let args = Args::parse(words, SPEC)?;
    if args.flag("verbose") {
        Timeline::install();
    }
    let timeout = args.parsed::<f64>("timeout")?.map(seconds).transpose()?;
    if let Some(path) = args.option("unix") {
        if !args.positional.is_empty() {
            return Err(UsageError("--unix PATH takes no HOST or PORT".into()).into());
        }
        return unix(path, args.flag("udp"), timeout);
    }
    let (host, port) = host_and_port(&args)?;
    if args.flag("udp") {
        return udp(host, port);
    }
    let mut options = ConnectOptions::new().all_errors(true);
    if let Some(timeout) = timeout {
        options = options.timeout(timeout);
    }
    if let Some(source) = args.option("source") {
        options = options.source_address(source_address(source)?);
    }
    if let Some(ms) = args.parsed::<u64>("delay")? {
        options = options.happy_eyeballs_delay(Duration::from_millis(ms));
    }
    let socket = asock::blocking::create_connection(host, port, &options)?;
    // The connect deadline is not a limit on the conversation that follows.
    socket.set_timeout(None)?;
    if args.flag("verbose") {
        eprintln!("connected to {} from {}", socket.peer_addr()?, socket.local_addr()?);
    }
    Ok(pipe::stream(socket, true)?)
}

fn host_and_port(args: &Args) -> Result<(&str, u16), UsageError> {
    match args.positional.as_slice() {
        [host, port] => {
            Ok((host, port.parse().map_err(|_| UsageError(format!("bad port {port:?}")))?))
        }
        _ => Err(UsageError("connect needs HOST PORT (or --unix PATH)".into())),
    }
}

fn seconds(secs: f64) -> Result<Duration, UsageError> {
    asock::Mode::from_secs_f64(Some(secs))
        .ok()
        .and_then(|mode| mode.timeout())
        .ok_or_else(|| UsageError(format!("--timeout: {secs} is not a usable number of seconds")))
}

/// `--source`: `ADDR` or `ADDR:PORT` / `[ADDR]:PORT`; the port defaults to 0 (any).
fn source_address(text: &str) -> Result<SockAddr, UsageError> {
    text.parse::<SockAddr>()
        .or_else(|_| {
            text.parse::<std::net::IpAddr>().map(|ip| std::net::SocketAddr::new(ip, 0).into())
        })
        .map_err(|_| UsageError(format!("--source: not an address: {text:?}")))
}

fn unix(path: &str, datagram: bool, timeout: Option<Duration>) -> Result<(), Failure> {
    let addr = SockAddr::Unix(match path.strip_prefix('@') {
        Some(name) => UnixAddr::abstract_name(name),
        None => UnixAddr::pathname(path),
    });
    let kind = if datagram { SocketKind::SOCK_DGRAM } else { SocketKind::SOCK_STREAM };
    let socket = Socket::new(AddressFamily::AF_UNIX, kind, Protocol::from(0))?;
    socket.set_timeout(timeout)?;
    socket.connect(&addr)?;
    socket.set_timeout(None)?;
    if datagram {
        // Autobind so the peer has an address to answer to.
        socket.bind(&SockAddr::Unix(UnixAddr::Unnamed))?;
        return Ok(pipe::datagram(socket, Some(addr), Duration::from_millis(500))?);
    }
    Ok(pipe::stream(socket, true)?)
}

fn udp(host: &str, port: u16) -> Result<(), Failure> {
    let infos = asock::blocking::getaddrinfo(
        host,
        i64::from(port),
        AddressFamily::AF_UNSPEC,
        SocketKind::SOCK_DGRAM,
        Protocol::from(0),
        0,
    )?;
    let first = infos.first().ok_or_else(|| asock::Error::gai(asock::consts::EAI_NONAME, None))?;
    let socket = Socket::new(first.family, first.kind, first.proto)?;
    socket.connect(&first.addr)?;
    Ok(pipe::datagram(socket, Some(first.addr.clone()), Duration::from_millis(500))?)
}
