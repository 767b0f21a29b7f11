//! The calendar of deadlines: month, week and list views, and the subscription feed.

pub mod calendar_page;
pub mod feed_panel;
pub mod texts;
