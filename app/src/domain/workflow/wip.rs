//! Work-in-progress limits: how many open cases a board column (one step of one process) may
//! hold. A limit is advice the team sets itself: a move into a full column is allowed once
//! the mover confirms it, and the case's history records that the limit was exceeded.

use serde::{Deserialize, Serialize};

use crate::domain::catalog::StepCode;
use crate::domain::lang::Text;
use crate::error::FieldError;

/// The largest limit a column takes.
pub const WIP_MAX: u32 = 999;

/// The limit of one column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WipLimit {
    pub process: String,
    pub step: StepCode,
    pub limit: u32,
}

/// How full a column is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WipLoad {
    Under,
    /// Exactly at its limit: the next card exceeds it.
    Full,
    Over,
}

/// How full a column holding `count` cards is under `limit`.
pub fn load(count: usize, limit: u32) -> WipLoad {
    match count.cmp(&(limit as usize)) {
        std::cmp::Ordering::Less => WipLoad::Under,
        std::cmp::Ordering::Equal => WipLoad::Full,
        std::cmp::Ordering::Greater => WipLoad::Over,
    }
}

/// A move that took a column past its limit, as the case's history records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WipExceeded {
    /// Cards in the column with the moved one.
    pub count: usize,
    pub limit: u32,
}

/// The refusal's code when a move would exceed a column's limit and was not confirmed.
pub const OVER_LIMIT: &str = "wip_limit_reached";

/// Whether a card may move into a column already holding `count` other cards under `limit`:
/// freely while there is room; past the limit only `confirmed`, and then it is recorded.
pub fn admit(
    count: usize,
    limit: Option<u32>,
    confirmed: bool,
    column: &Text,
) -> Result<Option<WipExceeded>, FieldError> {
    let Some(limit) = limit else {
        return Ok(None);
    };
    if count < limit as usize {
        return Ok(None);
    }
    if confirmed {
        return Ok(Some(WipExceeded {
            count: count + 1,
            limit,
        }));
    }
    Err(FieldError {
        field: "wip".into(),
        code: OVER_LIMIT.into(),
        message: Text::new(
            format!(
                "「{}」已达在制品上限({count}/{limit})。确认后仍可移入,超限会记入办理记录。",
                column.zh
            ),
            format!(
                "“{}” is at its work-in-progress limit ({count}/{limit}). Confirm to move the card \
                 in anyway; exceeding the limit is recorded in the case's history.",
                column.en
            ),
        ),
    })
}

/// Reads a limit as the API takes it: `None` removes the column's limit, else 1 to
/// [`WIP_MAX`].
pub fn parse_limit(raw: Option<i64>) -> Result<Option<u32>, FieldError> {
    match raw {
        None => Ok(None),
        Some(n) if (1..=i64::from(WIP_MAX)).contains(&n) => Ok(Some(n as u32)),
        Some(_) => Err(FieldError::new(
            "limit",
            "out_of_range",
            &format!("上限须为 1 到 {WIP_MAX} 之间的整数;留空即取消上限。"),
            &format!("A limit is a whole number from 1 to {WIP_MAX}; leave it empty for none."),
        )),
    }
}

/// The limit set on a column, if any.
pub fn limit_of(limits: &[WipLimit], process: &str, step: &StepCode) -> Option<u32> {
    limits
        .iter()
        .find(|l| l.process == process && &l.step == step)
        .map(|l| l.limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column() -> Text {
        Text::new("签收登记", "Sign and number")
    }

    #[test]
    fn a_column_is_under_full_or_over_its_limit() {
        assert_eq!(load(2, 3), WipLoad::Under);
        assert_eq!(load(3, 3), WipLoad::Full);
        assert_eq!(load(4, 3), WipLoad::Over);
        assert_eq!(load(0, 1), WipLoad::Under);
    }

    #[test]
    fn a_move_is_free_while_there_is_room_or_no_limit() {
        assert_eq!(admit(2, Some(3), false, &column()), Ok(None));
        assert_eq!(admit(50, None, false, &column()), Ok(None));
        assert_eq!(admit(50, None, true, &column()), Ok(None));
    }

    #[test]
    fn a_move_into_a_full_column_needs_confirmation_and_is_then_recorded() {
        let refused = admit(3, Some(3), false, &column()).unwrap_err();
        assert_eq!(refused.code, OVER_LIMIT);
        assert_eq!(refused.field, "wip");
        assert!(
            refused.message.zh.contains("「签收登记」"),
            "{}",
            refused.message.zh
        );
        assert!(refused.message.zh.contains("3/3"));
        assert_eq!(
            admit(3, Some(3), true, &column()),
            Ok(Some(WipExceeded { count: 4, limit: 3 }))
        );
        assert_eq!(
            admit(7, Some(3), true, &column()),
            Ok(Some(WipExceeded { count: 8, limit: 3 }))
        );
    }

    #[test]
    fn limits_are_whole_numbers_from_one_to_the_maximum_or_none() {
        assert_eq!(parse_limit(None), Ok(None));
        assert_eq!(parse_limit(Some(1)), Ok(Some(1)));
        assert_eq!(parse_limit(Some(999)), Ok(Some(999)));
        for bad in [0, -1, 1000, i64::MAX] {
            let e = parse_limit(Some(bad)).unwrap_err();
            assert_eq!(
                (e.field.as_str(), e.code.as_str()),
                ("limit", "out_of_range")
            );
        }
    }

    #[test]
    fn the_limit_of_a_column_is_found_by_process_and_step() {
        let limits = vec![
            WipLimit {
                process: "incoming_document".into(),
                step: StepCode::new("sign_and_number"),
                limit: 4,
            },
            WipLimit {
                process: "outgoing_document".into(),
                step: StepCode::new("sign_and_number"),
                limit: 9,
            },
        ];
        let step = StepCode::new("sign_and_number");
        assert_eq!(limit_of(&limits, "incoming_document", &step), Some(4));
        assert_eq!(limit_of(&limits, "outgoing_document", &step), Some(9));
        assert_eq!(limit_of(&limits, "archive_loan", &step), None);
    }
}
