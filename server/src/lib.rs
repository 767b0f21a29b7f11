//! The OfficeFlow server: configuration, persistence, the router and the operator commands.

pub mod access;
pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
pub mod events;
pub mod feeds;
pub mod files;
pub mod health;
pub mod ledger_export;
pub mod people_setup;
pub mod persistence;
pub mod report_export;
pub mod request_arena;
pub mod scheduler;
pub mod startup;
pub mod telemetry;
