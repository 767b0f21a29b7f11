//! Evaluating a catalog [`Condition`] on a case's form values.
//!
//! An empty *required* field leaves the condition undecided (it will be filled during the
//! case); an empty optional field makes the comparison false.

use super::form::{FieldValue, FormValues, Numeric};
use crate::domain::catalog::{Condition, FieldCode, Process};
use crate::domain::lang::Text;

/// What a condition says about the values as they stand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Holds,
    Fails,
    /// A required field it reads is still empty.
    Unknown(Vec<FieldCode>),
}

impl Decision {
    pub fn holds(&self) -> bool {
        *self == Decision::Holds
    }
}

/// Evaluates `condition` (`None` always holds).
pub fn evaluate(condition: Option<&Condition>, process: &Process, values: &FormValues) -> Decision {
    let Some(condition) = condition else {
        return Decision::Holds;
    };
    let missing: Vec<FieldCode> = condition
        .fields()
        .into_iter()
        .filter(|f| {
            !values.contains_key(*f) && process.field(f.as_str()).is_some_and(|d| d.required)
        })
        .cloned()
        .collect();
    if !missing.is_empty() {
        return Decision::Unknown(missing);
    }
    if compare(condition, values) {
        Decision::Holds
    } else {
        Decision::Fails
    }
}

fn compare(condition: &Condition, values: &FormValues) -> bool {
    let number = |f: &FieldCode| values.get(f).and_then(FieldValue::numeric);
    match condition {
        Condition::Exceeds { field, of, percent } => match (number(field), number(of)) {
            (Some(Numeric::Cents(a)), Some(Numeric::Cents(b))) => {
                a as i128 * 100 > b as i128 * *percent as i128
            }
            (Some(a), Some(b)) => units(a) > units(b) * *percent as f64 / 100.0,
            _ => false,
        },
        Condition::Above { field, value } => match number(field) {
            Some(Numeric::Cents(c)) => c as i128 > *value as i128 * 100,
            Some(Numeric::Plain(n)) => n > *value as f64,
            None => false,
        },
        Condition::Is { field, option } => match values.get(field) {
            Some(FieldValue::Choice(t)) => t.zh == *option || t.en.eq_ignore_ascii_case(option),
            Some(FieldValue::Text(t)) => t == option,
            _ => false,
        },
    }
}

fn units(n: Numeric) -> f64 {
    match n {
        Numeric::Cents(c) => c as f64 / 100.0,
        Numeric::Plain(p) => p,
    }
}

/// The condition in words, with the fields' labels: 报价 > 预算的95% / Quote > 95% of Budget.
pub fn words(condition: &Condition, process: &Process) -> Text {
    let label = |f: &FieldCode| {
        process
            .field(f.as_str())
            .map(|d| d.label.clone())
            .unwrap_or_else(|| Text::new(f.as_str(), f.as_str()))
    };
    match condition {
        Condition::Exceeds {
            field,
            of,
            percent: 100,
        } => {
            let (a, b) = (label(field), label(of));
            Text::new(
                format!("{} > {}", a.zh, b.zh),
                format!("{} > {}", a.en, b.en),
            )
        }
        Condition::Exceeds { field, of, percent } => {
            let (a, b) = (label(field), label(of));
            Text::new(
                format!("{} > {}的{percent}%", a.zh, b.zh),
                format!("{} > {percent}% of {}", a.en, b.en),
            )
        }
        Condition::Above { field, value } => {
            let a = label(field);
            Text::new(format!("{} > {value}", a.zh), format!("{} > {value}", a.en))
        }
        Condition::Is { field, option } => {
            let a = label(field);
            Text::new(
                format!("{} = {option}", a.zh),
                format!("{} = {option}", a.en),
            )
        }
    }
}
