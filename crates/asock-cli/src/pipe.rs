//! The netcat part: copy stdin to a socket and the socket to stdout until the peer closes.

use std::io::{Read, Write};
use std::net::Shutdown;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use asock::blocking::Socket;
use asock::SockAddr;

/// Pipes a connected stream socket, as netcat does: stdin to it on a helper thread, then a
/// half-close (`shutdown(SHUT_WR)`) at stdin's EOF so the peer sees EOF too; the socket to
/// stdout on this thread until the peer's EOF. It returns once both directions are done: the
/// peer closing its side first does not cut the upload short, and every byte read from stdin
/// has been sent before the half-close. With `read_stdin == false` only the socket's side is
/// copied.
///
/// # Errors
///
/// The first failure of either direction: a receive or stdout error at once (a peer that
/// reset cannot take the rest of stdin anyway), else a stdin read, send or shutdown error.
pub fn stream(socket: Socket, read_stdin: bool) -> asock::Result<()> {
    let socket = Arc::new(socket);
    let upload = read_stdin.then(|| {
        let writer = Arc::clone(&socket);
        thread::spawn(move || copy_stdin(&writer))
    });
    copy_to_stdout(&socket)?;
    match upload {
        // Waits for stdin's EOF, as netcat does: the peer may still be reading.
        Some(upload) => upload.join().unwrap_or_else(|_| {
            Err(asock::Error::from(std::io::Error::other("the stdin thread panicked")))
        }),
        None => Ok(()),
    }
}

fn copy_to_stdout(socket: &Socket) -> asock::Result<()> {
    let mut stdout = std::io::stdout().lock();
    let mut buf = vec![0; 64 * 1024];
    loop {
        let n = socket.recv_into(&mut buf, 0)?;
        if n == 0 {
            return Ok(());
        }
        stdout.write_all(&buf[..n])?;
        stdout.flush()?;
    }
}

/// Sends all of stdin, then half-closes.
fn copy_stdin(socket: &Socket) -> asock::Result<()> {
    let mut stdin = std::io::stdin().lock();
    let mut buf = vec![0; 64 * 1024];
    loop {
        match stdin.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => socket.send_all(&buf[..n])?,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                // What was read is sent; tell the peer nothing more comes, then report.
                let _ = socket.shutdown(Shutdown::Write);
                return Err(e.into());
            }
        }
    }
    socket.shutdown(Shutdown::Write)
}

/// Pipes a datagram socket: each stdin line is one datagram (to `peer`, or to whoever sent
/// the last datagram when `peer` is `None`); each datagram received goes to stdout. Ends
/// `linger` after stdin's EOF, since datagrams have no EOF of their own.
pub fn datagram(socket: Socket, peer: Option<SockAddr>, linger: Duration) -> asock::Result<()> {
    let socket = Arc::new(socket);
    let last_peer = Arc::new(std::sync::Mutex::new(peer));
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    {
        let socket = Arc::clone(&socket);
        let last_peer = Arc::clone(&last_peer);
        thread::spawn(move || {
            let mut line = String::new();
            let stdin = std::io::stdin();
            while stdin.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                let target = last_peer.lock().map(|p| p.clone()).unwrap_or(None);
                if let Some(target) = target {
                    let _ = socket.send_to(line.as_bytes(), &target);
                } else {
                    eprintln!("asock: no peer yet; dropping a line");
                }
                line.clear();
            }
            let _ = done_tx.send(());
        });
    }
    let mut stdout = std::io::stdout().lock();
    let mut buf = vec![0; 64 * 1024];
    let mut stdin_done = false;
    loop {
        if !stdin_done && done_rx.try_recv().is_ok() {
            stdin_done = true;
            socket.set_timeout(Some(linger))?;
        }
        if !stdin_done {
            // Wake now and then to notice stdin's end.
            socket.set_timeout(Some(Duration::from_millis(100)))?;
        }
        match socket.recv_from_into(&mut buf, 0) {
            Ok((n, from)) => {
                if let Ok(mut last) = last_peer.lock() {
                    *last = Some(from);
                }
                stdout.write_all(&buf[..n])?;
                stdout.flush()?;
            }
            Err(e) if e.kind() == asock::ErrorKind::Timeout => {
                if stdin_done {
                    return Ok(());
                }
            }
            Err(e) => return Err(e),
        }
    }
}
