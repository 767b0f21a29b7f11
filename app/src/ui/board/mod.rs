//! The function's kanban board: a lane per process, a column per step, a card per open case.

pub mod board_page;
pub mod texts;
