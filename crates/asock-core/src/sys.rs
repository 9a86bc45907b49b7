//! The few C calls and raw-memory views asock-core needs; the crate's only `unsafe`.

use std::ffi::CStr;
use std::io;

/// `strerror(errno)` as CPython prints it in `[Errno N] text`.
///
/// std already calls the thread-safe `strerror_r`; its Display appends " (os error N)", which
/// Python does not print.
pub(crate) fn strerror(errno: i32) -> String {
    let text = io::Error::from_raw_os_error(errno).to_string();
    match text.rfind(" (os error ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}

/// `gai_strerror(code)`: glibc returns a pointer to a static, translated string.
pub(crate) fn gai_strerror(code: i32) -> String {
    // SAFETY: gai_strerror accepts any int and returns a pointer to a static NUL-terminated
    // string (glibc's table, or "Unknown error"); it is never null and never freed.
    let text = unsafe { CStr::from_ptr(libc::gai_strerror(code)) };
    text.to_string_lossy().into_owned()
}

/// `hstrerror(code)`: like `gai_strerror`, a pointer to a static string.
pub(crate) fn hstrerror(code: i32) -> String {
    // SAFETY: hstrerror accepts any int and returns a static NUL-terminated string
    // ("Unknown resolver error" past its table); it is never null and never freed.
    let text = unsafe { CStr::from_ptr(libc::hstrerror(code)) };
    text.to_string_lossy().into_owned()
}

/// A zeroed `sockaddr_storage`.
pub(crate) fn zeroed_storage() -> libc::sockaddr_storage {
    // SAFETY: sockaddr_storage is plain old data (integers and byte arrays); all-zero bytes
    // are a valid value of it.
    unsafe { std::mem::zeroed() }
}

/// The bytes of a `sockaddr_storage`, all of them.
pub(crate) fn storage_bytes(storage: &libc::sockaddr_storage) -> &[u8] {
    let len = std::mem::size_of::<libc::sockaddr_storage>();
    // SAFETY: the pointer comes from a live reference, the length is the struct's size, u8 has
    // no alignment or validity requirement, and sockaddr_storage has no padding the kernel or
    // we leave uninitialised (zeroed_storage starts it at zero).
    unsafe {
        std::slice::from_raw_parts((storage as *const libc::sockaddr_storage).cast::<u8>(), len)
    }
}

/// The bytes of a `sockaddr_storage`, writable.
pub(crate) fn storage_bytes_mut(storage: &mut libc::sockaddr_storage) -> &mut [u8] {
    let len = std::mem::size_of::<libc::sockaddr_storage>();
    // SAFETY: as in storage_bytes, from a live exclusive reference; any byte pattern is a valid
    // sockaddr_storage, so writes through the slice cannot make it invalid.
    unsafe {
        std::slice::from_raw_parts_mut((storage as *mut libc::sockaddr_storage).cast::<u8>(), len)
    }
}

/// A `socket2::SockAddr` holding `bytes` (at most `sockaddr_storage` long; callers check).
pub(crate) fn socket2_from_bytes(bytes: &[u8]) -> io::Result<socket2::SockAddr> {
    if bytes.len() > std::mem::size_of::<libc::sockaddr_storage>() {
        return Err(io::ErrorKind::InvalidInput.into());
    }
    // SAFETY: try_init hands the closure a zeroed storage of sockaddr_storage's size and a
    // length slot; we copy at most that many bytes (checked above) and set the length to what
    // we wrote, which is all try_init asks of the closure.
    let ((), addr) = unsafe {
        socket2::SockAddr::try_init(|storage, len| {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), storage.cast::<u8>(), bytes.len());
            *len = bytes.len() as libc::socklen_t;
            Ok(())
        })
    }?;
    Ok(addr)
}

/// The address bytes of a `socket2::SockAddr`, `len()` of them.
pub(crate) fn socket2_bytes(addr: &socket2::SockAddr) -> &[u8] {
    let len = (addr.len() as usize).min(std::mem::size_of::<libc::sockaddr_storage>());
    // SAFETY: as_ptr points at the SockAddr's storage, which lives as long as `addr` and is
    // sockaddr_storage-sized; len is capped at that size; any byte is a valid u8.
    unsafe { std::slice::from_raw_parts(addr.as_ptr().cast::<u8>(), len) }
}

