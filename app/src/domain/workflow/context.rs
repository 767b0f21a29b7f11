//! What every operation works against: the case's process (with its catalog, for names), the
//! calendar and the instant of the operation. Nothing here reads the clock.

use chrono::{DateTime, Utc};

use crate::domain::calendar::BusinessCalendar;
use crate::domain::catalog::{Catalog, FieldCode, OutputCode, Process, RoleCode};
use crate::domain::lang::Text;

/// A process together with the catalog version it belongs to.
#[derive(Clone, Copy, Debug)]
pub struct ProcessRef<'a> {
    pub catalog: &'a Catalog,
    pub process: &'a Process,
}

impl<'a> ProcessRef<'a> {
    pub fn find(catalog: &'a Catalog, code: &str) -> Option<ProcessRef<'a>> {
        catalog
            .process(code)
            .map(|process| ProcessRef { catalog, process })
    }

    pub fn role_name(&self, code: &RoleCode) -> Text {
        self.catalog
            .role(code.as_str())
            .map(|r| r.name.clone())
            .unwrap_or_else(|| Text::new(code.as_str(), code.as_str()))
    }

    pub fn output_name(&self, code: &OutputCode) -> Text {
        self.catalog
            .output(code.as_str())
            .map(|o| o.name.clone())
            .unwrap_or_else(|| Text::new(code.as_str(), code.as_str()))
    }

    pub fn field_label(&self, code: &FieldCode) -> Text {
        self.process
            .field(code.as_str())
            .map(|f| f.label.clone())
            .unwrap_or_else(|| Text::new(code.as_str(), code.as_str()))
    }
}

/// The process, the calendar and the instant an operation happens at.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    pub process: ProcessRef<'a>,
    pub calendar: &'a BusinessCalendar,
    pub now: DateTime<Utc>,
}

impl<'a> Context<'a> {
    pub fn new(
        process: ProcessRef<'a>,
        calendar: &'a BusinessCalendar,
        now: DateTime<Utc>,
    ) -> Self {
        Context {
            process,
            calendar,
            now,
        }
    }

    pub fn process(&self) -> &'a Process {
        self.process.process
    }
}
