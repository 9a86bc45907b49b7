//! Fd passing between processes: asock to asock (this test binary run again as the child),
//! and with python3's `socket.send_fds` / `socket.recv_fds` as the peer.
//!
//! Each scene meets over an abstract UNIX socket named after the test and this process, so
//! nothing touches the filesystem and parallel runs cannot collide. Every wait is bounded.

use std::fs::File;
use std::io::{IoSlice, Read, Write};
use std::os::fd::AsFd;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use asock::blocking::Socket;
use asock::{AddressFamily, Protocol, SockAddr, SocketKind, UnixAddr};

const LIMIT: Duration = Duration::from_secs(10);
const CHILD_ENV: &str = "ASOCK_FD_PASSING_CHILD";

fn abstract_name(tag: &str) -> String {
    format!("asock-fdpass-{tag}-{}", std::process::id())
}

fn unix_stream() -> Socket {
    let s =
        Socket::new(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM, Protocol::from(0)).unwrap();
    s.set_timeout(Some(LIMIT)).unwrap();
    s
}

fn listener(name: &str) -> Socket {
    let s = unix_stream();
    s.bind(&SockAddr::Unix(UnixAddr::abstract_name(name))).unwrap();
    s.listen(Some(1)).unwrap();
    s
}

/// Waits for `child` at most [`LIMIT`], killing it past that; its output.
fn finish(mut child: Child) -> Output {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > LIMIT {
            child.kill().unwrap();
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

/// A file only this test names, removed on drop.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(tag: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!("asock-fdpass-{tag}-{}", std::process::id()));
        std::fs::write(&path, b"").unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

// ===== asock <-> asock, two processes =====

#[test]
fn fd_passing_between_two_processes() {
    let name = abstract_name("procs");
    let server = listener(&name);
    let child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_half_of_fd_passing",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &name)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (conn, _) = server.accept().unwrap();

    // Parent -> child: a file opened for appending; the child writes through it.
    let tmp = TempFile::new("procs");
    let file = File::options().append(true).open(&tmp.0).unwrap();
    conn.send_fds(&[IoSlice::new(b"write here")], &[file.as_fd()], 0, None).unwrap();

    // Child -> parent: one end of a socketpair the child made; the child writes at the other.
    let got = conn.recv_fds(64, 1, 0).unwrap();
    assert_eq!(got.data, b"read there");
    assert_eq!(got.fds.len(), 1);
    let theirs = Socket::from(got.fds.into_iter().next().unwrap());
    theirs.set_timeout(Some(LIMIT)).unwrap();
    let mut text = Vec::new();
    (&theirs).read_to_end(&mut text).unwrap();

    let out = finish(child);
    assert!(out.status.success(), "child failed: {}", String::from_utf8_lossy(&out.stderr));
    let child_pid = String::from_utf8_lossy(&out.stdout)
        .lines()
        // libtest prints "test child_half_of_fd_passing ... " before the line, unbroken.
        .find_map(|l| l.split_once("child pid ").map(|(_, pid)| pid.trim().to_owned()))
        .expect("the child reports its pid");
    assert_ne!(child_pid, std::process::id().to_string());
    assert_eq!(String::from_utf8(text).unwrap(), format!("hello from {child_pid}"));
    assert_eq!(std::fs::read_to_string(&tmp.0).unwrap(), format!("written by {child_pid}"));
}

/// The child process of [`fd_passing_between_two_processes`], which runs this binary again
/// with only this test selected; on its own it has nothing to do.
#[test]
#[ignore = "the child half of fd_passing_between_two_processes, which runs it"]
fn child_half_of_fd_passing() {
    let name = std::env::var(CHILD_ENV).expect("run by fd_passing_between_two_processes");
    let me = std::process::id();
    println!("child pid {me}");
    let conn = unix_stream();
    conn.connect(&SockAddr::Unix(UnixAddr::abstract_name(&name))).unwrap();

    let got = conn.recv_fds(64, 1, 0).unwrap();
    assert_eq!(got.data, b"write here");
    let mut file = File::from(got.fds.into_iter().next().expect("one fd"));
    write!(file, "written by {me}").unwrap();

    let (mine, theirs) = asock::blocking::socketpair().unwrap();
    conn.send_fds(&[IoSlice::new(b"read there")], &[theirs.as_fd()], 0, None).unwrap();
    drop(theirs);
    (&mine).write_all(format!("hello from {me}").as_bytes()).unwrap();
}

// ===== python3 as the peer =====

/// Runs `script` under python3 with `args`; `None` (after printing why) without python3.
fn python(script: &str, args: &[&str]) -> Option<Child> {
    match Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => Some(child),
        Err(e) => {
            println!("SKIPPED: python3 is not available ({e})");
            None
        }
    }
}

/// Python sends the write end of a pipe with `socket.send_fds`; asock writes through it and
/// Python reads what arrived at the read end.
const PY_SENDS: &str = r#"
import os, signal, socket, sys
signal.alarm(10)
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect("\0" + sys.argv[1])
r, w = os.pipe()
socket.send_fds(s, [b"from python"], [w])
os.close(w)
data = b""
while chunk := os.read(r, 100):
    data += chunk
sys.stdout.write(data.decode())
"#;

#[test]
fn python_send_fds_reaches_asock() {
    let name = abstract_name("py-sends");
    let server = listener(&name);
    let Some(child) = python(PY_SENDS, &[&name]) else { return };
    let (conn, _) = server.accept().unwrap();
    let got = conn.recv_fds(64, 4, 0).unwrap();
    assert_eq!(got.data, b"from python");
    assert_eq!(got.fds.len(), 1);
    assert!(!got.flags.ctrunc());
    let mut pipe = File::from(got.fds.into_iter().next().unwrap());
    pipe.write_all(b"asock wrote this").unwrap();
    drop(pipe); // the last write end: Python's read sees EOF

    let out = finish(child);
    assert!(out.status.success(), "python failed: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "asock wrote this");
}

/// Python receives a file opened for appending with `socket.recv_fds` and writes through it.
const PY_RECEIVES: &str = r#"
import os, signal, socket, sys
signal.alarm(10)
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect("\0" + sys.argv[1])
msg, fds, flags, addr = socket.recv_fds(s, 100, 4)
assert len(fds) == 2, fds
os.write(fds[0], b"python wrote " + msg)
os.write(fds[1], b" twice")
for fd in fds:
    os.close(fd)
print(flags)
"#;

#[test]
fn asock_send_fds_reaches_python() {
    let name = abstract_name("py-receives");
    let server = listener(&name);
    let Some(child) = python(PY_RECEIVES, &[&name]) else { return };
    let (conn, _) = server.accept().unwrap();
    let tmp = TempFile::new("py-receives");
    let file = File::options().append(true).open(&tmp.0).unwrap();
    let again = file.try_clone().unwrap();
    conn.send_fds(&[IoSlice::new(b"this")], &[file.as_fd(), again.as_fd()], 0, None).unwrap();

    let out = finish(child);
    assert!(out.status.success(), "python failed: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "0", "Python's msg_flags");
    assert_eq!(std::fs::read_to_string(&tmp.0).unwrap(), "python wrote this twice");
}

/// Python's `recvmsg` and asock's agree on what a `sendmsg` with raw `(level, type, data)`
/// tuples puts on the wire: Python sends credentials and data, asock decodes them.
const PY_SENDS_CREDENTIALS: &str = r#"
import os, signal, socket, struct, sys
signal.alarm(10)
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect("\0" + sys.argv[1])
creds = struct.pack("iII", os.getpid(), os.getuid(), os.getgid())
s.sendmsg([b"creds"], [(socket.SOL_SOCKET, socket.SCM_CREDENTIALS, creds)])
print(os.getpid(), os.getuid(), os.getgid())
"#;

#[test]
fn python_credentials_decode_in_asock() {
    let name = abstract_name("py-creds");
    let server = listener(&name);
    let Some(child) = python(PY_SENDS_CREDENTIALS, &[&name]) else { return };
    let (conn, _) = server.accept().unwrap();
    conn.options().set_option(libc::SOL_SOCKET, libc::SO_PASSCRED, 1).unwrap();
    let size = asock::ancillary::ControlSize::new().credentials().bytes();
    let msg = conn.recv_msg(16, size, 0).unwrap();
    let out = finish(child);
    assert!(out.status.success(), "python failed: {}", String::from_utf8_lossy(&out.stderr));
    let want: Vec<String> =
        String::from_utf8_lossy(&out.stdout).split_whitespace().map(str::to_owned).collect();
    assert_eq!(msg.data, b"creds");
    match &msg.ancillary[..] {
        [asock::ancillary::ControlMessage::ScmCredentials(c)] => {
            assert_eq!(vec![c.pid.to_string(), c.uid.to_string(), c.gid.to_string()], want);
        }
        other => panic!("{other:?}"),
    }
}