// ===== inet_* and if_nametoindex =====
//
// The `libc` crate does not declare glibc's address-text functions, so they are declared here
// with the prototypes of <arpa/inet.h>. All three are reentrant (unlike `inet_ntoa`, which
// writes a static buffer and is therefore not called).
unsafe extern "C" {
    fn inet_aton(cp: *const libc::c_char, inp: *mut libc::in_addr) -> libc::c_int;
    fn inet_pton(af: libc::c_int, src: *const libc::c_char, dst: *mut libc::c_void) -> libc::c_int;
    fn inet_ntop(
        af: libc::c_int,
        src: *const libc::c_void,
        dst: *mut libc::c_char,
        size: libc::socklen_t,
    ) -> *const libc::c_char;
}

/// `inet_aton(text)`: the address in network order, or `None` if glibc rejects the text.
pub(crate) fn c_inet_aton(text: &CStr) -> Option<[u8; 4]> {
    let mut addr = libc::in_addr { s_addr: 0 };
    // SAFETY: `text` is a valid NUL-terminated string for the duration of the call and `addr`
    // is a live, writable in_addr; inet_aton reads the one and writes only the other.
    let ok = unsafe { inet_aton(text.as_ptr(), &mut addr) };
    (ok != 0).then(|| addr.s_addr.to_ne_bytes())
}

/// `inet_pton(af, text)` into a 16-byte buffer: `Ok(Some(n))` with `n` bytes written (4 for
/// AF_INET, 16 for AF_INET6), `Ok(None)` when the text is not an address of that family, and
/// the errno (EAFNOSUPPORT) when glibc does not know the family.
pub(crate) fn c_inet_pton(af: libc::c_int, text: &CStr) -> io::Result<Option<[u8; 16]>> {
    // 16 bytes hold an in6_addr, the largest address inet_pton writes for any family it
    // supports; unknown families fail before anything is written.
    let mut buf = [0u8; 16];
    // SAFETY: `text` is NUL-terminated and live; `buf` is writable for 16 bytes, enough for
    // both struct in_addr and struct in6_addr, and inet_pton writes nothing for other families.
    let rc = unsafe { inet_pton(af, text.as_ptr(), buf.as_mut_ptr().cast()) };
    match rc {
        1 => Ok(Some(buf)),
        0 => Ok(None),
        _ => Err(io::Error::last_os_error()),
    }
}

/// `inet_ntop(af, packed)`; the caller has checked that `packed` is the family's length.
pub(crate) fn c_inet_ntop(af: libc::c_int, packed: &[u8]) -> io::Result<String> {
    // INET6_ADDRSTRLEN (46) bytes fit the longest text either family prints, NUL included.
    let mut text = [0 as libc::c_char; 46];
    let needed = match af {
        libc::AF_INET => 4,
        libc::AF_INET6 => 16,
        _ => return Err(io::Error::from_raw_os_error(libc::EAFNOSUPPORT)),
    };
    if packed.len() != needed {
        return Err(io::Error::from_raw_os_error(libc::EINVAL));
    }
    // SAFETY: `packed` holds exactly the bytes of an in_addr / in6_addr for `af` (checked just
    // above), `text` is writable for the size we pass, and on success inet_ntop leaves a
    // NUL-terminated string in it.
    let out = unsafe {
        inet_ntop(af, packed.as_ptr().cast(), text.as_mut_ptr(), text.len() as libc::socklen_t)
    };
    if out.is_null() {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: inet_ntop succeeded, so `text` holds a NUL-terminated string within its bounds.
    let printed = unsafe { CStr::from_ptr(text.as_ptr()) };
    Ok(printed.to_string_lossy().into_owned())
}

/// `if_nametoindex(name)`: the interface's index, or `None` if there is no such interface.
pub(crate) fn if_nametoindex(name: &CStr) -> Option<u32> {
    // SAFETY: `name` is a valid NUL-terminated string for the duration of the call;
    // if_nametoindex only reads it.
    let index = unsafe { libc::if_nametoindex(name.as_ptr()) };
    (index != 0).then_some(index)
}
