//! The open cases this instance wrote or read last, as they were at a version, so that the
//! next operation on one of them need not read it back (one round trip to the database
//! instead of two), and a board or an inbox need not read and parse every open case anew
//! (only which are open at which versions).
//!
//! A copy read is as good as a copy written: a case row's content at a version is the same
//! whoever looks (every write moves the version on).
//!
//! A copy is used only when the caller's expected version is the copy's, and it is safe even
//! when another instance has since written the case: every write of a case row moves its
//! version on, and every write of ours is guarded by the version it started from
//! (`UPDATE cases … WHERE id = ? AND version = ?`), so a write decided on an outdated copy
//! changes nothing and is answered as a conflict (the copy is then forgotten). Other
//! instances' changes, heard through the events relay, drop the copies they outdate at once,
//! so a decision is not taken on an outdated copy longer than the relay takes to tell.
//!
//! Closed cases are not kept (they are rarely written again). The memory is bounded: past
//! the capacity (`--case-memory`, 20,000 cases by default: more than most offices have open
//! at once, about 3 KB each as the workflow bench measured, so 60 MB at most), the copy
//! written longest ago goes. Capacity 0 keeps nothing.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use app::domain::workflow::board::CaseChanged;
use app::domain::workflow::Case;
use futures::StreamExt;

use crate::events::CaseEvents;

/// A case as written, with the number of its last audit entry.
#[derive(Clone)]
pub(super) struct Copy {
    pub case: Arc<Case>,
    pub last_audit: i32,
}

#[derive(Default)]
struct Inner {
    cases: HashMap<i64, Copy>,
    /// Ids with the version they were kept at, oldest first; an id whose copy has since been
    /// replaced or dropped is skipped when its turn to go comes.
    order: VecDeque<(i64, i64)>,
}

pub(super) struct RecentCases {
    inner: Mutex<Inner>,
    capacity: usize,
    events: CaseEvents,
    followed: AtomicBool,
}

