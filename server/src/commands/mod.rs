//! Operator commands beside `serve`: each prints to standard output and returns an error
//! message (one line or several) for `cli` to print and exit non-zero with.

pub mod catalog;
pub mod deadline;
