//! What the navigation and the overview show of an office function.

use serde::{Deserialize, Serialize};

use crate::domain::lang::Text;

/// One of the office functions, as listed in the navigation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionSummary {
    pub code: String,
    /// 1-based position in the standard.
    pub number: usize,
    pub name: Text,
    pub positioning: Text,
    /// The function's accent colour, `#rrggbb`.
    pub accent: String,
}
