//! Every integer constant of Python's `socket` module on Linux, under the same name.
