//! asock's clock: [`Instant`], read through one seam.
//!
//! Every deadline in asock — a timed operation, a `.timeout(d)`, Happy Eyeballs' delays — is
//! an [`Instant`] read with [`Instant::now`], which asks the right clock:
//!
//! | where | clock |
//! |---|---|
//! | inside a tokio runtime | tokio's, so `#[tokio::test(start_paused = true)]` and `tokio::time::advance` move asock's deadlines too |
//! | anywhere else | the system's monotonic clock (`std::time::Instant`) |
//!
//! The Happy Eyeballs engine reads no clock at all: its drivers hand it `now`. A blocking call
//! that sleeps in `poll(2)` measures real time, whatever runtime surrounds it.
//!
//! ```
//! use std::time::Duration;
//! use asock::time::Instant;
//!
//! let start = Instant::now();
//! let deadline = start + Duration::from_millis(250);
//! assert_eq!(deadline - start, Duration::from_millis(250));
//! assert!(deadline.saturating_duration_since(Instant::now()) <= Duration::from_millis(250));
//! ```

use std::fmt;
use std::ops::{Add, AddAssign, Sub, SubAssign};
use std::time::Duration;

/// A reading of asock's clock: `std::time::Instant`, read from tokio's clock inside a tokio
/// runtime (see the [module docs](self)).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(std::time::Instant);

impl Instant {
    /// Now, on the clock of the calling context.
    #[must_use]
    pub fn now() -> Instant {
        // tokio's `Instant::now` is the system clock outside a runtime and the runtime's
        // (possibly paused) clock inside one.
        #[cfg(feature = "tokio")]
        return Instant(tokio::time::Instant::now().into_std());
        #[cfg(not(feature = "tokio"))]
        Instant(std::time::Instant::now())
    }

    /// The same instant as `std`'s type.
    #[must_use]
    pub fn into_std(self) -> std::time::Instant {
        self.0
    }

    /// `self + duration`, or `None` past the clock's range.
    #[must_use]
    pub fn checked_add(self, duration: Duration) -> Option<Instant> {
        self.0.checked_add(duration).map(Instant)
    }

    /// `self - duration`, or `None` before the clock's range.
    #[must_use]
    pub fn checked_sub(self, duration: Duration) -> Option<Instant> {
        self.0.checked_sub(duration).map(Instant)
    }

    /// The time from `earlier` to `self`, zero if `earlier` is later.
    #[must_use]
    pub fn saturating_duration_since(self, earlier: Instant) -> Duration {
        self.0.saturating_duration_since(earlier.0)
    }

    /// The time since `self`, zero if `self` lies ahead.
    #[must_use]
    pub fn elapsed(self) -> Duration {
        Instant::now().saturating_duration_since(self)
    }
}

impl From<std::time::Instant> for Instant {
    fn from(instant: std::time::Instant) -> Instant {
        Instant(instant)
    }
}

impl From<Instant> for std::time::Instant {
    fn from(instant: Instant) -> std::time::Instant {
        instant.0
    }
}

#[cfg(feature = "tokio")]
impl From<Instant> for tokio::time::Instant {
    fn from(instant: Instant) -> tokio::time::Instant {
        tokio::time::Instant::from_std(instant.0)
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;

    /// # Panics
    ///
    /// Past the clock's range, as `std::time::Instant`; asock itself uses
    /// [`checked_add`](Instant::checked_add).
    fn add(self, rhs: Duration) -> Instant {
        Instant(self.0 + rhs)
    }
}

impl AddAssign<Duration> for Instant {
    fn add_assign(&mut self, rhs: Duration) {
        *self = *self + rhs;
    }
}

impl Sub<Duration> for Instant {
    type Output = Instant;

    fn sub(self, rhs: Duration) -> Instant {
        Instant(self.0 - rhs)
    }
}

impl SubAssign<Duration> for Instant {
    fn sub_assign(&mut self, rhs: Duration) {
        *self = *self - rhs;
    }
}

impl Sub<Instant> for Instant {
    type Output = Duration;

    /// The time from `rhs` to `self`, zero if `rhs` is later (as `std`'s since Rust 1.60).
    fn sub(self, rhs: Instant) -> Duration {
        self.saturating_duration_since(rhs)
    }
}

impl fmt::Debug for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
