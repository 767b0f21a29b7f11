//! The generated reports: the weekly collaboration briefing, the monthly reimbursement summary
//! and the monthly overdue report, as pages to read and print and as downloads.

pub mod reports_page;