impl RecentCases {
    pub fn new(events: CaseEvents, capacity: usize) -> Arc<RecentCases> {
        Arc::new(RecentCases {
            inner: Mutex::default(),
            capacity,
            events,
            followed: AtomicBool::new(false),
        })
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The copy of case `id` at `version`, if this instance holds it.
    pub fn get(&self, id: i64, version: i64) -> Option<Copy> {
        self.inner()
            .cases
            .get(&id)
            .filter(|copy| copy.case.version == version)
            .cloned()
    }

    /// The copies of many cases at the versions given (`None` where there is none), under
    /// one lock.
    pub fn get_many(&self, wanted: &[(i64, i64)]) -> Vec<Option<Arc<Case>>> {
        let inner = self.inner();
        wanted
            .iter()
            .map(|(id, version)| {
                inner
                    .cases
                    .get(id)
                    .filter(|copy| copy.case.version == *version)
                    .map(|copy| Arc::clone(&copy.case))
            })
            .collect()
    }

    /// Keeps `case` as just written (an open one; a closed one is dropped).
    pub fn keep(self: &Arc<Self>, case: Case, last_audit: i32) {
        self.keep_shared(Arc::new(case), last_audit);
    }

    /// Keeps `case` as just read from its row (with the row's last audit entry).
    pub fn keep_read(self: &Arc<Self>, case: &Arc<Case>, last_audit: i32) {
        self.keep_shared(Arc::clone(case), last_audit);
    }

    fn keep_shared(self: &Arc<Self>, case: Arc<Case>, last_audit: i32) {
        if self.capacity == 0 {
            return;
        }
        self.follow_others();
        let id = case.id.0;
        let version = case.version;
        let mut inner = self.inner();
        // Two writes of one case can end in either order: the newer copy stays.
        if inner
            .cases
            .get(&id)
            .is_some_and(|c| c.case.version > version)
        {
            return;
        }
        if !case.is_open() {
            inner.cases.remove(&id);
            return;
        }
        let copy = Copy { case, last_audit };
        inner.cases.insert(id, copy);
        inner.order.push_back((id, version));
        while inner.cases.len() > self.capacity {
            let Some((old, at)) = inner.order.pop_front() else {
                break;
            };
            if inner.cases.get(&old).is_some_and(|c| c.case.version == at) {
                inner.cases.remove(&old);
            }
        }
        // Cases written over and over leave many outdated places in the order: compact it.
        if inner.order.len() > 2 * self.capacity {
            let Inner { cases, order } = &mut *inner;
            order.retain(|(id, at)| cases.get(id).is_some_and(|c| c.case.version == *at));
        }
    }

    /// Drops the copy of case `id` (a write on it failed: it may be outdated).
    pub fn forget(&self, id: i64) {
        self.inner().cases.remove(&id);
    }

    /// Drops the copy of a case another instance changed, unless it is as new.
    fn heard(&self, event: &CaseChanged) {
        let mut inner = self.inner();
        if inner
            .cases
            .get(&event.case)
            .is_some_and(|c| c.case.version < event.version)
        {
            inner.cases.remove(&event.case);
        }
    }

    fn clear(&self) {
        let mut inner = self.inner();
        inner.cases.clear();
        inner.order.clear();
    }

    /// From the first copy kept on, follows the other instances' changes (PostgreSQL; there
    /// are none on SQLite). The task holds the bus's receiving end and a weak reference only:
    /// it ends with the store.
    fn follow_others(self: &Arc<Self>) {
        if self.followed.swap(true, Ordering::SeqCst) {
            return;
        }
        let remote = self.events.subscribe_remote();
        tokio::spawn(follow(Arc::downgrade(self), remote));
    }
}

async fn follow(
    cases: Weak<RecentCases>,
    remote: impl futures::Stream<Item = Option<CaseChanged>> + Send + 'static,
) {
    let mut remote = Box::pin(remote);
    while let Some(next) = remote.next().await {
        let Some(cases) = cases.upgrade() else { return };
        match next {
            Some(event) => cases.heard(&event),
            // Some changes were missed: no copy can be trusted to be the newest.
            None => cases.clear(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::catalog::ProcessCode;
    use app::domain::workflow::{CaseId, CaseStatus, UserId, UserRef};

    fn case(id: i64, version: i64, open: bool) -> Case {
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-27T01:00:00Z")
            .expect("a time")
            .to_utc();
        Case {
            id: CaseId(id),
            process: ProcessCode::from("P1"),
            catalog_version: 1,
            title: "t".into(),
            requester: UserRef {
                id: UserId(1),
                name: "甲".into(),
            },
            department: None,
            values: Default::default(),
            status: if open {
                CaseStatus::Open
            } else {
                CaseStatus::Closed
            },
            steps: Vec::new(),
            comments: Vec::new(),
            anomalies: Vec::new(),
            escalations: Vec::new(),
            repeats_done: Vec::new(),
            version,
            created_at: at,
            updated_at: at,
            closed_at: None,
        }
    }

    #[tokio::test]
    async fn a_copy_answers_only_for_its_own_version() {
        let cases = RecentCases::new(CaseEvents::new(), 100);
        cases.keep(case(7, 3, true), 5);
        assert!(cases.get(7, 2).is_none());
        let copy = cases.get(7, 3).expect("kept");
        assert_eq!((copy.case.version, copy.last_audit), (3, 5));
        cases.keep(case(7, 4, true), 6);
        assert!(cases.get(7, 3).is_none());
        assert_eq!(cases.get(7, 4).map(|c| c.last_audit), Some(6));
        // A write that ends after a newer one does not bring its older copy back.
        cases.keep(case(7, 3, true), 5);
        assert_eq!(cases.get(7, 4).map(|c| c.last_audit), Some(6));
        cases.forget(7);
        assert!(cases.get(7, 4).is_none());
    }

    #[tokio::test]
    async fn a_copy_read_serves_a_board_and_never_replaces_a_newer_one() {
        let cases = RecentCases::new(CaseEvents::new(), 100);
        let read = Arc::new(case(8, 2, true));
        cases.keep_read(&read, 4);
        cases.keep(case(9, 5, true), 1);
        let found = cases.get_many(&[(8, 2), (9, 4), (10, 1), (9, 5)]);
        let versions: Vec<Option<i64>> = found
            .iter()
            .map(|c| c.as_ref().map(|c| c.version))
            .collect();
        assert_eq!(versions, [Some(2), None, None, Some(5)]);
        assert!(Arc::ptr_eq(found[0].as_ref().expect("read copy"), &read));
        assert_eq!(cases.get(8, 2).map(|c| c.last_audit), Some(4));
        // A read that started before a write and ends after it keeps nothing older.
        cases.keep(case(8, 3, true), 5);
        cases.keep_read(&read, 4);
        assert!(cases.get(8, 2).is_none());
        assert_eq!(cases.get(8, 3).map(|c| c.last_audit), Some(5));
    }

    #[tokio::test]
    async fn capacity_zero_keeps_nothing() {
        let cases = RecentCases::new(CaseEvents::new(), 0);
        cases.keep(case(1, 1, true), 1);
        assert!(cases.get(1, 1).is_none());
    }

    #[tokio::test]
    async fn closed_cases_are_dropped() {
        let cases = RecentCases::new(CaseEvents::new(), 100);
        cases.keep(case(1, 1, true), 1);
        cases.keep(case(1, 2, false), 2);
        assert!(cases.get(1, 2).is_none() && cases.get(1, 1).is_none());
    }

    #[tokio::test]
    async fn the_oldest_written_goes_first_and_the_order_stays_bounded() {
        let cases = RecentCases::new(CaseEvents::new(), 3);
        for id in 1..=3 {
            cases.keep(case(id, 1, true), 1);
        }
        // Case 1 written again: case 2 is now the one written longest ago.
        cases.keep(case(1, 2, true), 2);
        cases.keep(case(4, 1, true), 1);
        assert!(cases.get(2, 1).is_none());
        assert!(cases.get(1, 2).is_some() && cases.get(3, 1).is_some());
        assert!(cases.get(4, 1).is_some());
        for version in 3..100 {
            cases.keep(case(1, version, true), 1);
        }
        let inner = cases.inner();
        assert_eq!(inner.cases.len(), 3);
        assert!(inner.order.len() <= 2 * 3 + 1, "{}", inner.order.len());
    }
}
