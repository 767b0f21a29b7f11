//! The working-day calendar page: the years whose holiday arrangement is known, the working
//! hours, the administrator's overrides, and a deadline calculator on the same engine.

pub mod deadline_calculator;
pub mod overrides_table;
pub mod texts;
pub mod working_calendar_page;
