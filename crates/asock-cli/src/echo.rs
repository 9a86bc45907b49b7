//! `asock echo`: TCP, UDP and UNIX echo servers in one process, on loopback by default.

use std::thread;
use std::time::Duration;

use asock::blocking::{create_server, ServerOptions, Socket};
use asock::{AddressFamily, Protocol, SockAddr, SocketKind, UnixAddr};

use crate::args::{Args, Spec, UsageError};
use crate::Failure;

const SPEC: Spec =
    Spec { options: &["host", "port", "unix", "for"], flags: &[], max_positional: 0 };

/// Runs the subcommand.
pub fn run(words: &[String]) -> Result<(), Failure> {
    let args = Args::parse(words, SPEC)?;
    let host = args.option("host").unwrap_or("127.0.0.1");
    let port = args.parsed::<u16>("port")?.unwrap_or(0);
    let stop_after = args.parsed::<f64>("for")?.map(|secs| {
        asock::Mode::from_secs_f64(Some(secs))
            .ok()
            .and_then(|m| m.timeout())
            .ok_or_else(|| UsageError(format!("--for: {secs} is not a usable number of seconds")))
    });
    let stop_after = stop_after.transpose()?;
    let addr: SockAddr = if host.contains(':') {
        format!("[{}]:{port}", host.trim_matches(['[', ']'])).parse()?
    } else {
        SockAddr::inet(host, port)?
    };

    let tcp = create_server(&addr, &ServerOptions::default())?;
    let tcp_addr = tcp.local_addr()?;
    // UDP on the same port number as TCP, as echo servers usually are.
    let udp = Socket::new(addr.family(), SocketKind::SOCK_DGRAM, Protocol::from(0))?;
    udp.bind(&tcp_addr)?;
    let unix_addr = SockAddr::Unix(match args.option("unix") {
        Some(path) => match path.strip_prefix('@') {
            Some(name) => UnixAddr::abstract_name(name),
            None => UnixAddr::pathname(path),
        },
        None => UnixAddr::abstract_name(format!("asock-echo-{}", std::process::id())),
    });
    let unix = Socket::new(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM, Protocol::from(0))?;
    unix.bind(&unix_addr)?;
    unix.listen(None)?;

    println!("tcp  {tcp_addr}");
    println!("udp  {}", udp.local_addr()?);
    println!("unix {unix_addr}");
    if let Some(stop) = stop_after {
        println!("stopping after {:.3} s", stop.as_secs_f64());
    }

    thread::spawn(move || serve_streams(&tcp));
    thread::spawn(move || serve_streams(&unix));
    thread::spawn(move || serve_datagrams(&udp));
    match stop_after {
        Some(stop) => thread::sleep(stop),
        None => loop {
            thread::sleep(Duration::from_secs(3600));
        },
    }
    if let SockAddr::Unix(UnixAddr::Pathname(path)) = &unix_addr {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}

/// Accepts forever; each connection echoes on its own thread until the peer closes.
fn serve_streams(listener: &Socket) {
    loop {
        match listener.accept() {
            Ok((conn, _)) => {
                thread::spawn(move || echo_stream(&conn));
            }
            // EMFILE and the like: back off briefly instead of spinning.
            Err(_) => thread::sleep(Duration::from_millis(50)),
        }
    }
}

fn echo_stream(conn: &Socket) {
    let mut buf = vec![0; 64 * 1024];
    while let Ok(n) = conn.recv_into(&mut buf, 0) {
        if n == 0 || conn.send_all(&buf[..n]).is_err() {
            return;
        }
    }
}

fn serve_datagrams(socket: &Socket) {
    let mut buf = vec![0; 64 * 1024];
    loop {
        if let Ok((n, from)) = socket.recv_from_into(&mut buf, 0) {
            let _ = socket.send_to(&buf[..n], &from);
        }
    }
}
