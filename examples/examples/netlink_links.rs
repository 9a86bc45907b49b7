//! Listing the network interfaces with a netlink route dump: `AF_NETLINK`, `NETLINK_ROUTE`,
//! `RTM_GETLINK` with `NLM_F_DUMP`, parsed by hand (what `ip link` does).
//!
//! Run: `cargo run -p examples --example netlink_links`
//!
//! Netlink is a datagram protocol between a process and the kernel (netlink(7),
//! rtnetlink(7)). A request is a `struct nlmsghdr` followed by a family-specific header, here
//! a `struct ifinfomsg`; the answer is a series of datagrams, each holding one or more
//! `RTM_NEWLINK` messages (one per interface: an `ifinfomsg`, then attributes as
//! `struct rtattr` type-length-value records), ended by an `NLMSG_DONE` message. Every
//! record is padded to 4 bytes. The parser below reads those layouts from the byte buffer
//! with bounds checks and no `unsafe`: a short or malformed message is an error, never a
//! panic or an out-of-bounds read.
//!
//! The example checks its answer against sysfs: the loopback interface `lo` must be there,
//! and each interface's index must match `/sys/class/net/NAME/ifindex` where that exists.

use std::time::Duration;

use asock::blocking::Socket;
use asock::{consts, AddressFamily, NetlinkAddr, Protocol, SockAddr, SocketKind};

type BoxError = Box<dyn std::error::Error>;

// Sizes and constants of linux/netlink.h and linux/rtnetlink.h.
const NLMSG_HDRLEN: usize = 16; // struct nlmsghdr
const IFINFOMSG_LEN: usize = 16; // struct ifinfomsg
const RTA_HDRLEN: usize = 4; // struct rtattr
const RTM_GETLINK: u16 = libc::RTM_GETLINK;
const RTM_NEWLINK: u16 = libc::RTM_NEWLINK;
const NLMSG_DONE: u16 = libc::NLMSG_DONE as u16;
const NLMSG_ERROR: u16 = libc::NLMSG_ERROR as u16;
const IFLA_ADDRESS: u16 = libc::IFLA_ADDRESS;
const IFLA_IFNAME: u16 = libc::IFLA_IFNAME;
const IFLA_MTU: u16 = libc::IFLA_MTU;

/// What the dump says about one interface.
#[derive(Debug, Default)]
struct Link {
    index: i32,
    name: String,
    flags: u32,
    mtu: Option<u32>,
    mac: Vec<u8>,
}

/// Netlink's 4-byte alignment (`NLMSG_ALIGN`, `RTA_ALIGN`).
fn align4(len: usize) -> usize {
    (len + 3) & !3
}

/// Reads a native-endian integer of `N` bytes at `at`, or fails if the buffer is too short.
fn read<const N: usize>(buf: &[u8], at: usize) -> Result<[u8; N], BoxError> {
    let bytes = buf.get(at..at + N).ok_or("netlink message too short")?;
    Ok(bytes.try_into()?)
}
fn u16_at(buf: &[u8], at: usize) -> Result<u16, BoxError> {
    Ok(u16::from_ne_bytes(read(buf, at)?))
}
fn u32_at(buf: &[u8], at: usize) -> Result<u32, BoxError> {
    Ok(u32::from_ne_bytes(read(buf, at)?))
}
fn i32_at(buf: &[u8], at: usize) -> Result<i32, BoxError> {
    Ok(i32::from_ne_bytes(read(buf, at)?))
}

/// The request: `nlmsghdr { len, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, seq, pid 0 }`
/// followed by an all-zero `ifinfomsg` (`AF_UNSPEC`: every interface).
fn getlink_request(seq: u32) -> Vec<u8> {
    let len = (NLMSG_HDRLEN + IFINFOMSG_LEN) as u32;
    let flags = (libc::NLM_F_REQUEST | libc::NLM_F_DUMP) as u16;
    let mut msg = Vec::with_capacity(len as usize);
    msg.extend_from_slice(&len.to_ne_bytes());
    msg.extend_from_slice(&RTM_GETLINK.to_ne_bytes());
    msg.extend_from_slice(&flags.to_ne_bytes());
    msg.extend_from_slice(&seq.to_ne_bytes());
    msg.extend_from_slice(&0u32.to_ne_bytes()); // pid: the kernel fills in ours
    msg.extend_from_slice(&[0; IFINFOMSG_LEN]);
    msg
}

