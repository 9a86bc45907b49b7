//! `Mode` values and the process-wide default, checked against Python 3 as the oracle.

use std::process::Command;
use std::time::Duration;

use asock::{ErrorKind, Mode};

/// What CPython's `socket.settimeout(value)` does with each value: the `gettimeout()` result,
/// or the exception's message. `None` if python3 is not available.
fn python_settimeout(values: &[&str]) -> Option<Vec<String>> {
    let script = format!(
        "import socket\ns = socket.socket()\nfor v in [{}]:\n    try:\n        s.settimeout(v); print('ok', s.gettimeout())\n    except Exception as e: print('err', e)\n",
        values.join(", ")
    );
    let out = Command::new("python3").arg("-c").arg(script).output().ok()?;
    if !out.status.success() {
        return None;
    }
    Some(String::from_utf8(out.stdout).ok()?.lines().map(str::to_owned).collect())
}

#[derive(Debug, PartialEq)]
enum Outcome {
    Timeout(Option<f64>),
    Error(String),
}

fn ours(value: Option<f64>) -> Outcome {
    match Mode::from_secs_f64(value) {
        Ok(mode) => Outcome::Timeout(mode.timeout_secs_f64()),
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
            Outcome::Error(e.to_string())
        }
    }
}

fn parse_python(line: &str) -> Outcome {
    match line.split_once(' ') {
        Some(("ok", "None")) => Outcome::Timeout(None),
        Some(("ok", secs)) => Outcome::Timeout(Some(secs.parse().expect("python float"))),
        Some(("err", message)) => Outcome::Error(message.to_owned()),
        _ => panic!("unexpected python output {line:?}"),
    }
}

#[test]
fn from_secs_f64_matches_python_settimeout() {
    let cases: [(&str, Option<f64>); 10] = [
        ("None", None),
        ("0.0", Some(0.0)),
        ("-0.0", Some(-0.0)),
        ("2.5", Some(2.5)),
        ("1e-9", Some(1e-9)),
        ("9.2e9", Some(9.2e9)),
        ("float('nan')", Some(f64::NAN)),
        ("-1.0", Some(-1.0)),
        ("float('inf')", Some(f64::INFINITY)),
        ("1e10", Some(1e10)),
    ];
    let Some(python) = python_settimeout(&cases.map(|(py, _)| py)) else {
        println!("SKIPPED: python3 not available as an oracle");
        return;
    };
    for ((py, value), expected) in cases.iter().zip(python) {
        assert_eq!(ours(*value), parse_python(&expected), "settimeout({py})");
    }
}

#[test]
fn zero_is_nonblocking_and_none_is_blocking() {
    assert_eq!(Mode::from_timeout(Some(Duration::ZERO)), Mode::NonBlocking);
    assert_eq!(Mode::from_timeout(None), Mode::Blocking);
    assert_eq!(
        Mode::from_timeout(Some(Duration::from_millis(1))).timeout(),
        Some(Duration::from_millis(1))
    );
    assert_eq!(Mode::default(), Mode::Blocking);
}

#[test]
fn invalid_timeouts_are_errors_not_panics() {
    for bad in [f64::NAN, -f64::NAN, -1e-9, f64::NEG_INFINITY, f64::INFINITY, f64::MAX] {
        let err = Mode::from_secs_f64(Some(bad)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{bad}");
    }
}

#[test]
fn default_timeout_round_trips_and_rejects_bad_values() {
    // The only test in this binary touching the global default.
    assert_eq!(asock::default_timeout(), None);
    asock::set_default_timeout_secs(Some(1.5)).unwrap();
    assert_eq!(asock::default_timeout(), Some(Duration::from_millis(1500)));
    assert_eq!(asock::default_mode(), Mode::Timeout(Duration::from_millis(1500)));
    // A rejected value leaves the default unchanged.
    assert!(asock::set_default_timeout_secs(Some(f64::NAN)).is_err());
    assert_eq!(asock::default_timeout(), Some(Duration::from_millis(1500)));
    asock::set_default_timeout(Some(Duration::ZERO)).unwrap();
    assert_eq!(asock::default_mode(), Mode::NonBlocking);
    // Past CPython's i64 nanoseconds: rejected, and the default stays.
    assert!(asock::set_default_timeout(Some(Duration::MAX)).is_err());
    assert_eq!(asock::default_mode(), Mode::NonBlocking);
    asock::set_default_timeout(None).unwrap();
    assert_eq!(asock::default_mode(), Mode::Blocking);
}
