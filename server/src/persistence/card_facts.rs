//! The facts of the open cases' cards (all a card shows but its SLA), kept per case version,
//! so that a board of a thousand cards recomputes only the thousand SLA states on each look,
//! not every card's conditions, names and due-time texts.
//!
//! A card's facts depend only on the case at its version, the catalog version the case
//! follows and the organisation's time zone (its due times are written in it); a kept entry
//! is used only when all three are still the same. Every write of a case moves its version
//! on, so an entry is never outdated, only unused; unused entries (cases closed or moved on)
//! go when the memory is full: past its capacity (the case memory's, `--case-memory`) it is
//! emptied and fills again from the next boards. Capacity 0 keeps nothing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use app::domain::workflow::board::CardFacts;
use app::domain::workflow::context::ProcessRef;
use app::domain::workflow::Case;
use chrono_tz::Tz;

struct Kept {
    version: i64,
    catalog_version: u32,
    zone: Tz,
    facts: Arc<CardFacts>,
}

pub(super) struct CardFactsMemory {
    inner: Mutex<HashMap<i64, Kept>>,
    capacity: usize,
}

impl CardFactsMemory {
    pub fn new(capacity: usize) -> CardFactsMemory {
        CardFactsMemory {
            inner: Mutex::default(),
            capacity,
        }
    }

    fn inner(&self) -> MutexGuard<'_, HashMap<i64, Kept>> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The facts of each case's card (`None` for a case not on a board: closed, or no step
    /// under way), with due times in `zone`: those kept are taken under one lock, the others
    /// made outside it and kept.
    pub fn facts_of(&self, cases: &[(&Case, ProcessRef)], zone: Tz) -> Vec<Option<Arc<CardFacts>>> {
        let mut found: Vec<Option<Arc<CardFacts>>> = {
            let inner = self.inner();
            cases
                .iter()
                .map(|(case, _)| {
                    inner
                        .get(&case.id.0)
                        .filter(|k| {
                            k.version == case.version
                                && k.catalog_version == case.catalog_version
                                && k.zone == zone
                        })
                        .map(|k| k.facts.clone())
                })
                .collect()
        };
        let mut made = Vec::new();
        for (slot, (case, process)) in found.iter_mut().zip(cases) {
            if slot.is_none() {
                if let Some(facts) = CardFacts::of(case, process, zone) {
                    let facts = Arc::new(facts);
                    made.push((*case, facts.clone()));
                    *slot = Some(facts);
                }
            }
        }
        if !made.is_empty() && self.capacity > 0 {
            let mut inner = self.inner();
            if inner.len() + made.len() > self.capacity {
                inner.clear();
            }
            for (case, facts) in made.into_iter().take(self.capacity) {
                inner.insert(
                    case.id.0,
                    Kept {
                        version: case.version,
                        catalog_version: case.catalog_version,
                        zone,
                        facts,
                    },
                );
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::calendar::BusinessCalendar;
    use app::domain::catalog::builtin;
    use app::domain::workflow::samples::sample_form;
    use app::domain::workflow::{raise, Actor, CaseId, Context, RaiseRequest};
    use chrono::{TimeZone, Utc};

    #[test]
    fn facts_are_kept_per_case_version_catalog_version_and_zone() {
        let catalog = builtin().unwrap();
        let calendar = BusinessCalendar::built_in();
        let process = ProcessRef::find(&catalog, "incoming_document").unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 2, 0, 0).unwrap();
        let request = RaiseRequest {
            catalog_version: 1,
            title: "来文".into(),
            department: None,
            form: sample_form(process.process, now, false),
        };
        let by = Actor::new(7, "王五", &["employee"]);
        let ctx = Context::new(process, &calendar, now);
        let mut case = raise(&ctx, &by, &request).unwrap().case;
        case.id = CaseId(41);
        let shanghai = calendar.settings().time_zone;
        let memory = CardFactsMemory::new(10);
        let facts = |memory: &CardFactsMemory, case: &Case, zone| {
            memory.facts_of(&[(case, process)], zone)[0]
                .clone()
                .expect("an open case has a card")
        };

        let first = facts(&memory, &case, shanghai);
        assert_eq!(first.card.case_id, 41);
        assert!(
            Arc::ptr_eq(&first, &facts(&memory, &case, shanghai)),
            "kept"
        );
        // Another version, another catalog version or another zone: made anew.
        let mut moved = case.clone();
        moved.version += 1;
        assert!(!Arc::ptr_eq(&first, &facts(&memory, &moved, shanghai)));
        let mut later = moved.clone();
        later.catalog_version += 1;
        assert!(!Arc::ptr_eq(&first, &facts(&memory, &later, shanghai)));
        let utc = facts(&memory, &later, chrono_tz::UTC);
        assert_ne!(utc.card.due_at, first.card.due_at, "due times in the zone");
        // A closed case has no card.
        let mut closed = case.clone();
        closed.status = app::domain::workflow::CaseStatus::Closed;
        assert!(memory.facts_of(&[(&closed, process)], shanghai)[0].is_none());
        // Capacity 0 keeps nothing.
        let none = CardFactsMemory::new(0);
        assert!(!Arc::ptr_eq(
            &facts(&none, &case, shanghai),
            &facts(&none, &case, shanghai)
        ));
    }
}
