//! The one macro behind `AddressFamily`, `SocketKind` and `Protocol`.
//!
//! Each is a transparent newtype over `c_int` (socket2's `Domain` shape) with an associated
//! const per Python name, a name table for `Debug`/`Display`/`from_name`, and lossless
//! conversion from and to the raw integer, so values the table does not know still round-trip.

/// Declares a `c_int` newtype with named associated constants.
///
/// The first name listed for a value is the one `name()` returns, matching the member that
/// Python's `IntEnum` reports for an aliased value (`AF_NETLINK` before `AF_ROUTE`).
macro_rules! c_int_newtype {
    (
        $(#[$meta:meta])*
        pub struct $ty:ident;
        $(
            $(#[$cmeta:meta])*
            $name:ident = $value:expr;
        )*
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(transparent)]
        pub struct $ty(pub libc::c_int);

        #[allow(missing_docs)]
        impl $ty {
            $(
                $(#[$cmeta])*
                pub const $name: Self = Self($value as libc::c_int);
            )*

            /// Every `(name, value)` pair this type knows, in declaration order.
            pub const NAMES: &'static [(&'static str, $ty)] = &[
                $( (stringify!($name), Self::$name), )*
            ];

            /// The raw integer, as the C API takes it.
            #[must_use]
            pub const fn raw(self) -> libc::c_int {
                self.0
            }

            /// Python's name for this value (`"AF_INET"`), or `None` for a value no name has.
            #[must_use]
            pub fn name(self) -> Option<&'static str> {
                Self::NAMES.iter().find(|(_, v)| *v == self).map(|(n, _)| *n)
            }

            /// The value Python calls `name`, or `None` if no constant has that name.
            #[must_use]
            pub fn from_name(name: &str) -> Option<Self> {
                Self::NAMES.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
            }
        }

        impl core::fmt::Debug for $ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                core::fmt::Display::fmt(self, f)
            }
        }

        impl core::fmt::Display for $ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self.name() {
                    Some(name) => f.write_str(name),
                    None => write!(f, "{}", self.0),
                }
            }
        }

        impl From<libc::c_int> for $ty {
            fn from(raw: libc::c_int) -> Self {
                Self(raw)
            }
        }

        impl From<$ty> for libc::c_int {
            fn from(value: $ty) -> Self {
                value.0
            }
        }
    };
}
