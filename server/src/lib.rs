//! The OfficeFlow server: configuration, persistence, the router and the operator commands.

pub mod access;
pub mod cli;
pub mod commands;
pub mod config;
pub mod health;
pub mod persistence;
pub mod startup;
pub mod telemetry;
