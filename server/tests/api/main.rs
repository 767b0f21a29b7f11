//! Integration tests: the real router on a free port, against SQLite and PostgreSQL alike.
//! Every test runs twice (module `sqlite` and module `postgres`), each on a fresh database.

mod helpers;

mod auth;
mod boards;
mod calendar;
mod cases;
mod catalog;
mod crash;
mod dashboard;
mod deadlines_calendar;
mod demo;
mod errors;
mod health;
mod ledger_manual;
mod organisation;
mod pages;
mod people_admin;
mod permissions;
mod repeats_and_files;
mod reports;
mod scheduler;
mod startup;
