//! The oracle of the differential tests: the machine's python3 and its `socket` module.

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `python3 -c script` with `input` on its stdin and returns its stdout.
///
/// Bounded by coreutils' `timeout` (`limit_secs`), so a hung interpreter fails the test. Input
/// is written from a thread while the output is read, so neither pipe can fill and stall the
/// other. A missing python3 fails loudly: CI has one, and these tests are the only check that
/// asock agrees with it.
pub fn python(script: &str, input: &str, limit_secs: u32) -> String {
    let mut child = Command::new("timeout")
        .args([&limit_secs.to_string(), "python3", "-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 (the oracle of these tests) must be installed");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        output.status.success(),
        "python3 failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("python3 printed UTF-8")
}
