//! Host names as CPython hands them to the C library: through Python's `idna` codec.
//!
//! `socket.getaddrinfo("bücher.example", ...)` encodes the name with the `idna` codec (IDNA
//! 2003, RFC 3490) before calling C, so the C library sees `xn--bcher-kva.example`; the same
//! codec rejects empty and over-long labels in ASCII names (`"a..b"`, `"."`) with a
//! `UnicodeError`. asock does the same, so the same names reach the C library and the same names
//! are refused (as `InvalidInput`, with Python's message).
//!
//! Nameprep (RFC 3491) is done in part: the "map to nothing" characters are removed, letters
//! are lowercased (`ß` becomes `ss`, as case folding does), and fullwidth ASCII forms are
//! narrowed (`ｅｘａｍｐｌｅ` → `example`, part of NFKC). Labels that would need other NFKC
//! mappings or that hold prohibited characters are encoded without them, where Python would
//! normalise or refuse; typed names are already normalised, so this rarely matters.

use std::ffi::CString;

use asock_core::{Error, Result};

/// Python's label separators: full stop, ideographic, fullwidth and halfwidth ideographic.
const DOTS: [char; 4] = ['.', '\u{3002}', '\u{FF0E}', '\u{FF61}'];

/// Encodes `host` as CPython's `host.encode("idna")` does, as the C string CPython passes.
///
/// # Errors
///
/// `InvalidInput` for an embedded NUL (CPython would cut the name short there) and for the
/// names Python's codec refuses, with Python's message.
pub(crate) fn encode_host(host: &str) -> Result<CString> {
    if host.contains('\0') {
        return Err(Error::invalid_input("embedded null character in host name"));
    }
    let refused = |reason| {
        Error::invalid_input(format!("encoding with 'idna' codec failed (UnicodeError: {reason})"))
    };
    // ASCII names (numeric hosts among them) are passed as typed: check, copy once.
    let bytes = if host.is_ascii() {
        check_ascii_labels(host).map_err(refused)?;
        host.as_bytes().to_vec()
    } else {
        idna_encode(host).map_err(refused)?
    };
    // No NUL can appear: the input had none and punycode emits only ASCII letters and digits.
    CString::new(bytes).map_err(|_| Error::invalid_input("embedded null character in host name"))
}

/// The codec's ASCII fast path: only '.' separates; every label but the last must be 1 to 63
/// bytes, the last at most 63.
fn check_ascii_labels(name: &str) -> std::result::Result<(), &'static str> {
    let mut labels = name.split('.').peekable();
    while let Some(label) = labels.next() {
        let last = labels.peek().is_none();
        if last && label.len() >= 64 {
            return Err("label too long");
        }
        if !last && (label.is_empty() || label.len() >= 64) {
            return Err("label empty or too long");
        }
    }
    Ok(())
}

/// Python's `encodings.idna.Codec.encode`, returning the codec's error text on failure.
fn idna_encode(input: &str) -> std::result::Result<Vec<u8>, &'static str> {
    if input.is_empty() {
        return Ok(Vec::new());
    }
    if input.is_ascii() {
        check_ascii_labels(input)?;
        return Ok(input.as_bytes().to_vec());
    }
    let mut labels: Vec<&str> = input.split(DOTS).collect();
    let trailing_dot = labels.last().is_some_and(|label| label.is_empty());
    if trailing_dot {
        labels.pop();
    }
    let mut out = Vec::new();
    for label in labels {
        if !out.is_empty() {
            out.push(b'.');
        }
        out.extend(to_ascii(label)?);
    }
    if trailing_dot {
        out.push(b'.');
    }
    Ok(out)
}

/// RFC 3490 ToASCII with AllowUnassigned and without UseSTD3ASCIIRules, as Python has it.
fn to_ascii(label: &str) -> std::result::Result<Vec<u8>, &'static str> {
    let label = if label.is_ascii() { label.to_owned() } else { nameprep(label) };
    let encoded = if label.is_ascii() {
        label.into_bytes()
    } else {
        if label.starts_with("xn--") {
            return Err("Label starts with ACE prefix");
        }
        let mut ace = b"xn--".to_vec();
        ace.extend(punycode(&label));
        ace
    };
    if encoded.is_empty() || encoded.len() >= 64 {
        return Err("label empty or too long");
    }
    Ok(encoded)
}

