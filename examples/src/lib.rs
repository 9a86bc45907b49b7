//! Helpers shared by the runnable examples in `examples/examples/`.
