//! People in the UI: signing in, the account menu, the inbox ("needs me now"), and the
//! administrators' page for people and departments.

pub mod account_menu;
pub mod admin_texts;
pub mod inbox_page;
pub mod people_admin_page;
pub mod sign_in_page;
pub mod texts;
