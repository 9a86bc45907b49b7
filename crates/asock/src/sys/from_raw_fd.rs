//! `FromRawFd` for asock's socket types: implementing it means calling
//! `OwnedFd::from_raw_fd`, an `unsafe` call, which belongs in `sys/` with the crate's other
//! `unsafe`. The impl is written here once, as a macro each socket type invokes, so `sys/`
//! needs to know none of them (layers point down).

/// `impl FromRawFd for $ty` through `$ty: From<OwnedFd>`.
macro_rules! impl_from_raw_fd {
    ($ty:ty) => {
        impl std::os::fd::FromRawFd for $ty {
            /// Adopts `fd` as `From<OwnedFd>` does.
            ///
            /// # Safety
            ///
            /// `fd` must be an open fd that nothing else owns or will close.
            unsafe fn from_raw_fd(fd: std::os::fd::RawFd) -> $ty {
                // SAFETY: the caller guarantees what OwnedFd::from_raw_fd requires: `fd` is
                // open and owned by nobody else, so the OwnedFd may close it.
                <$ty>::from(unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) })
            }
        }
    };
}

pub(crate) use impl_from_raw_fd;
