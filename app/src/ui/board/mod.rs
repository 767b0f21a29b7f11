//! The function's kanban board: a lane per process, a column per step, a card per open case,
//! moved by mouse, touch or keyboard and kept live for every viewer.

pub mod board_dnd;
pub mod board_live;
pub mod board_page;
pub mod board_state;
pub mod case_drawer;
pub mod drawer_texts;
pub mod overview_view;
pub mod raise_dialog;
pub mod raise_texts;
pub mod texts;
