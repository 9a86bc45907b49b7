//! `asock_core::Error` and `std::io::Error`: each converts into the other and back without
//! losing its kind, its errno or its message; `source()` reaches what lies underneath.

use std::error::Error as _;
use std::fmt;
use std::io;

use asock_core::{Error, ErrorKind};

/// Every `io::ErrorKind` a program can construct on Rust 1.85 (the workspace's MSRV).
const IO_KINDS: &[io::ErrorKind] = &[
    io::ErrorKind::NotFound,
    io::ErrorKind::PermissionDenied,
    io::ErrorKind::ConnectionRefused,
    io::ErrorKind::ConnectionReset,
    io::ErrorKind::HostUnreachable,
    io::ErrorKind::NetworkUnreachable,
    io::ErrorKind::ConnectionAborted,
    io::ErrorKind::NotConnected,
    io::ErrorKind::AddrInUse,
    io::ErrorKind::AddrNotAvailable,
    io::ErrorKind::NetworkDown,
    io::ErrorKind::BrokenPipe,
    io::ErrorKind::AlreadyExists,
    io::ErrorKind::WouldBlock,
    io::ErrorKind::NotADirectory,
    io::ErrorKind::IsADirectory,
    io::ErrorKind::DirectoryNotEmpty,
    io::ErrorKind::ReadOnlyFilesystem,
    io::ErrorKind::StaleNetworkFileHandle,
    io::ErrorKind::InvalidInput,
    io::ErrorKind::InvalidData,
    io::ErrorKind::TimedOut,
    io::ErrorKind::WriteZero,
    io::ErrorKind::StorageFull,
    io::ErrorKind::NotSeekable,
    io::ErrorKind::QuotaExceeded,
    io::ErrorKind::FileTooLarge,
    io::ErrorKind::ResourceBusy,
    io::ErrorKind::ExecutableFileBusy,
    io::ErrorKind::Deadlock,
    io::ErrorKind::CrossesDevices,
    io::ErrorKind::TooManyLinks,
    io::ErrorKind::ArgumentListTooLong,
    io::ErrorKind::Interrupted,
    io::ErrorKind::Unsupported,
    io::ErrorKind::UnexpectedEof,
    io::ErrorKind::OutOfMemory,
    io::ErrorKind::Other,
];

/// An error type of the user's, to find again inside the round-tripped `io::Error`.
#[derive(Debug, PartialEq)]
struct Mine(u32);

impl fmt::Display for Mine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "mine #{}", self.0)
    }
}

impl std::error::Error for Mine {}

fn there_and_back(io: io::Error) -> io::Error {
    io::Error::from(Error::from(io))
}

/// Everything an asock error answers, to compare before and after a trip.
fn facts(e: &Error) -> (ErrorKind, Option<i32>, Option<i32>, String, io::ErrorKind, usize) {
    (e.kind(), e.raw_os_error(), e.errno(), e.to_string(), e.io_kind(), e.errors().len())
}

/// One asock error of every shape.
fn asock_errors() -> Vec<Error> {
    let mut errors = vec![
        Error::timeout(),
        Error::invalid_input("Timeout value out of range"),
        Error::invalid_input(String::from("port must be 0-65535.")),
        Error::gai(libc::EAI_SYSTEM, Some(libc::ECONNREFUSED)),
        Error::gai(libc::EAI_SYSTEM, Some(libc::EAGAIN)),
        Error::gai(libc::EAI_SYSTEM, None),
        Error::multiple(
            "all connection attempts failed",
            vec![
                ("[::1]:80".into(), Error::from_errno(libc::ENETUNREACH)),
                ("127.0.0.1:80".into(), Error::from_errno(libc::ECONNREFUSED)),
            ],
        ),
        Error::multiple("nested", vec![("x".into(), Error::timeout())]),
        Error::from(io::Error::new(io::ErrorKind::UnexpectedEof, "early eof")),
        Error::from(io::Error::from(io::ErrorKind::WouldBlock)),
    ];
    errors.extend((1..=133).map(Error::from_errno));
    errors.extend((-12..=-1).map(|code| Error::gai(code, None)));
    errors.extend((1..=4).map(Error::host));
    errors
}

// ===== io::Error -> asock -> io::Error =====

#[test]
fn io_error_with_an_errno_keeps_errno_kind_and_message() {
    for errno in 1..=133 {
        let io = io::Error::from_raw_os_error(errno);
        let (kind, text) = (io.kind(), io.to_string());
        let asock = Error::from(io);
        assert_eq!((asock.kind(), asock.raw_os_error()), (ErrorKind::Os, Some(errno)));
        let back = io::Error::from(asock);
        assert_eq!(back.raw_os_error(), Some(errno));
        assert_eq!(back.kind(), kind, "errno {errno}");
        assert_eq!(back.to_string(), text);
    }
}

