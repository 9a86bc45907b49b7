//! `asock::net::ToSocketAddrs` and `lookup_host`: every address form, IP literals answered
//! at once, `localhost` resolved on a blocking thread, and the errors of text that is not
//! `host:port`. Each body runs under tokio, `asock::block_on` and
//! `futures::executor::block_on` (whose lookups go to tokio's blocking pool or asock's own).

mod reactor_support;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use asock::net::lookup_host;
use asock::{ErrorKind, Result, SockAddr};
use reactor_support::Executor;

on_every_backend!(
    addresses_are_taken_as_they_are,
    text_with_an_ip_is_parsed,
    a_host_name_is_resolved,
    bad_text_is_invalid_input,
    a_sockaddr_of_another_family_is_eafnosupport,
);

async fn all(addr: impl asock::net::ToSocketAddrs) -> Result<Vec<SocketAddr>> {
    Ok(lookup_host(addr).await?.collect())
}

async fn addresses_are_taken_as_they_are(_: Executor) -> Result<()> {
    let v4 = SocketAddr::from(([10, 1, 2, 3], 80));
    let v6: SocketAddr = "[2001:db8::1]:443".parse().unwrap();
    assert_eq!(all(v4).await?, [v4]);
    assert_eq!(all(&v4).await?, [v4]);
    assert_eq!(all(SocketAddrV4::new(Ipv4Addr::new(10, 1, 2, 3), 80)).await?, [v4]);
    assert_eq!(all(SocketAddrV6::new("2001:db8::1".parse().unwrap(), 443, 0, 0)).await?, [v6]);
    assert_eq!(all((IpAddr::from([10, 1, 2, 3]), 80)).await?, [v4]);
    assert_eq!(all((Ipv4Addr::new(10, 1, 2, 3), 80)).await?, [v4]);
    assert_eq!(all(("2001:db8::1".parse::<Ipv6Addr>().unwrap(), 443)).await?, [v6]);
    assert_eq!(all(&[v6, v4][..]).await?, [v6, v4]);
    assert_eq!(all(SockAddr::from(v6)).await?, [v6]);
    Ok(())
}

async fn text_with_an_ip_is_parsed(_: Executor) -> Result<()> {
    let v4 = SocketAddr::from(([192, 0, 2, 7], 8080));
    let v6: SocketAddr = "[2001:db8::7]:8080".parse().unwrap();
    assert_eq!(all("192.0.2.7:8080").await?, [v4]);
    assert_eq!(all(String::from("[2001:db8::7]:8080")).await?, [v6]);
    assert_eq!(all(("192.0.2.7", 8080)).await?, [v4]);
    assert_eq!(all(("2001:db8::7", 8080)).await?, [v6]);
    assert_eq!(all(("[2001:db8::7]", 8080)).await?, [v6], "brackets, as a URI's host has them");
    assert_eq!(all((String::from("192.0.2.7"), 8080)).await?, [v4]);
    Ok(())
}

async fn a_host_name_is_resolved(_: Executor) -> Result<()> {
    for addrs in [all("localhost:9").await?, all(("localhost", 9)).await?] {
        assert!(!addrs.is_empty());
        assert!(addrs.iter().all(|a| a.ip().is_loopback() && a.port() == 9), "{addrs:?}");
        // One entry per address: the lookup asks for one socket kind.
        let mut unique = addrs.clone();
        unique.dedup();
        assert_eq!(unique, addrs);
    }
    Ok(())
}

async fn bad_text_is_invalid_input(_: Executor) -> Result<()> {
    for (text, message) in [
        ("no port", "invalid socket address"),
        ("127.0.0.1", "invalid socket address"),
        ("localhost:", "invalid port value"),
        ("localhost:65536", "invalid port value"),
        ("localhost:http", "invalid port value"),
    ] {
        let err = all(text).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{text}");
        assert_eq!(err.to_string(), message, "{text}");
    }
    Ok(())
}

async fn a_sockaddr_of_another_family_is_eafnosupport(_: Executor) -> Result<()> {
    let unix = SockAddr::Unix(asock::UnixAddr::pathname("/tmp/x"));
    assert_eq!(all(unix).await.unwrap_err().raw_os_error(), Some(libc::EAFNOSUPPORT));
    Ok(())
}
