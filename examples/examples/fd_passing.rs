//! Passing an open file over a UNIX socket: `send_fds` / `recv_fds` (`SCM_RIGHTS`), Python
//! 3.9's `socket.send_fds` / `socket.recv_fds`.
//!
//! Run: `cargo run -p examples --example fd_passing`
//!
//! A "sender" thread opens a file and sends its fd over one end of a `socketpair`, with a
//! few bytes of ordinary data beside it (at least one byte must go with the fds). The
//! receiver gets a *new* fd number in its own table that refers to the same open file: it
//! can read the file even though it never opened it (permissions are checked when a file is
//! opened, not when an fd to it is used), and the two fds share the file offset, because
//! they share one open file description. The same works between processes; a thread keeps
//! the example self-contained.
//!
//! The second round passes a socket: one end of another socketpair travels over the first,
//! and the receiver talks through it.

use std::fs::File;
use std::io::{IoSlice, Read, Seek, SeekFrom, Write};
use std::os::fd::{AsFd, AsRawFd};
use std::thread;

use asock::blocking::{socketpair, Socket};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const CONTENT: &[u8] = b"the file's first line\nthe second line\n";

/// A file with `CONTENT`, already unlinked: only the open fd keeps it alive.
fn scratch_file() -> Result<File, BoxError> {
    let path = std::env::temp_dir().join(format!("asock-fd-passing-{}", std::process::id()));
    let mut file = File::options().read(true).write(true).create_new(true).open(&path)?;
    std::fs::remove_file(&path)?;
    file.write_all(CONTENT)?;
    file.seek(SeekFrom::Start(0))?;
    Ok(file)
}

fn pass_a_file(sender_end: Socket, receiver_end: &Socket) -> Result<(), BoxError> {
    let file = scratch_file()?;
    println!("sender: opened an unlinked file as fd {}", file.as_raw_fd());

    // The sender keeps its fd (the kernel duplicates it into the message), so it can watch
    // the shared offset move.
    let sender = thread::spawn(move || -> Result<File, BoxError> {
        let sent = sender_end.send_fds(&[IoSlice::new(b"file")], &[file.as_fd()], 0, None)?;
        assert_eq!(sent, 4);
        Ok(file)
    });

    let got = receiver_end.recv_fds(64, 1, 0)?;
    let mut file_sent = sender.join().map_err(|_| "sender panicked")??;
    assert_eq!(got.data, b"file");
    assert!(!got.flags.ctrunc(), "no fd was dropped for lack of room");
    let [fd] = <[_; 1]>::try_from(got.fds).map_err(|_| "expected exactly one fd")?;
    println!("receiver: got b'file' and fd {} (a new number, same open file)", fd.as_raw_fd());
    assert_ne!(fd.as_raw_fd(), file_sent.as_raw_fd());

    let mut received = File::from(fd);
    let mut first_line = [0; 22];
    received.read_exact(&mut first_line)?;
    println!("receiver: read b'{}'", first_line.escape_ascii());
    assert_eq!(&first_line, &CONTENT[..22]);

    // One open file description, one offset: the sender's fd has moved on too.
    let position = file_sent.stream_position()?;
    println!("sender: my fd's offset is now {position}, moved by the receiver's read");
    assert_eq!(position, 22);
    let mut rest = String::new();
    file_sent.read_to_string(&mut rest)?;
    assert_eq!(rest.as_bytes(), &CONTENT[22..]);
    Ok(())
}

fn pass_a_socket(sender_end: &Socket, receiver_end: &Socket) -> Result<(), BoxError> {
    let (kept, travelling) = socketpair()?;
    sender_end.send_fds(&[IoSlice::new(b"sock")], &[travelling.as_fd()], 0, None)?;
    drop(travelling); // the message holds its own reference until it is received

    let got = receiver_end.recv_fds(64, 1, 0)?;
    let fd = got.fds.into_iter().next().ok_or("no fd arrived")?;
    // Python's socket(fileno=fd): family and kind are read back from the fd.
    let arrived = Socket::from(fd);
    println!("receiver: got a {} {} socket; talking through it", arrived.family(), arrived.kind());
    arrived.send_all(b"hello through a passed socket")?;
    assert_eq!(kept.recv(64)?, b"hello through a passed socket");
    Ok(())
}

fn main() -> Result<(), BoxError> {
    let (a, b) = socketpair()?;
    b.set_timeout(Some(std::time::Duration::from_secs(5)))?; // a failed sender cannot hang us
    let a2 = a.dup()?; // the first round moves `a` into the sender thread
    pass_a_file(a, &b)?;
    pass_a_socket(&a2, &b)?;
    println!("ok");
    Ok(())
}
