//! `Progress`: what an attempt tells the reactor besides its result.

/// What an I/O attempt tells the reactor besides its result.
///
/// ```
/// use asock::reactor::Progress;
///
/// // A stream read that filled only part of the buffer drained the kernel's queue.
/// let (len, wanted) = (100, 4096);
/// let progress = if len < wanted { Progress::Drained } else { Progress::More };
/// assert_eq!(progress, Progress::Drained);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// There may be more to do: keep the readiness.
    More,
    /// A short read or write on a stream socket: the kernel's buffer is now empty (or full),
    /// so clear the readiness as a `WouldBlock` would, saving that extra syscall. Never use it
    /// for datagram sockets, where a short read says nothing about the queue.
    Drained,
}