/// The part of RFC 3491 nameprep described in the module docs.
fn nameprep(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for c in label.chars() {
        match c {
            // Table B.1: commonly mapped to nothing.
            '\u{00AD}'
            | '\u{034F}'
            | '\u{1806}'
            | '\u{180B}'..='\u{180D}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}' => {}
            'ß' => out.push_str("ss"),
            // NFKC narrows the fullwidth forms of ASCII.
            '\u{FF01}'..='\u{FF5E}' => {
                let narrow = char::from_u32(u32::from(c) - 0xFF01 + 0x21).unwrap_or(c);
                out.extend(narrow.to_lowercase());
            }
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// RFC 3492 Punycode encoding of `input` (without the ACE prefix).
fn punycode(input: &str) -> Vec<u8> {
    const BASE: u64 = 36;
    const TMIN: u64 = 1;
    const TMAX: u64 = 26;
    let code_points: Vec<u64> = input.chars().map(|c| u64::from(u32::from(c))).collect();
    let mut out: Vec<u8> = input.chars().filter(char::is_ascii).map(|c| c as u8).collect();
    let basic = out.len() as u64;
    if basic > 0 {
        out.push(b'-');
    }
    let digit = |d: u64| if d < 26 { b'a' + d as u8 } else { b'0' + (d - 26) as u8 };
    let (mut n, mut delta, mut bias, mut handled) = (128u64, 0u64, 72u64, basic);
    while (handled as usize) < code_points.len() {
        let m = code_points.iter().copied().filter(|&c| c >= n).min().unwrap_or(n);
        delta += (m - n) * (handled + 1);
        n = m;
        for &c in &code_points {
            if c < n {
                delta += 1;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        TMIN
                    } else if k >= bias + TMAX {
                        TMAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    out.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    out
}

/// RFC 3492 section 6.1: bias adaptation.
fn adapt(delta: u64, points: u64, first: bool) -> u64 {
    let mut delta = if first { delta / 700 } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((36 - 1) * 26) / 2 {
        delta /= 36 - 1;
        k += 36;
    }
    k + (36 - 1 + 1) * delta / (delta + 38)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names whose encoding Python's codec decides: compared with the machine's python3.
    const NAMES: &[&str] = &[
        "localhost",
        "Example.COM",
        "bücher.example",
        "BÜCHER.example.",
        "münchen.de",
        "straße.de",
        "пример.испытание",
        "ПРИМЕР.рф",
        "例え.テスト",
        "ａｂｃ。例え",
        "mañana｡com",
        "a\u{00AD}b.ü",
        "ü..x",
        "a..b",
        ".",
        "..",
        "x.",
        "",
        "xn--abc.ü",
        "ü.xn--abc",
    ];

    fn python_encodings() -> Option<Vec<String>> {
        // One name per line, as hex of its UTF-8 bytes (no quoting to get wrong).
        let script = "import sys\n\
                      for line in sys.stdin.read().splitlines():\n\
                      \x20   name = bytes.fromhex(line).decode()\n\
                      \x20   try:\n\
                      \x20       print('OK ' + name.encode('idna').decode('ascii'))\n\
                      \x20   except UnicodeError as e:\n\
                      \x20       print('ERR ' + str(e))\n";
        let mut input = String::new();
        for name in NAMES {
            input.extend(name.bytes().map(|b| format!("{b:02x}")));
            input.push('\n');
        }
        let out = std::process::Command::new("python3")
            .args(["-c", script])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().map(|mut stdin| stdin.write_all(input.as_bytes()));
                child.wait_with_output()
            })
            .ok()?;
        Some(String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect())
    }

    #[test]
    fn host_names_encode_as_pythons_idna_codec() {
        let Some(expected) = python_encodings() else {
            println!("SKIPPED: python3 not runnable");
            return;
        };
        assert_eq!(expected.len(), NAMES.len(), "python3 answered {expected:?}");
        for (name, want) in NAMES.iter().zip(expected) {
            let got = match idna_encode(name) {
                Ok(bytes) => format!("OK {}", String::from_utf8_lossy(&bytes)),
                Err(e) => format!("ERR encoding with 'idna' codec failed (UnicodeError: {e})"),
            };
            // Python's str(e) of the codec error is the inner message.
            let want = match want.strip_prefix("ERR ") {
                Some(msg) if !msg.starts_with("encoding with") => {
                    format!("ERR encoding with 'idna' codec failed (UnicodeError: {msg})")
                }
                _ => want,
            };
            assert_eq!(got, want, "host {name:?}");
        }
    }

    #[test]
    fn punycode_matches_rfc_3492_samples() {
        // RFC 3492 section 7.1 (A) and (L), lowercased as nameprep would leave them.
        assert_eq!(punycode("ليهمابتكلموشعربي؟"), b"egbpdaj6bu4bxfgehfvwxn".to_vec());
        assert_eq!(punycode("3年b組金八先生"), b"3b-ww4c5e180e575a65lsy2b".to_vec());
    }

    #[test]
    fn embedded_nul_is_invalid_input() {
        let err = encode_host("127.0.0.1\0junk").unwrap_err();
        assert_eq!(err.kind(), asock_core::ErrorKind::InvalidInput);
    }
}
