//! The dashboard: the work under way and how the steps of the standard fare, with SVG charts
//! and the same numbers as tables.

pub mod charts;
pub mod dashboard_page;
pub mod texts;
