//! How a subcommand fails: the exit status each error gets (the table in `args::EXIT_STATUS`)
//! and its message in plain words.

use std::fmt;
use std::process::ExitCode;

use asock::{consts, ErrorKind};

use crate::values;

/// A failed subcommand.
#[derive(Debug)]
pub enum Failure {
    /// A bad argument found only while running (a host name that cannot be encoded): exit 2.
    Usage(String),
    /// A host or service name that does not resolve: exit 3.
    NotFound(asock::Error),
    /// Anything else: exit 1.
    Failed(asock::Error),
}

impl Failure {
    /// The failure for an error met while looking up or connecting to `host`: the resolver's
    /// "not found" answers are [`Failure::NotFound`], a name the `idna` codec refuses is a
    /// usage error said in plain words, the rest [`Failure::Failed`].
    pub fn for_host(host: &str, error: asock::Error) -> Failure {
        const IDNA: &str = "encoding with 'idna' codec failed (UnicodeError: ";
        if error.kind() == ErrorKind::InvalidInput && error.errors().is_empty() {
            let text = error.to_string();
            if let Some(reason) = text.strip_prefix(IDNA) {
                let problem = values::host_name_problem(host, reason.trim_end_matches(')'));
                return Failure::Usage(format!("{host:?} is not a valid host name: {problem}"));
            }
        }
        Failure::from(error)
    }

    /// The exit status: 1, 2 or 3.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Failure::Failed(_) => ExitCode::from(1),
            Failure::Usage(_) => ExitCode::from(2),
            Failure::NotFound(_) => ExitCode::from(3),
        }
    }
}

/// Whether `error` says the name does not exist (rather than that the lookup failed): the
/// `EAI_*` codes of "no such host / no address of that family / no such service", and
/// `h_errno`'s `HOST_NOT_FOUND` (1) / `NO_DATA` (4). `EAI_AGAIN` (try again), `EAI_FAIL`,
/// `EAI_SYSTEM` and the rest are failures of the lookup, not answers.
pub fn is_not_found(error: &asock::Error) -> bool {
    // A group (every Happy Eyeballs attempt failed) is a failure of the connection.
    if !error.errors().is_empty() {
        return false;
    }
    match (error.kind(), error.errno()) {
        (ErrorKind::Gai, Some(code)) => {
            [consts::EAI_NONAME, consts::EAI_NODATA, consts::EAI_ADDRFAMILY, consts::EAI_SERVICE]
                .contains(&code)
        }
        (ErrorKind::Host, Some(code)) => code == HOST_NOT_FOUND || code == NO_DATA,
        _ => false,
    }
}

/// `h_errno` values (netdb.h), which Python's module does not name.
const HOST_NOT_FOUND: i32 = 1;
const NO_DATA: i32 = 4;

impl From<asock::Error> for Failure {
    fn from(error: asock::Error) -> Self {
        if is_not_found(&error) {
            Failure::NotFound(error)
        } else {
            Failure::Failed(error)
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure::Failed(error.into())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(message) => f.write_str(message),
            Failure::NotFound(error) | Failure::Failed(error) => fmt::Display::fmt(error, f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_not_found_answers_exit_3() {
        for code in [consts::EAI_NONAME, consts::EAI_NODATA, consts::EAI_SERVICE] {
            let failure = Failure::from(asock::Error::gai(code, None));
            assert!(matches!(failure, Failure::NotFound(_)), "EAI code {code}");
        }
        for code in [consts::EAI_AGAIN, consts::EAI_FAIL, consts::EAI_MEMORY, consts::EAI_BADFLAGS]
        {
            let failure = Failure::from(asock::Error::gai(code, None));
            assert!(matches!(failure, Failure::Failed(_)), "EAI code {code}");
        }
        let system = asock::Error::gai(consts::EAI_SYSTEM, Some(2)); // ENOENT
        assert!(matches!(Failure::from(system), Failure::Failed(_)));
        assert!(matches!(Failure::from(asock::Error::host(HOST_NOT_FOUND)), Failure::NotFound(_)));
    }

    #[test]
    fn every_attempt_failing_is_a_failed_operation_not_a_missing_name() {
        let group = asock::Error::multiple(
            "all connection attempts failed",
            vec![("x".into(), asock::Error::gai(consts::EAI_NONAME, None))],
        );
        assert!(matches!(Failure::from(group), Failure::Failed(_)));
    }

    #[test]
    fn an_idna_refusal_becomes_a_usage_error_in_plain_words() {
        let error = asock::blocking::getaddrinfo(
            "a..b",
            80,
            asock::AddressFamily::AF_UNSPEC,
            asock::SocketKind::SOCK_STREAM,
            asock::Protocol::from(0),
            consts::AI_NUMERICHOST,
        )
        .unwrap_err();
        let failure = Failure::for_host("a..b", error);
        assert_eq!(
            failure.to_string(),
            "\"a..b\" is not a valid host name: label 2 of 3 is empty (two dots in a row)"
        );
        assert_eq!(failure.exit_code(), ExitCode::from(2));
    }
}
