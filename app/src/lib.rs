//! OfficeFlow's shared crate: the pure domain, the server functions (the API) and the UI.
//!
//! `domain` has no framework imports and compiles for the server and for wasm32 alike.
//! `api` holds one server function per file; `ui` holds the Leptos components and pages.
//! Server-only plumbing (the ports the server implements) sits behind the `ssr` feature.

// Leptos views nest deeply in types; the release build needs more room to resolve them.
#![recursion_limit = "256"]

pub mod api;
pub mod domain;
pub mod error;
#[cfg(feature = "ssr")]
pub mod ports;
pub mod ui;
