//! `create_server` and `has_dualstack_ipv6`, as CPython 3.8+ defines them.

mod blocking_util;

use asock::blocking::{create_server, has_dualstack_ipv6, ServerOptions, Socket};
use asock::{AddressFamily, ErrorKind, SockAddr, SocketKind, UnixAddr};
use blocking_util::*;

#[test]
fn create_server_listens_on_ipv4_with_reuse_address() {
    let s = create_server(&addr("127.0.0.1:0"), &ServerOptions::default()).unwrap();
    assert_eq!((s.family(), s.kind()), (AddressFamily::AF_INET, SocketKind::SOCK_STREAM));
    assert!(s.options().is_listener().unwrap());
    assert!(s.options().reuse_address().unwrap(), "CPython sets SO_REUSEADDR on POSIX");
    assert!(!s.options().reuse_port().unwrap());
    let c = tcp4();
    c.connect(&s.local_addr().unwrap()).unwrap();
    s.accept().unwrap();
}

#[test]
fn create_server_on_ipv6_sets_v6only_unless_dual_stack() {
    let s = create_server(&addr("[::]:0"), &ServerOptions::default()).unwrap();
    assert!(s.options().only_v6().unwrap());
    let port = s.local_addr().unwrap().port().unwrap();
    let c = tcp4();
    assert_eq!(errno(c.connect(&addr(&format!("127.0.0.1:{port}")))), libc::ECONNREFUSED);
}

#[test]
fn create_server_dual_stack_accepts_ipv4_and_ipv6() {
    if !has_dualstack_ipv6() {
        return skipped("no dual-stack IPv6 on this system");
    }
    let options = ServerOptions { dualstack_ipv6: true, ..Default::default() };
    let s = create_server(&addr("[::]:0"), &options).unwrap();
    assert!(!s.options().only_v6().unwrap());
    let port = s.local_addr().unwrap().port().unwrap();
    tcp4().connect(&addr(&format!("127.0.0.1:{port}"))).unwrap();
    tcp6().connect(&addr(&format!("[::1]:{port}"))).unwrap();
    let (_, first) = s.accept().unwrap();
    let (_, second) = s.accept().unwrap();
    assert!(first.to_string().starts_with("[::ffff:127.0.0.1]:"), "{first}");
    assert!(second.to_string().starts_with("[::1]:"), "{second}");
}

#[test]
fn create_server_dual_stack_on_ipv4_is_pythons_value_error() {
    let options = ServerOptions { dualstack_ipv6: true, ..Default::default() };
    let err = create_server(&addr("127.0.0.1:0"), &options).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.to_string(), "dualstack_ipv6 requires AF_INET6 family");
}

#[test]
fn create_server_with_reuse_port_lets_two_servers_share_a_port() {
    let options = ServerOptions { reuse_port: true, ..Default::default() };
    let a = create_server(&addr("127.0.0.1:0"), &options).unwrap();
    assert!(a.options().reuse_port().unwrap());
    let b = create_server(&a.local_addr().unwrap(), &options).unwrap();
    assert_eq!(a.local_addr().unwrap(), b.local_addr().unwrap());
}

#[test]
fn create_server_on_a_port_in_use_is_eaddrinuse() {
    let a = create_server(&addr("127.0.0.1:0"), &ServerOptions::default()).unwrap();
    let err = create_server(&a.local_addr().unwrap(), &ServerOptions::default());
    assert_eq!(errno(err), libc::EADDRINUSE);
}

#[test]
fn create_server_with_a_family_unlike_the_address_is_eafnosupport() {
    let options = ServerOptions { family: Some(AddressFamily::AF_INET6), ..Default::default() };
    assert_eq!(errno(create_server(&addr("127.0.0.1:0"), &options)), libc::EAFNOSUPPORT);
}

#[test]
fn create_server_on_a_unix_path_listens() {
    let path = temp_path("server");
    let at: SockAddr = UnixAddr::pathname(&path).into();
    let s = create_server(&at, &ServerOptions { backlog: Some(4), ..Default::default() }).unwrap();
    assert_eq!(s.family(), AddressFamily::AF_UNIX);
    let c = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM);
    c.connect(&at).unwrap();
    s.accept().unwrap();
    std::fs::remove_file(path).unwrap();
}

#[test]
fn create_server_gives_the_default_mode() {
    let s = create_server(&addr("127.0.0.1:0"), &ServerOptions::default()).unwrap();
    assert_eq!(s.timeout(), None);
}

#[test]
fn has_dualstack_ipv6_agrees_with_python() {
    let python = python_output("import socket; print(socket.has_dualstack_ipv6())");
    assert_eq!(python.trim() == "True", has_dualstack_ipv6());
}

#[test]
fn create_server_options_agree_with_pythons_create_server() {
    // Differential: the options CPython's create_server leaves on its socket.
    let python = python_output(
        "import socket as s\n\
         v4 = s.create_server(('127.0.0.1', 0))\n\
         v6 = s.create_server(('::1', 0), family=s.AF_INET6)\n\
         print(v4.getsockopt(s.SOL_SOCKET, s.SO_REUSEADDR), v6.getsockopt(s.IPPROTO_IPV6, s.IPV6_V6ONLY), v4.gettimeout())",
    );
    let v4 = create_server(&addr("127.0.0.1:0"), &ServerOptions::default()).unwrap();
    let v6 = create_server(&addr("[::1]:0"), &ServerOptions::default()).unwrap();
    let ours = format!(
        "{} {} {}",
        i32::from(v4.options().reuse_address().unwrap()),
        i32::from(v6.options().only_v6().unwrap()),
        if v4.timeout().is_none() { "None" } else { "?" }
    );
    assert_eq!(python.trim(), ours);
}

#[test]
fn accepted_connection_works_as_a_socket() {
    let s = create_server(&addr("[::1]:0"), &ServerOptions::default()).unwrap();
    let c = Socket::new(AddressFamily::AF_INET6, SocketKind::SOCK_STREAM, None).unwrap();
    c.connect(&s.local_addr().unwrap()).unwrap();
    let (conn, _) = s.accept().unwrap();
    conn.send_all(b"welcome").unwrap();
    assert_eq!(c.recv(7).unwrap(), b"welcome");
}
