//! The monthly 《报销台账》 summary: the month's paid claims (the rows the `reimbursement`
//! process's payment step writes), totals per department, and the items the standard asks to
//! flag: frequent claims (高频报销项) and abnormal ones (异常报销点).
//!
//! Decisions (the standard names the flags, not their thresholds):
//! - frequent: a claimant paid [`FREQUENT_CLAIMS`] times or more in the month, or a reason
//!   (compared without case, spaces and punctuation) paid that often;
//! - abnormal: an amount that is missing, unreadable or not above zero; an amount at least
//!   [`HIGH_FACTOR`] times the month's median claim once the month has
//!   [`MIN_CLAIMS_FOR_MEDIAN`] claims; the same claimant, amount and reason paid more than
//!   once in the month (a possible duplicate).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;

use super::{percent, same, Figure, ReportRow, Section, Tone};
use crate::domain::lang::Text;
use crate::domain::workflow::form::money_text;
use crate::domain::workflow::ledger_view::LedgerEntry;

/// The ledger the report reads.
pub const LEDGER: &str = "reimbursements";
/// Claims by one claimant (or for one reason) in a month from which they are frequent.
pub const FREQUENT_CLAIMS: usize = 3;
/// A claim this many times the month's median or more is abnormal.
pub const HIGH_FACTOR: i64 = 3;
/// The fewest claims in a month for the median to be a yardstick.
pub const MIN_CLAIMS_FOR_MEDIAN: usize = 5;

/// One paid claim, as read from its ledger row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    /// The case that paid it; 0 for a row entered by hand.
    pub case: i64,
    /// The number of a row entered by hand.
    pub manual: Option<i64>,
    pub claimant: String,
    pub department: String,
    pub reason: String,
    /// `None`: the amount does not read as money.
    pub cents: Option<i64>,
    /// The amount as recorded.
    pub amount: String,
    /// Local `YYYY-MM-DD HH:MM`.
    pub paid_at: String,
    pub day: NaiveDate,
}

/// Money text (`1234.5`, `1,234.50`, `¥1234`) in cents.
pub fn cents_of(text: &str) -> Option<i64> {
    let cleaned: String = text
        .trim()
        .trim_start_matches(['¥', '￥'])
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    let (negative, digits) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty()
        || fraction.len() > 2
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !fraction.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
    let cents = whole.checked_mul(100)?.checked_add(fraction)?;
    Some(if negative { -cents } else { cents })
}

/// Cents with thousands separators: `12,345.60`.
pub fn money(cents: i64) -> String {
    let plain = money_text(cents);
    let (sign, plain) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest.to_string()),
        None => ("", plain),
    };
    let (whole, fraction) = plain.split_once('.').unwrap_or((&plain, "00"));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{fraction}")
}

