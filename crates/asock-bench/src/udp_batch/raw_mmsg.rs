//! `raw-mmsg-32`: `sendmmsg` / `recvmmsg` called through libc, batches of 32, every header
//! built once at set-up: the floor that asock's batch path is measured against.
//!
//! `raw-mmsg-32-named` is the same loop receiving what a server of an unconnected socket
//! needs and what asock's `try_recv_batch` and quinn-udp's `recv` always ask for: each
//! sender's address (`msg_name`) and room for control messages (`msg_control`, 256 bytes).
//! The kernel's work for the address is most of the difference between the two.

use std::io;
use std::mem::size_of;
use std::net::{SocketAddr, UdpSocket};
use std::os::fd::AsRawFd;

use super::{is_quiet, loopback_pair, payload, Flood, Received, BURST};

/// Messages per system call.
const BATCH: usize = 32;

struct RawMmsg {
    tx: UdpSocket,
    rx: UdpSocket,
    payload: Vec<u8>,
    /// The destination, as the kernel reads it.
    to: libc::sockaddr_in,
    send_iov: libc::iovec,
    send_hdrs: Vec<libc::mmsghdr>,
    bufs: Vec<Vec<u8>>,
    recv_iovs: Vec<libc::iovec>,
    recv_hdrs: Vec<libc::mmsghdr>,
    /// For the named variant: an address and a control buffer per message.
    names: Vec<libc::sockaddr_storage>,
    controls: Vec<[u8; CONTROL]>,
}

/// Control space per received message in the named variant, as asock gives it.
const CONTROL: usize = 256;

/// The raw mmsg loop for `payload`-byte datagrams.
///
/// # Errors
///
/// Setting up the sockets failed.
pub fn flood(payload_len: usize) -> io::Result<Box<dyn Flood>> {
    make(payload_len, false)
}

/// The raw mmsg loop that also receives each sender's address and control messages.
///
/// # Errors
///
/// Setting up the sockets failed.
pub fn named_flood(payload_len: usize) -> io::Result<Box<dyn Flood>> {
    make(payload_len, true)
}

fn make(payload_len: usize, named: bool) -> io::Result<Box<dyn Flood>> {
    let (tx, rx, to) = loopback_pair()?;
    let SocketAddr::V4(to) = to else { return Err(io::ErrorKind::Unsupported.into()) };
    let to = libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: to.port().to_be(),
        sin_addr: libc::in_addr { s_addr: u32::from_ne_bytes(to.ip().octets()) },
        sin_zero: [0; 8],
    };
    let mut flood = Box::new(RawMmsg {
        tx,
        rx,
        payload: payload(payload_len),
        to,
        send_iov: libc::iovec { iov_base: std::ptr::null_mut(), iov_len: 0 },
        send_hdrs: (0..BATCH).map(|_| zeroed_hdr()).collect(),
        bufs: vec![vec![0u8; 2048.max(payload_len)]; BATCH],
        recv_iovs: Vec::with_capacity(BATCH),
        recv_hdrs: (0..BATCH).map(|_| zeroed_hdr()).collect(),
        // SAFETY: sockaddr_storage is plain old data; all-zero is a valid value.
        names: if named { vec![unsafe { std::mem::zeroed() }; BATCH] } else { Vec::new() },
        controls: if named { vec![[0; CONTROL]; BATCH] } else { Vec::new() },
    });
    // Every pointer below is into the Box's own fields or their heap buffers, which never
    // move while the Box lives.
    let f = &mut *flood;
    f.send_iov = libc::iovec { iov_base: f.payload.as_mut_ptr().cast(), iov_len: f.payload.len() };
    for hdr in &mut f.send_hdrs {
        hdr.msg_hdr.msg_name = std::ptr::addr_of_mut!(f.to).cast();
        hdr.msg_hdr.msg_namelen = size_of::<libc::sockaddr_in>() as libc::socklen_t;
        hdr.msg_hdr.msg_iov = std::ptr::addr_of_mut!(f.send_iov);
        hdr.msg_hdr.msg_iovlen = 1;
    }
    for buf in &mut f.bufs {
        f.recv_iovs.push(libc::iovec { iov_base: buf.as_mut_ptr().cast(), iov_len: buf.len() });
    }
    for (i, (hdr, iov)) in f.recv_hdrs.iter_mut().zip(&mut f.recv_iovs).enumerate() {
        hdr.msg_hdr.msg_iov = iov;
        hdr.msg_hdr.msg_iovlen = 1;
        if named {
            hdr.msg_hdr.msg_name = std::ptr::addr_of_mut!(f.names[i]).cast();
            hdr.msg_hdr.msg_control = f.controls[i].as_mut_ptr().cast();
        }
    }
    Ok(flood)
}

fn zeroed_hdr() -> libc::mmsghdr {
    // SAFETY: mmsghdr is plain old data; all-zero is a valid, empty header.
    unsafe { std::mem::zeroed() }
}

impl Flood for RawMmsg {
    fn round(&mut self) -> io::Result<Received> {
        let mut sent = 0;
        while sent < BURST {
            let n = (BURST - sent).min(BATCH);
            // SAFETY: the headers point at `self.to`, `self.send_iov` and the payload, all
            // alive and unmoved (see `flood`); sendmmsg writes only each header's msg_len.
            let rc = unsafe {
                libc::sendmmsg(self.tx.as_raw_fd(), self.send_hdrs.as_mut_ptr(), n as u32, 0)
            };
            if rc < 0 {
                return Err(io::Error::last_os_error());
            }
            sent += rc as usize;
        }
        let mut got = Received::default();
        while got.datagrams < BURST {
            let n = (BURST - got.datagrams).min(BATCH);
            // The kernel shrinks these to what it wrote: give the whole room back.
            for hdr in &mut self.recv_hdrs[..n] {
                if !hdr.msg_hdr.msg_name.is_null() {
                    hdr.msg_hdr.msg_namelen = size_of::<libc::sockaddr_storage>() as _;
                    hdr.msg_hdr.msg_controllen = CONTROL;
                }
            }
            // SAFETY: the headers point at `self.recv_iovs`, which point at `self.bufs`, and
            // at `self.names` and `self.controls` (named variant), all alive and unmoved, each
            // with its true capacity.
            let rc = unsafe {
                libc::recvmmsg(
                    self.rx.as_raw_fd(),
                    self.recv_hdrs.as_mut_ptr(),
                    n as u32,
                    libc::MSG_WAITFORONE,
                    std::ptr::null_mut(),
                )
            };
            if rc < 0 {
                let e = io::Error::last_os_error();
                if is_quiet(&e) {
                    break;
                }
                return Err(e);
            }
            for hdr in &self.recv_hdrs[..rc as usize] {
                got.add(hdr.msg_len as usize, 1, self.payload.len())?;
            }
        }
        Ok(got)
    }
}
