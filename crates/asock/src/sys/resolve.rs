//! Name resolution through the C library: `getaddrinfo`, `getnameinfo`, the reentrant netdb
//! lookups (`gethostbyname_r`, `gethostbyaddr_r`, `getservbyname_r`, `getservbyport_r`,
//! `getprotobyname_r`), `gethostname`, `inet_pton` and the `if_*` functions.
//!
//! Every function here may block (files, NSS modules, DNS) except `inet_pton`, `if_*` and
//! `gethostname`; callers on an executor send them to a thread (see `resolve::pool`). Only
//! thread-safe C functions are called: the `_r` forms, never `gethostbyname` and kin, which
//! return pointers into static storage.
//!
//! Strings come back as bytes: what the C library hands out is not promised to be UTF-8, and
//! the caller decides how to decode (Python decodes host names as UTF-8 and interface names
//! with the file-system encoding).

use std::ffi::{c_char, c_int, c_void, CStr};
use std::io;
use std::mem::MaybeUninit;
use std::ptr;

use asock_core::{Error, RawSockAddr, Result, SockAddr};

// glibc's reentrant netdb functions and inet_pton, which the libc crate does not declare.
// Prototypes from <netdb.h> and <arpa/inet.h> (glibc 2.36).
unsafe extern "C" {
    fn gethostbyname_r(
        name: *const c_char,
        ret: *mut libc::hostent,
        buf: *mut c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::hostent,
        h_errnop: *mut c_int,
    ) -> c_int;
    fn gethostbyaddr_r(
        addr: *const c_void,
        len: libc::socklen_t,
        kind: c_int,
        ret: *mut libc::hostent,
        buf: *mut c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::hostent,
        h_errnop: *mut c_int,
    ) -> c_int;
    fn getservbyname_r(
        name: *const c_char,
        proto: *const c_char,
        result_buf: *mut libc::servent,
        buf: *mut c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::servent,
    ) -> c_int;
    fn getservbyport_r(
        port: c_int,
        proto: *const c_char,
        result_buf: *mut libc::servent,
        buf: *mut c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::servent,
    ) -> c_int;
    fn getprotobyname_r(
        name: *const c_char,
        result_buf: *mut libc::protoent,
        buf: *mut c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::protoent,
    ) -> c_int;
    fn inet_pton(af: c_int, src: *const c_char, dst: *mut c_void) -> c_int;
    /// The calling thread's `h_errno` (glibc's definition of the `h_errno` macro).
    fn __h_errno_location() -> *mut c_int;
}

/// `h_errno`'s "internal error, see errno" value (<netdb.h>).
const NETDB_INTERNAL: c_int = -1;

/// The scratch buffer of the `_r` functions starts at CPython's 16 KiB and doubles on `ERANGE`
/// up to this size (CPython gives up at 16 KiB; a host with more aliases than that still
/// resolves here).
const MAX_NETDB_BUF: usize = 1 << 20;
const FIRST_NETDB_BUF: usize = 16 * 1024;

// ===== getaddrinfo / getnameinfo =====

/// One `struct addrinfo` of `getaddrinfo`'s answer, copied out of the C list.
#[derive(Debug)]
pub(crate) struct GaiEntry {
    pub(crate) family: c_int,
    pub(crate) socktype: c_int,
    pub(crate) protocol: c_int,
    pub(crate) canonname: Option<Vec<u8>>,
    pub(crate) addr: SockAddr,
}

/// Frees a `getaddrinfo` list however the walk over it ends.
struct AddrInfoList(*mut libc::addrinfo);

impl Drop for AddrInfoList {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the pointer came from a successful getaddrinfo and is freed once, here.
            unsafe { libc::freeaddrinfo(self.0) };
        }
    }
}

