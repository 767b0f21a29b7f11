//! People in the UI: signing in, the account menu, and the inbox ("needs me now").

pub mod account_menu;
pub mod inbox_page;
pub mod sign_in_page;
pub mod texts;
