//! The same echo server with `tokio::net` and with asock differs only in one import: the
//! sources of `examples/examples/echo_tokio.rs` and `echo_asock.rs`, their module docs set
//! aside, must differ in exactly the line that imports `TcpListener` and `TcpStream`.

use std::path::Path;

/// The lines of an example, without its module docs (`//!`), which name the example.
fn code(name: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(format!("{name}.rs"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines().filter(|line| !line.starts_with("//!")).map(str::to_owned).collect()
}

#[test]
fn the_echo_twins_differ_only_in_the_import() {
    let (tokio, asock) = (code("echo_tokio"), code("echo_asock"));
    assert_eq!(tokio.len(), asock.len(), "the twins have different lengths");
    let differing: Vec<(&String, &String)> =
        tokio.iter().zip(&asock).filter(|(t, a)| t != a).collect();
    assert_eq!(
        differing,
        [(
            &"use tokio::net::{TcpListener, TcpStream};".to_owned(),
            &"use asock::net::{TcpListener, TcpStream};".to_owned()
        )],
        "the twins differ elsewhere than in the import"
    );
    // The listener line, the accept loop and the client are the same text.
    assert!(asock.iter().any(|l| l.contains("TcpListener::bind(\"127.0.0.1:0\").await?")));
    assert!(asock.iter().any(|l| l.contains("TcpStream::connect(addr).await?")));
}
