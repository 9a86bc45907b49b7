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