/// The claims of ledger rows written between `from` and `to` (local days, inclusive).
pub fn claims(entries: &[LedgerEntry], zone: Tz, from: NaiveDate, to: NaiveDate) -> Vec<Claim> {
    let mut claims: Vec<Claim> = entries
        .iter()
        .filter(|e| e.row.ledger.as_str() == LEDGER)
        .filter_map(|e| {
            let cell = |code: &str| {
                e.row
                    .cells
                    .iter()
                    .find(|c| c.column.as_str() == code)
                    .map(|c| c.value.trim().to_string())
                    .unwrap_or_default()
            };
            let local = e.row.at.with_timezone(&zone);
            let day = local.date_naive();
            if day < from || day > to {
                return None;
            }
            let paid = cell("paid_at");
            let paid_at = DateTime::parse_from_rfc3339(&paid)
                .map(|t| t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_else(|_| local.format("%Y-%m-%d %H:%M").to_string());
            let department = Some(cell("department"))
                .filter(|d| !d.is_empty())
                .or_else(|| e.department.clone())
                .unwrap_or_default();
            let amount = cell("amount");
            Some(Claim {
                case: e.row.case.0,
                manual: e.manual.as_ref().map(|m| m.id),
                claimant: cell("claimant"),
                department,
                reason: cell("reason"),
                cents: cents_of(&amount),
                amount,
                paid_at,
                day,
            })
        })
        .collect();
    claims.sort_by(|a, b| a.paid_at.cmp(&b.paid_at).then(a.case.cmp(&b.case)));
    claims
}

impl Claim {
    /// `#12` for a case, `M3` for a row entered by hand.
    pub fn label(&self) -> String {
        match self.manual {
            Some(id) => format!("M{id}"),
            None => format!("#{}", self.case),
        }
    }

    fn link(&self) -> Option<i64> {
        self.manual.is_none().then_some(self.case)
    }
}

/// A reason as compared for frequency: lower case, without spaces and punctuation.
pub fn reason_key(reason: &str) -> String {
    reason
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Why a claim is abnormal, if it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Anomaly {
    /// Missing, unreadable, zero or negative.
    BadAmount,
    /// At least [`HIGH_FACTOR`] × the month's median.
    High { median: i64 },
    /// Same claimant, amount and reason as another claim of the month.
    Duplicate { others: Vec<String> },
}

impl Anomaly {
    pub fn words(&self) -> Text {
        match self {
            Anomaly::BadAmount => Text::new("金额缺失或无效", "Amount missing or invalid"),
            Anomaly::High { median } => Text::new(
                format!(
                    "金额达本月中位数({})的 {HIGH_FACTOR} 倍以上",
                    money(*median)
                ),
                format!(
                    "At least {HIGH_FACTOR}× the month's median claim ({})",
                    money(*median)
                ),
            ),
            Anomaly::Duplicate { others } => {
                let list = cases_text(others);
                Text::new(
                    format!("疑似重复报销(同一报销人、金额与事由:{list})"),
                    format!("Possible duplicate (same claimant, amount and reason: {list})"),
                )
            }
        }
    }
}

fn cases_text(cases: &[String]) -> String {
    cases.join(", ")
}

/// The month's median claim (nearest rank), when the month has enough claims to compare.
pub fn median_claim(claims: &[Claim]) -> Option<i64> {
    let mut amounts: Vec<i64> = claims
        .iter()
        .filter_map(|c| c.cents)
        .filter(|c| *c > 0)
        .collect();
    if amounts.len() < MIN_CLAIMS_FOR_MEDIAN {
        return None;
    }
    amounts.sort_unstable();
    Some(amounts[amounts.len().div_ceil(2) - 1])
}

/// Each claim's anomalies, in the claims' order.
pub fn anomalies(claims: &[Claim]) -> Vec<Vec<Anomaly>> {
    let median = median_claim(claims);
    let mut same_claim: BTreeMap<(String, i64, String), Vec<String>> = BTreeMap::new();
    for c in claims {
        if let Some(cents) = c.cents {
            same_claim
                .entry((c.claimant.clone(), cents, reason_key(&c.reason)))
                .or_default()
                .push(c.label());
        }
    }
    claims
        .iter()
        .map(|c| {
            let mut found = Vec::new();
            match c.cents {
                None => found.push(Anomaly::BadAmount),
                Some(cents) if cents <= 0 => found.push(Anomaly::BadAmount),
                Some(cents) => {
                    if let Some(median) = median.filter(|m| cents >= m * HIGH_FACTOR) {
                        found.push(Anomaly::High { median });
                    }
                    let twins = &same_claim[&(c.claimant.clone(), cents, reason_key(&c.reason))];
                    if twins.len() > 1 {
                        found.push(Anomaly::Duplicate {
                            others: twins.iter().filter(|t| **t != c.label()).cloned().collect(),
                        });
                    }
                }
            }
            found
        })
        .collect()
}

/// A frequent item: who or what, and the claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frequent {
    pub by_claimant: bool,
    /// The claimant, or the reason as first written.
    pub name: String,
    /// The claims' labels (`#12`, `M3`).
    pub cases: Vec<String>,
    pub cents: i64,
}

/// The frequent claimants, then the frequent reasons, most claims first.
pub fn frequent(claims: &[Claim]) -> Vec<Frequent> {
    let mut by_claimant: BTreeMap<String, Frequent> = BTreeMap::new();
    let mut by_reason: BTreeMap<String, Frequent> = BTreeMap::new();
    for c in claims {
        let claimant = c.claimant.trim();
        if !claimant.is_empty() {
            let entry = by_claimant
                .entry(claimant.to_string())
                .or_insert_with(|| Frequent {
                    by_claimant: true,
                    name: claimant.to_string(),
                    cases: Vec::new(),
                    cents: 0,
                });
            entry.cases.push(c.label());
            entry.cents += c.cents.unwrap_or(0).max(0);
        }
        let key = reason_key(&c.reason);
        if !key.is_empty() {
            let entry = by_reason.entry(key).or_insert_with(|| Frequent {
                by_claimant: false,
                name: c.reason.trim().to_string(),
                cases: Vec::new(),
                cents: 0,
            });
            entry.cases.push(c.label());
            entry.cents += c.cents.unwrap_or(0).max(0);
        }
    }
    let pick = |map: BTreeMap<String, Frequent>| {
        let mut found: Vec<Frequent> = map
            .into_values()
            .filter(|f| f.cases.len() >= FREQUENT_CLAIMS)
            .collect();
        found.sort_by(|a, b| {
            b.cases
                .len()
                .cmp(&a.cases.len())
                .then(b.cents.cmp(&a.cents))
                .then(a.name.cmp(&b.name))
        });
        found
    };
    let mut all = pick(by_claimant);
    all.extend(pick(by_reason));
    all
}

/// The figures and sections of the month's claims.
pub fn report_body(claims: &[Claim]) -> (Vec<Figure>, Vec<Section>) {
    let total: i64 = claims
        .iter()
        .filter_map(|c| c.cents)
        .filter(|c| *c > 0)
        .sum();
    let found = anomalies(claims);
    let frequent = frequent(claims);
    let abnormal = found.iter().filter(|a| !a.is_empty()).count();
    let frequent_cases: Vec<String> = frequent.iter().flat_map(|f| f.cases.clone()).collect();
    let median = {
        let mut amounts: Vec<i64> = claims.iter().filter_map(|c| c.cents).collect();
        amounts.sort_unstable();
        (!amounts.is_empty()).then(|| amounts[amounts.len().div_ceil(2) - 1])
    };

    let figures = vec![
        Figure {
            label: Text::new("报销笔数", "Claims paid"),
            value: same(claims.len().to_string()),
            tone: Tone::Plain,
        },
        Figure {
            label: Text::new("报销总额(元)", "Total paid (CNY)"),
            value: same(money(total)),
            tone: Tone::Plain,
        },
        Figure {
            label: Text::new("单笔中位数(元)", "Median claim (CNY)"),
            value: same(median.map_or("—".to_string(), money)),
            tone: Tone::Plain,
        },
        Figure {
            label: Text::new("高频报销项", "Frequent items"),
            value: same(frequent.len().to_string()),
            tone: if frequent.is_empty() {
                Tone::Good
            } else {
                Tone::Warning
            },
        },
        Figure {
            label: Text::new("异常报销点", "Abnormal claims"),
            value: same(abnormal.to_string()),
            tone: if abnormal == 0 {
                Tone::Good
            } else {
                Tone::Danger
            },
        },
    ];

    // Per department, the largest first.
    let mut departments: BTreeMap<String, (usize, i64)> = BTreeMap::new();
    for c in claims {
        let d = departments.entry(c.department.clone()).or_default();
        d.0 += 1;
        d.1 += c.cents.unwrap_or(0).max(0);
    }
    let mut departments: Vec<(String, (usize, i64))> = departments.into_iter().collect();
    departments.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then(a.0.cmp(&b.0)));
    let mut by_department = Section::new(
        "departments",
        Text::new("按部门汇总", "By department"),
        vec![
            (Text::new("部门", "Department"), false),
            (Text::new("笔数", "Claims"), true),
            (Text::new("金额(元)", "Amount (CNY)"), true),
            (Text::new("占总额", "Share of total"), true),
        ],
        Text::new("本月没有已付款的报销。", "No claims were paid this month."),
    );
    by_department.rows = departments
        .into_iter()
        .map(|(name, (count, cents))| ReportRow {
            case: None,
            function: None,
            tone: Tone::Plain,
            cells: vec![
                if name.is_empty() {
                    Text::new("(未填部门)", "(no department)")
                } else {
                    same(name)
                },
                same(count.to_string()),
                same(money(cents)),
                percent(cents.max(0) as usize, total.max(0) as usize),
            ],
        })
        .collect();

    let mut frequent_section = Section::new(
        "frequent",
        Text::new("高频报销项", "Frequent items"),
        vec![
            (Text::new("类别", "Kind"), false),
            (Text::new("报销人 / 事由", "Claimant / reason"), false),
            (Text::new("笔数", "Claims"), true),
            (Text::new("金额(元)", "Amount (CNY)"), true),
            (Text::new("涉及事项", "Cases"), false),
        ],
        Text::new("本月没有高频报销项。", "No frequent items this month."),
    )
    .with_note(Text::new(
        format!("同一报销人或同一事由(不计大小写、空格与标点)本月付款 {FREQUENT_CLAIMS} 笔及以上。"),
        format!(
            "A claimant, or a reason (ignoring case, spaces and punctuation), paid {FREQUENT_CLAIMS} times or more in the month."
        ),
    ));
    frequent_section.rows = frequent
        .iter()
        .map(|f| ReportRow {
            case: None,
            function: None,
            tone: Tone::Warning,
            cells: vec![
                if f.by_claimant {
                    Text::new("报销人", "Claimant")
                } else {
                    Text::new("事由", "Reason")
                },
                same(f.name.clone()),
                same(f.cases.len().to_string()),
                same(money(f.cents)),
                same(cases_text(&f.cases)),
            ],
        })
        .collect();

    let claim_cells = |c: &Claim| {
        vec![
            same(c.label()),
            same(c.claimant.clone()),
            same(c.department.clone()),
            same(c.reason.clone()),
            same(c.cents.map_or_else(|| c.amount.clone(), money)),
            same(c.paid_at.clone()),
        ]
    };
    let claim_columns = || {
        vec![
            (Text::new("事项", "Case"), false),
            (Text::new("报销人", "Claimant"), false),
            (Text::new("部门", "Department"), false),
            (Text::new("事由", "Reason"), false),
            (Text::new("金额(元)", "Amount (CNY)"), true),
            (Text::new("付款时间", "Paid at"), false),
        ]
    };
    let mut columns = claim_columns();
    columns.push((Text::new("异常说明", "Why"), false));
    let mut abnormal_section = Section::new(
        "abnormal",
        Text::new("异常报销点", "Abnormal claims"),
        columns,
        Text::new("本月没有异常报销点。", "No abnormal claims this month."),
    )
    .with_note(Text::new(
        format!(
            "金额缺失或不大于零;金额达本月单笔中位数的 {HIGH_FACTOR} 倍及以上(本月至少 {MIN_CLAIMS_FOR_MEDIAN} 笔时比较);同一报销人、同一金额与事由本月出现多次。"
        ),
        format!(
            "An amount missing or not above zero; an amount at least {HIGH_FACTOR}× the month's median claim (compared once the month has {MIN_CLAIMS_FOR_MEDIAN} claims); the same claimant, amount and reason more than once in the month."
        ),
    ));
    let mut columns = claim_columns();
    columns.push((Text::new("标注", "Flags"), false));
    let mut details = Section::new(
        "claims",
        Text::new("报销明细", "All claims"),
        columns,
        Text::new("本月没有已付款的报销。", "No claims were paid this month."),
    );
    for (claim, found) in claims.iter().zip(&found) {
        let is_frequent = frequent_cases.contains(&claim.label());
        if !found.is_empty() {
            let mut cells = claim_cells(claim);
            let words: Vec<Text> = found.iter().map(Anomaly::words).collect();
            cells.push(Text::new(
                words
                    .iter()
                    .map(|w| w.zh.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
                words
                    .iter()
                    .map(|w| w.en.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            ));
            abnormal_section.rows.push(ReportRow {
                case: claim.link(),
                function: Some("finance".to_string()),
                tone: Tone::Danger,
                cells,
            });
        }
        let mut cells = claim_cells(claim);
        let flags: Vec<Text> = [
            (!found.is_empty()).then(|| Text::new("异常", "Abnormal")),
            is_frequent.then(|| Text::new("高频", "Frequent")),
        ]
        .into_iter()
        .flatten()
        .collect();
        cells.push(Text::new(
            flags
                .iter()
                .map(|w| w.zh.as_str())
                .collect::<Vec<_>>()
                .join("、"),
            flags
                .iter()
                .map(|w| w.en.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ));
        details.rows.push(ReportRow {
            case: claim.link(),
            function: Some("finance".to_string()),
            tone: if !found.is_empty() {
                Tone::Danger
            } else if is_frequent {
                Tone::Warning
            } else {
                Tone::Plain
            },
            cells,
        });
    }
    (
        figures,
        vec![by_department, frequent_section, abnormal_section, details],
    )
}