/// `getaddrinfo(3)` with `hints` built from the four integers, the answer in the C library's
/// order.
///
/// A failure is `Error::gai(code, errno)`, with the errno that was current for `EAI_SYSTEM`.
pub(crate) fn getaddrinfo(
    host: Option<&CStr>,
    service: Option<&CStr>,
    family: c_int,
    socktype: c_int,
    protocol: c_int,
    flags: c_int,
) -> Result<Vec<GaiEntry>> {
    // SAFETY: addrinfo is plain old data (integers and pointers); all-zero is the documented
    // way to start hints (null pointers, no flags).
    let mut hints: libc::addrinfo = unsafe { MaybeUninit::zeroed().assume_init() };
    hints.ai_family = family;
    hints.ai_socktype = socktype;
    hints.ai_protocol = protocol;
    hints.ai_flags = flags;
    let mut res: *mut libc::addrinfo = ptr::null_mut();
    // SAFETY: host and service are NUL-terminated or null, hints is initialised, res is a valid
    // out-pointer; getaddrinfo is MT-safe.
    let rc = unsafe {
        libc::getaddrinfo(
            host.map_or(ptr::null(), CStr::as_ptr),
            service.map_or(ptr::null(), CStr::as_ptr),
            &hints,
            &mut res,
        )
    };
    if rc != 0 {
        return Err(gai_error(rc));
    }
    let list = AddrInfoList(res);
    let mut entries = Vec::new();
    let mut node = list.0;
    while !node.is_null() {
        // SAFETY: node is a member of the list getaddrinfo returned, alive until `list` drops.
        let ai = unsafe { &*node };
        let bytes: &[u8] = if ai.ai_addr.is_null() {
            &[]
        } else {
            // SAFETY: ai_addr points at ai_addrlen bytes of address owned by the list.
            unsafe { std::slice::from_raw_parts(ai.ai_addr.cast::<u8>(), ai.ai_addrlen as usize) }
        };
        let addr = SockAddr::from_bytes(bytes)?;
        let canonname = (!ai.ai_canonname.is_null()).then(|| {
            // SAFETY: a non-null ai_canonname is a NUL-terminated string owned by the list.
            unsafe { CStr::from_ptr(ai.ai_canonname) }.to_bytes().to_vec()
        });
        entries.push(GaiEntry {
            family: ai.ai_family,
            socktype: ai.ai_socktype,
            protocol: ai.ai_protocol,
            canonname,
            addr,
        });
        node = ai.ai_next;
    }
    Ok(entries)
}

/// `getnameinfo(3)` into buffers of `NI_MAXHOST` and `NI_MAXSERV` bytes, as CPython sizes them.
pub(crate) fn getnameinfo(addr: &RawSockAddr, flags: c_int) -> Result<(Vec<u8>, Vec<u8>)> {
    let mut host = [0 as c_char; libc::NI_MAXHOST as usize];
    let mut serv = [0 as c_char; 32]; // NI_MAXSERV
                                      // SAFETY: addr points at addr.len() readable bytes; the buffers are writable for the
                                      // lengths passed; getnameinfo NUL-terminates what it writes and is MT-safe.
    let rc = unsafe {
        libc::getnameinfo(
            addr.as_ptr(),
            addr.len(),
            host.as_mut_ptr(),
            host.len() as libc::socklen_t,
            serv.as_mut_ptr(),
            serv.len() as libc::socklen_t,
            flags,
        )
    };
    if rc != 0 {
        return Err(gai_error(rc));
    }
    Ok((c_buf_bytes(&host), c_buf_bytes(&serv)))
}

/// The `Gai` error for `code`, reading errno at once for `EAI_SYSTEM`.
fn gai_error(code: c_int) -> Error {
    let errno =
        if code == libc::EAI_SYSTEM { io::Error::last_os_error().raw_os_error() } else { None };
    Error::gai(code, errno)
}

// ===== hostent: gethostbyname_r / gethostbyaddr_r =====

/// A `struct hostent`, copied out of the caller's buffer.
#[derive(Debug)]
pub(crate) struct HostEnt {
    pub(crate) name: Vec<u8>,
    pub(crate) aliases: Vec<Vec<u8>>,
    pub(crate) addrtype: c_int,
    pub(crate) addrs: Vec<Vec<u8>>,
}

