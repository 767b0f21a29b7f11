//! The application frame: top bar, navigation, language switch and shortcut help.

pub mod browser;
pub mod icons;
pub mod lang_switch;
pub mod shell_layout;
pub mod shortcuts;
pub mod side_nav;
pub mod sign_in_first;
pub mod top_bar;
