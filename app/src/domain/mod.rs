//! Pure domain logic: no leptos, axum or sea-orm here, and the clock is always an argument.

pub mod calendar;
pub mod catalog;
pub mod format;
pub mod function;
pub mod lang;
pub mod organisation;
pub mod people;
pub mod rules;
pub mod workflow;

#[cfg(test)]
mod tests_fuzz;