/// `gethostbyname_r(3)`. Not found is `Error::host(h_errno)`.
pub(crate) fn gethostbyname(name: &CStr) -> Result<HostEnt> {
    with_hostent(|ret, buf, len, result, h_errno| {
        // SAFETY: name is NUL-terminated; the other pointers come from with_hostent, which
        // passes a buffer of `len` writable bytes and valid out-pointers.
        unsafe { gethostbyname_r(name.as_ptr(), ret, buf, len, result, h_errno) }
    })
}

/// `gethostbyaddr_r(3)` for the packed address `addr` of family `family`.
pub(crate) fn gethostbyaddr(addr: &[u8], family: c_int) -> Result<HostEnt> {
    with_hostent(|ret, buf, len, result, h_errno| {
        // SAFETY: addr is addr.len() readable bytes; the rest as in gethostbyname.
        unsafe {
            gethostbyaddr_r(
                addr.as_ptr().cast(),
                addr.len() as libc::socklen_t,
                family,
                ret,
                buf,
                len,
                result,
                h_errno,
            )
        }
    })
}

/// An `h_errno` value no lookup sets: marks "not written by this call".
const H_ERRNO_UNTOUCHED: c_int = c_int::MIN;

/// The calling thread's `h_errno`.
fn h_errno() -> c_int {
    // SAFETY: __h_errno_location returns a valid pointer to this thread's h_errno.
    unsafe { *__h_errno_location() }
}

fn set_h_errno(value: c_int) {
    // SAFETY: as in h_errno; the location is this thread's own, written by this thread only.
    unsafe { *__h_errno_location() = value };
}

/// Runs a `gethostby*_r` call with a growing buffer and copies the answer out.
///
/// A failure reports the thread's `h_errno` when the call set it, as CPython does (it reads
/// `h_errno`, not the `h_errnop` out-parameter, and the two differ: with `hosts: files dns`
/// and DNS unreachable, files leaves `HOST_NOT_FOUND` in `h_errnop` while the resolver sets
/// `h_errno` to `TRY_AGAIN`). When the call left `h_errno` alone, `h_errnop` is reported
/// (CPython would report whatever an earlier call on that thread left there).
fn with_hostent(
    mut call: impl FnMut(
        *mut libc::hostent,
        *mut c_char,
        libc::size_t,
        *mut *mut libc::hostent,
        *mut c_int,
    ) -> c_int,
) -> Result<HostEnt> {
    let mut size = FIRST_NETDB_BUF;
    loop {
        let mut buf = netdb_buf(size);
        // SAFETY: hostent is plain old data; zeroed is a valid (empty) value.
        let mut ret: libc::hostent = unsafe { MaybeUninit::zeroed().assume_init() };
        let mut result: *mut libc::hostent = ptr::null_mut();
        let mut h_errnop: c_int = 0;
        set_h_errno(H_ERRNO_UNTOUCHED);
        let rc = call(&mut ret, buf.as_mut_ptr().cast(), size, &mut result, &mut h_errnop);
        if rc == libc::ERANGE && h_errnop == NETDB_INTERNAL && size < MAX_NETDB_BUF {
            size *= 2;
            continue;
        }
        if result.is_null() {
            let global = h_errno();
            return Err(Error::host(if global == H_ERRNO_UNTOUCHED { h_errnop } else { global }));
        }
        // SAFETY: on success result points at `ret`, whose pointers lead into `buf`; both are
        // alive for the copy.
        return Ok(unsafe { copy_hostent(&*result) });
    }
}

/// Copies name, aliases and addresses out of a filled `hostent`.
///
/// # Safety
///
/// `h` must be a hostent filled by the C library whose storage is still alive.
unsafe fn copy_hostent(h: &libc::hostent) -> HostEnt {
    // SAFETY: the caller promises a live, filled hostent: h_name is a C string, h_aliases
    // (if non-null) and h_addr_list are null-terminated arrays of valid pointers.
    unsafe {
        let name = if h.h_name.is_null() {
            Vec::new()
        } else {
            CStr::from_ptr(h.h_name).to_bytes().to_vec()
        };
        let aliases =
            c_string_array(h.h_aliases).into_iter().map(|s| s.to_bytes().to_vec()).collect();
        let length = usize::try_from(h.h_length).unwrap_or(0).min(16);
        let mut addrs = Vec::new();
        let mut at = h.h_addr_list;
        while !at.is_null() {
            // h_addr_list can be misaligned inside the buffer (CPython memcpy's it too).
            let entry = at.read_unaligned();
            if entry.is_null() {
                break;
            }
            addrs.push(std::slice::from_raw_parts(entry.cast::<u8>(), length).to_vec());
            at = at.add(1);
        }
        HostEnt { name, aliases, addrtype: h.h_addrtype, addrs }
    }
}

