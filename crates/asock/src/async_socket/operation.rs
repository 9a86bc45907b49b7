//! What every operation future shares: `Operation` (its mode can be overridden) and the
//! inherent `.timeout / .deadline / .nonblocking / .blocking` methods.

/// Implements [`Operation`](crate::Operation) and the inherent mode methods for an operation
/// future with a `wait: OpWait` field. Use: `socket_operation!(Recv<'a>);`.
macro_rules! socket_operation {
    ($name:ident<$($lt:lifetime),*>) => {
        impl<$($lt),*> $crate::Operation for $name<$($lt),*> {
            fn with_mode(mut self, mode: $crate::Mode) -> Self {
                self.wait = $crate::mode::OpWait::new(mode);
                self
            }

            fn with_deadline(mut self, deadline: $crate::time::Instant) -> Self {
                self.wait = $crate::mode::OpWait::with_deadline(deadline);
                self
            }
        }

        $crate::mode::operation_modes!(impl[<$($lt),*>] $name<$($lt),*>);
    };
}

/// `Debug` for operation futures with `sock` and `wait` fields: the fd and how it waits.
macro_rules! debug_operation {
    ($($name:ident),*) => {$(
        impl std::fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("fd", &self.sock.fileno())
                    .field("wait", &self.wait)
                    .finish_non_exhaustive()
            }
        }
    )*};
}

pub(super) use {debug_operation, socket_operation};