/// Parses one `RTM_NEWLINK` payload: an `ifinfomsg`, then `rtattr`s.
fn parse_link(payload: &[u8]) -> Result<Link, BoxError> {
    // struct ifinfomsg { u8 family; u8 pad; u16 type; i32 index; u32 flags; u32 change; }
    let mut link =
        Link { index: i32_at(payload, 4)?, flags: u32_at(payload, 8)?, ..Link::default() };
    let mut at = IFINFOMSG_LEN;
    while at + RTA_HDRLEN <= payload.len() {
        let rta_len = usize::from(u16_at(payload, at)?);
        let rta_type = u16_at(payload, at + 2)? & !(libc::NLA_F_NESTED as u16);
        if rta_len < RTA_HDRLEN {
            return Err("rtattr shorter than its header".into()); // and we would loop forever
        }
        let value = payload.get(at + RTA_HDRLEN..at + rta_len).ok_or("rtattr past its message")?;
        match rta_type {
            IFLA_IFNAME => {
                // A C string: up to the first NUL.
                let name = value.split(|&b| b == 0).next().unwrap_or_default();
                link.name = String::from_utf8_lossy(name).into_owned();
            }
            IFLA_MTU => link.mtu = Some(u32_at(value, 0)?),
            IFLA_ADDRESS => link.mac = value.to_vec(),
            _ => {} // dozens more: statistics, qdisc, operstate, ...
        }
        at += align4(rta_len);
    }
    Ok(link)
}

/// Parses one datagram of the answer into `links`; returns whether it held `NLMSG_DONE`.
fn parse_datagram(buf: &[u8], seq: u32, links: &mut Vec<Link>) -> Result<bool, BoxError> {
    let mut at = 0;
    while at + NLMSG_HDRLEN <= buf.len() {
        let len = u32_at(buf, at)? as usize;
        let kind = u16_at(buf, at + 4)?;
        let msg_seq = u32_at(buf, at + 8)?;
        if len < NLMSG_HDRLEN {
            return Err("nlmsghdr shorter than itself".into());
        }
        let payload = buf.get(at + NLMSG_HDRLEN..at + len).ok_or("nlmsghdr past the datagram")?;
        if msg_seq != seq {
            return Err(format!("answer to another request (seq {msg_seq}, ours {seq})").into());
        }
        match kind {
            NLMSG_DONE => return Ok(true),
            NLMSG_ERROR => {
                // struct nlmsgerr { int error; struct nlmsghdr msg; }: a negative errno.
                let errno = i32_at(payload, 0)?;
                return Err(asock::Error::from_errno(-errno).into());
            }
            RTM_NEWLINK => links.push(parse_link(payload)?),
            _ => {}
        }
        at += align4(len);
    }
    Ok(false)
}

fn dump_links() -> Result<Vec<Link>, BoxError> {
    let protocol = Protocol::from(consts::NETLINK_ROUTE);
    let sock = Socket::new(AddressFamily::AF_NETLINK, SocketKind::SOCK_RAW, protocol)?;
    sock.set_timeout(Some(Duration::from_secs(5)))?;
    // pid 0 in bind: the kernel assigns our port id (usually our process id).
    sock.bind(&SockAddr::Netlink(NetlinkAddr { pid: 0, groups: 0 }))?;
    println!("netlink socket bound to {}", sock.local_addr()?);

    let seq = 1;
    let kernel = SockAddr::Netlink(NetlinkAddr { pid: 0, groups: 0 });
    sock.send_to(&getlink_request(seq), &kernel)?;

    let mut links = Vec::new();
    loop {
        // The kernel sends at most a page-sized or so datagram per read; 64 KiB is plenty.
        let (datagram, from) = sock.recv_from(65_536)?;
        assert_eq!(from, kernel, "only the kernel answers a dump");
        if parse_datagram(&datagram, seq, &mut links)? {
            return Ok(links);
        }
    }
}

fn main() -> Result<(), BoxError> {
    let links = dump_links()?;
    println!("{:>5}  {:<16} {:>6}  {:<17}  flags", "index", "name", "mtu", "address");
    for link in &links {
        let mac: Vec<String> = link.mac.iter().map(|b| format!("{b:02x}")).collect();
        let mut flags = Vec::new();
        for (bit, name) in [(libc::IFF_UP, "UP"), (libc::IFF_LOOPBACK, "LOOPBACK")] {
            if link.flags & bit as u32 != 0 {
                flags.push(name);
            }
        }
        let mtu = link.mtu.map_or_else(|| "-".to_owned(), |m| m.to_string());
        println!(
            "{:>5}  {:<16} {mtu:>6}  {:<17}  {}",
            link.index,
            link.name,
            mac.join(":"),
            flags.join(",")
        );
    }

    let lo = links.iter().find(|l| l.name == "lo").ok_or("no loopback interface in the dump")?;
    assert!(lo.flags & libc::IFF_LOOPBACK as u32 != 0, "lo has IFF_LOOPBACK");
    for link in &links {
        assert!(link.index > 0 && !link.name.is_empty(), "{link:?}");
        let sysfs = format!("/sys/class/net/{}/ifindex", link.name);
        if let Ok(text) = std::fs::read_to_string(&sysfs) {
            assert_eq!(text.trim().parse::<i32>()?, link.index, "{sysfs}");
        }
    }
    println!("ok: {} interfaces, indexes agree with /sys/class/net", links.len());
    Ok(())
}
