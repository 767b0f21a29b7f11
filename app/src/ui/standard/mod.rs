//! The "规范 / Standard" pages: the office standard as a browsable, printable handbook.

pub mod contents_nav;
pub mod form_fields;
pub mod function_header;
pub mod function_not_found;
pub mod function_page;
pub mod handbook_skeleton;
pub mod handbook_view;
pub mod icons;
pub mod ledgers_list;
pub mod outputs_list;
pub mod print_button;
pub mod process_section;
pub mod repeats_list;
pub mod roles_list;
pub mod step_details;
pub mod step_row;
pub mod texts;