/// The strings of a null-terminated `char **` (none if the array itself is null).
///
/// # Safety
///
/// `array` is null or a null-terminated array of pointers to C strings that outlive `'a`.
unsafe fn c_string_array<'a>(array: *mut *mut c_char) -> Vec<&'a CStr> {
    let mut out = Vec::new();
    let mut at = array;
    while !at.is_null() {
        // SAFETY: within the array the caller vouches for; read_unaligned as above.
        let entry = unsafe { at.read_unaligned() };
        if entry.is_null() {
            break;
        }
        // SAFETY: every non-null entry is a C string (caller's promise).
        out.push(unsafe { CStr::from_ptr(entry) });
        // SAFETY: the array continues at least up to its null terminator.
        at = unsafe { at.add(1) };
    }
    out
}

/// An 8-byte aligned scratch buffer of at least `size` bytes (glibc up to 2.10 assumed the
/// alignment; CPython keeps it).
fn netdb_buf(size: usize) -> Vec<u64> {
    vec![0u64; size.div_ceil(8)]
}

// ===== servent / protoent =====

/// `getservbyname_r(3)`: the port (host order) of service `name` over `proto` (any if `None`),
/// or `None` if /etc/services (or whatever NSS consults) has no such entry.
pub(crate) fn getservbyname(name: &CStr, proto: Option<&CStr>) -> Result<Option<u16>> {
    let port = with_netdb_entry(
        |ret, buf, len, result| {
            // SAFETY: name and proto are C strings or null; the buffer and out-pointers come from
            // with_netdb_entry.
            unsafe {
                getservbyname_r(
                    name.as_ptr(),
                    proto.map_or(ptr::null(), CStr::as_ptr),
                    ret,
                    buf,
                    len,
                    result,
                )
            }
        },
        |s: &libc::servent| s.s_port,
    )?;
    // s_port holds the port in network byte order in the low 16 bits.
    Ok(port.map(|p| u16::from_be(p as u16)))
}

/// `getservbyport_r(3)`: the name of the service on `port` (host order) over `proto`.
pub(crate) fn getservbyport(port: u16, proto: Option<&CStr>) -> Result<Option<Vec<u8>>> {
    let net_port = c_int::from(port.to_be());
    with_netdb_entry(
        |ret, buf, len, result| {
            // SAFETY: as in getservbyname.
            unsafe {
                getservbyport_r(
                    net_port,
                    proto.map_or(ptr::null(), CStr::as_ptr),
                    ret,
                    buf,
                    len,
                    result,
                )
            }
        },
        |s: &libc::servent| {
            // SAFETY: s_name of a filled servent is a C string in the live buffer.
            unsafe { CStr::from_ptr(s.s_name) }.to_bytes().to_vec()
        },
    )
}

/// Runs a `getservby*_r` or `getprotobyname_r` call with a growing buffer; `read` copies
/// what the caller wants out of the entry (`E`: `servent` or `protoent`).
fn with_netdb_entry<E, T>(
    mut call: impl FnMut(*mut E, *mut c_char, libc::size_t, *mut *mut E) -> c_int,
    read: impl FnOnce(&E) -> T,
) -> Result<Option<T>> {
    let mut size = 1024;
    loop {
        let mut buf = netdb_buf(size);
        // Zeroed rather than uninitialised, as a caution; it is read only once the C library
        // has filled it.
        let mut ret = MaybeUninit::<E>::zeroed();
        let mut result: *mut E = ptr::null_mut();
        let rc = call(ret.as_mut_ptr(), buf.as_mut_ptr().cast(), size, &mut result);
        if rc == libc::ERANGE && size < MAX_NETDB_BUF {
            size *= 2;
            continue;
        }
        if result.is_null() {
            // Not found (rc 0) or a lookup failure: CPython sees NULL either way.
            return Ok(None);
        }
        // SAFETY: on success result points at `ret`, filled, with strings in `buf`.
        return Ok(Some(read(unsafe { &*result })));
    }
}

