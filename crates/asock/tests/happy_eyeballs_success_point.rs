//! Moving the success point: an attempt counts only once the peer's first byte has arrived
//! (`ConnectExt::and_then(first_byte)` for the async driver, `SuccessPoint::FirstByte` for
//! the blocking one), on real loopback sockets, three ways.
#![cfg(target_os = "linux")]

#[path = "happy_eyeballs/scene.rs"]
#[macro_use]
#[allow(dead_code)] // this binary uses part of the scene
mod scene;

use std::io::Write;
use std::net::TcpListener;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use asock::blocking::{SocketNetwork, SuccessPoint, Target};
use asock::connect::{first_byte, happy_eyeballs_to, AsyncConnector, ConnectExt, ConnectOptions};
use asock::resolve::SystemResolver;
use asock::{ErrorKind, SockAddr};

use crate::scene::{ms, Conn, Driver, Form};

/// Races `addrs`, counting an attempt as won at its first byte, in `form`.
fn race_to_first_byte(
    driver: &Driver,
    addrs: &[SockAddr],
    options: &ConnectOptions,
) -> asock::Result<Conn> {
    match driver.form {
        Form::Blocking => {
            let mut network =
                SocketNetwork::new(&SystemResolver).success_point(SuccessPoint::FirstByte);
            asock::blocking::happy_eyeballs(&mut network, Target::Addresses(addrs), options)
                .map(Conn::Blocking)
        }
        Form::Tokio | Form::BlockOn => {
            let greeted = AsyncConnector.and_then(first_byte);
            driver.block_on(happy_eyeballs_to(&greeted, addrs, options)).map(Conn::Async)
        }
    }
}

/// A listener that completes handshakes (in the kernel) and never says a word.
fn silent() -> (TcpListener, SockAddr) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().into();
    (listener, addr)
}

/// A listener whose first connection gets `hello` (then is held until the client closes), or
/// is closed at once with nothing said when `greet` is false.
fn server(greet: bool) -> (JoinHandle<()>, SockAddr) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().into();
    let thread = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        if greet {
            conn.write_all(b"hello").unwrap();
            conn.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let _ = std::io::Read::read(&mut conn, &mut [0u8; 1]); // until the client closes
        }
    });
    (thread, addr)
}

fn recv(driver: &Driver, conn: Conn, n: usize) -> Vec<u8> {
    match conn {
        Conn::Blocking(sock) => sock.recv(n).unwrap(),
        Conn::Async(sock) => {
            let mut buf = vec![0u8; n];
            let got = driver.block_on(sock.recv(&mut buf)).unwrap();
            buf.truncate(got);
            buf
        }
    }
}

forms!(
    a_silent_server_loses_to_one_that_speaks,
    a_peer_closing_before_its_first_byte_is_a_failed_attempt,
    a_silent_server_alone_times_out,
);

fn a_silent_server_loses_to_one_that_speaks(form: Form) {
    let driver = Driver::new(form);
    let (_silent, quiet) = silent();
    let (greeter, speaks) = server(true);
    let options = ConnectOptions::new().happy_eyeballs_delay(ms(100)).timeout(ms(5000));
    let start = Instant::now();
    let conn = race_to_first_byte(&driver, &[quiet, speaks.clone()], &options).unwrap();
    // The silent server connected at once, but its attempt was not a success: the second
    // attempt started after the attempt delay and won.
    assert!(start.elapsed() >= ms(100), "{:?}", start.elapsed());
    assert_eq!(conn.peer_addr(), speaks);
    assert_eq!(recv(&driver, conn, 16), b"hello"); // peeked, not taken
    greeter.join().unwrap();
}

fn a_peer_closing_before_its_first_byte_is_a_failed_attempt(form: Form) {
    let driver = Driver::new(form);
    let (closer, closes) = server(false);
    let (greeter, speaks) = server(true);
    let options = ConnectOptions::new()
        .happy_eyeballs_delay(Duration::from_secs(2))
        .timeout(ms(5000))
        .all_errors(true);
    let start = Instant::now();
    let conn = race_to_first_byte(&driver, &[closes, speaks.clone()], &options).unwrap();
    // The failed step expedites the next attempt: no 2 s wait.
    assert!(start.elapsed() < ms(1000), "{:?}", start.elapsed());
    assert_eq!(conn.peer_addr(), speaks);
    drop(conn);
    closer.join().unwrap();
    greeter.join().unwrap();
}

fn a_silent_server_alone_times_out(form: Form) {
    let driver = Driver::new(form);
    let (_silent, quiet) = silent();
    let options = ConnectOptions::new().timeout(ms(300));
    let start = Instant::now();
    let error = race_to_first_byte(&driver, &[quiet], &options).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(start.elapsed() >= ms(300), "{:?}", start.elapsed());
}

#[test]
fn a_peer_closing_at_once_fails_with_econnreset() {
    let (closer, closes) = server(false);
    let mut network = SocketNetwork::new(&SystemResolver).success_point(SuccessPoint::FirstByte);
    let options = ConnectOptions::new().timeout(ms(5000));
    let error =
        asock::blocking::happy_eyeballs(&mut network, Target::Addresses(&[closes]), &options)
            .unwrap_err();
    assert_eq!(error.raw_os_error(), Some(libc::ECONNRESET));
    closer.join().unwrap();
}