#[test]
fn io_error_of_a_bare_kind_keeps_its_kind_and_message() {
    for &kind in IO_KINDS {
        let io = io::Error::from(kind);
        let text = io.to_string();
        let back = there_and_back(io);
        assert_eq!(back.kind(), kind);
        assert_eq!(back.raw_os_error(), None, "{kind:?}");
        assert_eq!(back.to_string(), text, "{kind:?}");
    }
}

#[test]
fn io_error_with_a_message_keeps_its_kind_and_message() {
    for &kind in IO_KINDS {
        let message = format!("a message for {kind:?}");
        let asock = Error::from(io::Error::new(kind, message.clone()));
        assert_eq!(asock.to_string(), message, "Display of the asock error");
        assert_eq!(asock.raw_os_error(), None);
        assert_eq!(asock.io_kind(), kind);
        let back = io::Error::from(asock);
        assert_eq!((back.kind(), back.to_string()), (kind, message));
    }
}

#[test]
fn io_error_with_an_inner_error_keeps_the_inner_error() {
    for (n, &kind) in IO_KINDS.iter().enumerate() {
        let tag = u32::try_from(n).unwrap();
        let back = there_and_back(io::Error::new(kind, Mine(tag)));
        assert_eq!(back.kind(), kind);
        let inner = back.get_ref().and_then(|e| e.downcast_ref::<Mine>());
        assert_eq!(inner, Some(&Mine(tag)), "{kind:?}");
    }
}

// ===== asock -> io::Error -> asock =====

#[test]
fn asock_error_survives_a_trip_through_io_error() {
    for error in asock_errors() {
        let before = facts(&error);
        let io = io::Error::from(error);
        assert_eq!(io.kind(), before.4, "io kind of {}", before.3);
        let after = facts(&Error::from(io));
        assert_eq!(after, before);
    }
}

#[test]
fn an_errno_stays_a_raw_os_error_in_io_error() {
    for errno in [libc::EAGAIN, libc::ECONNREFUSED, libc::EPIPE, libc::EMFILE] {
        let io = io::Error::from(Error::from_errno(errno));
        assert_eq!(io.raw_os_error(), Some(errno));
        assert_eq!(io.kind(), io::Error::from_raw_os_error(errno).kind());
    }
    assert_eq!(io::Error::from(Error::from_errno(libc::EAGAIN)).kind(), io::ErrorKind::WouldBlock);
}

#[test]
fn io_kinds_of_asock_errors_say_what_happened() {
    let cases = [
        (Error::timeout(), io::ErrorKind::TimedOut),
        (Error::invalid_input("bad"), io::ErrorKind::InvalidInput),
        (Error::gai(libc::EAI_NONAME, None), io::ErrorKind::NotFound),
        (Error::gai(libc::EAI_NODATA, None), io::ErrorKind::NotFound),
        (Error::gai(-9, None), io::ErrorKind::NotFound), // EAI_ADDRFAMILY
        (Error::gai(libc::EAI_SERVICE, None), io::ErrorKind::NotFound),
        (Error::gai(libc::EAI_BADFLAGS, None), io::ErrorKind::InvalidInput),
        (Error::gai(libc::EAI_FAMILY, None), io::ErrorKind::Unsupported),
        (Error::gai(libc::EAI_SOCKTYPE, None), io::ErrorKind::Unsupported),
        (Error::gai(libc::EAI_MEMORY, None), io::ErrorKind::OutOfMemory),
        (Error::gai(libc::EAI_AGAIN, None), io::ErrorKind::Other),
        (Error::gai(libc::EAI_FAIL, None), io::ErrorKind::Other),
        (Error::gai(libc::EAI_SYSTEM, Some(libc::ECONNREFUSED)), io::ErrorKind::ConnectionRefused),
        // Never WouldBlock: no fd will turn ready for a resolver.
        (Error::gai(libc::EAI_SYSTEM, Some(libc::EAGAIN)), io::ErrorKind::Other),
        (Error::host(1), io::ErrorKind::NotFound), // HOST_NOT_FOUND
        (Error::host(2), io::ErrorKind::Other),    // TRY_AGAIN
        (Error::host(3), io::ErrorKind::Other),    // NO_RECOVERY
        (Error::host(4), io::ErrorKind::NotFound), // NO_DATA
    ];
    for (error, kind) in cases {
        let text = error.to_string();
        let io = io::Error::from(error);
        assert_eq!(io.kind(), kind, "{text}");
        // The asock error rides inside, Display unchanged.
        assert_eq!(io.to_string(), text);
        assert!(io.get_ref().is_some_and(|e| e.is::<Error>()), "{text}");
    }
}