/// `getprotobyname_r(3)`: the number of protocol `name`, from /etc/protocols.
pub(crate) fn getprotobyname(name: &CStr) -> Result<Option<c_int>> {
    with_netdb_entry(
        |ret, buf, len, result| {
            // SAFETY: name is a C string; the buffer and out-pointers come from
            // with_netdb_entry.
            unsafe { getprotobyname_r(name.as_ptr(), ret, buf, len, result) }
        },
        |p: &libc::protoent| p.p_proto,
    )
}

// ===== host name, inet_pton, interfaces =====

/// `gethostname(2)` into CPython's 1024-byte buffer.
pub(crate) fn gethostname() -> Result<Vec<u8>> {
    let mut buf = [0 as c_char; 1024];
    // SAFETY: buf has 1024 writable bytes and we pass one less, keeping a final NUL.
    if unsafe { libc::gethostname(buf.as_mut_ptr(), buf.len() - 1) } != 0 {
        return Err(Error::last_os_error());
    }
    Ok(c_buf_bytes(&buf))
}

/// `inet_pton(3)` for `AF_INET` (4 bytes) or `AF_INET6` (16 bytes); `None` if `text` is not
/// an address of that family.
pub(crate) fn inet_pton_raw(family: c_int, text: &CStr) -> Option<Vec<u8>> {
    let mut out = [0u8; 16];
    // SAFETY: text is a C string; out has room for an in6_addr, the largest result.
    let rc = unsafe { inet_pton(family, text.as_ptr(), out.as_mut_ptr().cast()) };
    let len = if family == libc::AF_INET { 4 } else { 16 };
    (rc == 1).then(|| out[..len].to_vec())
}

/// `if_nameindex(3)`: every interface as (index, name).
pub(crate) fn if_nameindex() -> Result<Vec<(u32, Vec<u8>)>> {
    // SAFETY: no arguments; the result is null or a list we free below.
    let list = unsafe { libc::if_nameindex() };
    if list.is_null() {
        return Err(Error::last_os_error());
    }
    let mut out = Vec::new();
    let mut at = list;
    loop {
        // SAFETY: the list ends with an entry whose index is 0; we stop there.
        let entry = unsafe { &*at };
        if entry.if_index == 0 {
            break;
        }
        if !entry.if_name.is_null() {
            // SAFETY: if_name of a live entry is a C string.
            out.push((
                entry.if_index,
                unsafe { CStr::from_ptr(entry.if_name) }.to_bytes().to_vec(),
            ));
        }
        // SAFETY: not past the terminating entry (checked above).
        at = unsafe { at.add(1) };
    }
    // SAFETY: list came from if_nameindex and is freed once.
    unsafe { libc::if_freenameindex(list) };
    Ok(out)
}

/// `if_nametoindex(3)`: 0 when no interface has that name.
pub(crate) fn if_nametoindex(name: &CStr) -> u32 {
    // SAFETY: name is a C string.
    unsafe { libc::if_nametoindex(name.as_ptr()) }
}

/// `if_indextoname(3)`.
pub(crate) fn if_indextoname(index: u32) -> Result<Vec<u8>> {
    let mut buf = [0 as c_char; libc::IF_NAMESIZE];
    // SAFETY: buf has IF_NAMESIZE writable bytes, as if_indextoname requires.
    let name = unsafe { libc::if_indextoname(index, buf.as_mut_ptr()) };
    if name.is_null() {
        return Err(Error::last_os_error());
    }
    Ok(c_buf_bytes(&buf))
}

/// The bytes of a NUL-terminated C buffer up to its first NUL (all of it if none).
fn c_buf_bytes(buf: &[c_char]) -> Vec<u8> {
    buf.iter().take_while(|&&c| c != 0).map(|&c| c as u8).collect()
}