// ===== io::Error without an errno, as an asock error =====

#[test]
fn errno_less_io_error_maps_to_pythons_exception_kinds() {
    let kind_of = |kind| Error::from(io::Error::from(kind)).kind();
    assert_eq!(kind_of(io::ErrorKind::TimedOut), ErrorKind::Timeout);
    assert_eq!(kind_of(io::ErrorKind::InvalidInput), ErrorKind::InvalidInput);
    // Python's OSError with errno None.
    assert_eq!(kind_of(io::ErrorKind::UnexpectedEof), ErrorKind::Os);
    assert_eq!(kind_of(io::ErrorKind::NotFound), ErrorKind::Os);
    let e = Error::from(io::Error::new(io::ErrorKind::ConnectionReset, "peer went away"));
    assert_eq!((e.raw_os_error(), e.errno()), (None, None));
    assert_eq!(e.io_kind(), io::ErrorKind::ConnectionReset);
    assert_eq!(e.to_string(), "peer went away");
}

#[test]
fn errno_less_would_block_is_would_block() {
    assert!(Error::from(io::Error::from(io::ErrorKind::WouldBlock)).is_would_block());
    assert!(Error::from(io::Error::new(io::ErrorKind::WouldBlock, "not yet")).is_would_block());
    assert!(!Error::from(io::Error::from(io::ErrorKind::Interrupted)).is_would_block());
}

#[test]
fn a_timed_out_io_error_prints_as_python_prints_a_timeout() {
    let e = Error::from(io::Error::from(io::ErrorKind::TimedOut));
    assert_eq!(e.to_string(), Error::timeout().to_string());
}

#[test]
fn an_asock_error_wrapped_under_another_kind_is_kept_whole() {
    // Someone else's wrapping: the kind they chose is kept, and the asock error is reachable.
    let io = io::Error::other(Error::timeout());
    let e = Error::from(io);
    assert_eq!(e.kind(), ErrorKind::Os);
    assert_eq!(e.to_string(), "timed out");
    let source = e.source().and_then(|s| s.downcast_ref::<io::Error>()).expect("the io::Error");
    let inner = source.get_ref().and_then(|e| e.downcast_ref::<Error>()).expect("the asock error");
    assert_eq!(inner.kind(), ErrorKind::Timeout);
    assert_eq!(io::Error::from(e).kind(), io::ErrorKind::Other);
}

// ===== source() =====

#[test]
fn source_of_an_errno_less_io_error_is_that_io_error() {
    let e = Error::from(io::Error::new(io::ErrorKind::InvalidData, Mine(7)));
    let io = e.source().and_then(|s| s.downcast_ref::<io::Error>()).expect("an io::Error");
    assert_eq!(io.kind(), io::ErrorKind::InvalidData);
    assert_eq!(io.get_ref().and_then(|i| i.downcast_ref::<Mine>()), Some(&Mine(7)));
}

#[test]
fn source_of_multiple_is_its_last_failure() {
    let e = Error::multiple(
        "all connection attempts failed",
        vec![
            ("[::1]:80".into(), Error::from_errno(libc::ENETUNREACH)),
            ("127.0.0.1:80".into(), Error::from_errno(libc::ECONNREFUSED)),
        ],
    );
    let last = e.source().and_then(|s| s.downcast_ref::<Error>()).expect("an asock error");
    assert_eq!(last.raw_os_error(), Some(libc::ECONNREFUSED));
}

#[test]
fn errors_asock_makes_itself_have_no_source() {
    for e in [
        Error::from_errno(libc::EPIPE),
        Error::timeout(),
        Error::invalid_input("bad"),
        Error::gai(libc::EAI_NONAME, None),
        Error::host(1),
    ] {
        assert!(e.source().is_none(), "{e}");
    }
}

#[test]
fn source_survives_a_trip_through_io_error() {
    let e = Error::multiple("x", vec![("a".into(), Error::from_errno(libc::EPIPE))]);
    let back = Error::from(io::Error::from(e));
    let last = back.source().and_then(|s| s.downcast_ref::<Error>()).expect("the last failure");
    assert_eq!(last.raw_os_error(), Some(libc::EPIPE));
}
