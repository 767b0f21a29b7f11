use super::*;
use chrono::TimeZone;
use rand::{Rng, SeedableRng};

fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, minute, 0).unwrap()
}

fn deadline(seq: i32, role: &str, assignee: Option<i64>, due_at: DateTime<Utc>) -> Deadline {
    Deadline {
        seq,
        step: format!("step_{seq}"),
        owner_role: role.to_string(),
        assignee,
        activated_at: at(1, 0, 0),
        due_at,
        provisional: false,
    }
}

fn planned(field: &str, at: DateTime<Utc>) -> Planned {
    Planned {
        field: field.to_string(),
        at,
        all_day: false,
    }
}

fn case(id: i64, version: i64, deadlines: Vec<Deadline>, events: Vec<Planned>) -> OpenCase {
    OpenCase {
        id,
        version,
        catalog_version: 1,
        process: "incoming_document".into(),
        function: "documents".into(),
        title: format!("case {id}"),
        requester_id: 100,
        department: None,
        assignees: deadlines.iter().filter_map(|d| d.assignee).collect(),
        deadlines,
        events,
    }
}

fn open(case: OpenCase) -> Change {
    Change::Open(Arc::new(case))
}

fn everyone() -> Sight {
    Sight {
        all: true,
        me: 1,
        whole: HashMap::new(),
    }
}

/// Each day of March 2026 from `first` to `last`, as bounds (UTC days, for the test).
fn bounds(first: u32, last: u32) -> Vec<DateTime<Utc>> {
    (first..=last + 1)
        .map(|d| {
            Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap()
                + chrono::Duration::days(d as i64 - 1)
        })
        .collect()
}

#[test]
fn a_newer_version_replaces_a_case_and_an_older_one_is_ignored() {
    let mut index = Index::default();
    index.apply(&open(case(
        1,
        2,
        vec![deadline(1, "clerk", None, at(3, 9, 0))],
        vec![],
    )));
    // A late follow-up of an earlier write (version 1) must not bring back the old deadline.
    index.apply(&open(case(
        1,
        1,
        vec![deadline(1, "clerk", None, at(5, 9, 0))],
        vec![],
    )));
    let (rows, _) = index.rows_in(&everyone(), at(1, 0, 0), at(31, 0, 0));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].due_at, at(3, 9, 0));
    // Version 3 moves it: the old place is gone, the new one is there.
    index.apply(&open(case(
        1,
        3,
        vec![deadline(2, "clerk", None, at(7, 9, 0))],
        vec![],
    )));
    let (rows, _) = index.rows_in(&everyone(), at(1, 0, 0), at(31, 0, 0));
    assert_eq!(
        rows.iter().map(|r| (r.seq, r.due_at)).collect::<Vec<_>>(),
        [(2, at(7, 9, 0))]
    );
    assert_eq!(index.deadlines.len(), 1, "no stale key left behind");
}

#[test]
fn a_case_that_left_stays_gone_whatever_older_change_arrives_after() {
    let mut index = Index::default();
    index.apply(&open(case(
        7,
        4,
        vec![deadline(1, "clerk", None, at(3, 9, 0))],
        vec![planned("meeting_start", at(4, 14, 0))],
    )));
    index.apply(&Change::Left { id: 7, version: 5 });
    index.apply(&open(case(
        7,
        4,
        vec![deadline(1, "clerk", None, at(3, 9, 0))],
        vec![],
    )));
    assert!(index.is_empty());
    assert!(index.deadlines.is_empty() && index.events.is_empty());
    let (d, e) = index.rows_in(&everyone(), at(1, 0, 0), at(31, 0, 0));
    assert!(d.is_empty() && e.is_empty());
}

#[test]
fn the_range_is_half_open_and_sight_limits_the_cases() {
    let mut index = Index::default();
    let mut theirs = case(1, 1, vec![deadline(1, "clerk", None, at(3, 0, 0))], vec![]);
    theirs.requester_id = 50;
    index.apply(&open(theirs));
    let mut assigned = case(
        2,
        1,
        vec![deadline(1, "clerk", Some(9), at(4, 0, 0))],
        vec![],
    );
    assigned.requester_id = 50;
    index.apply(&open(assigned));
    let mut requested = case(3, 1, vec![deadline(1, "clerk", None, at(5, 0, 0))], vec![]);
    requested.requester_id = 9;
    requested.process = "archive_loan".into();
    index.apply(&open(requested));

    let all = everyone();
    let (rows, _) = index.rows_in(&all, at(3, 0, 0), at(5, 0, 0));
    assert_eq!(
        rows.iter().map(|r| r.case_id).collect::<Vec<_>>(),
        [1, 2],
        "from included, to excluded"
    );
    let nine = Sight {
        all: false,
        me: 9,
        whole: HashMap::new(),
    };
    let (rows, _) = index.rows_in(&nine, at(1, 0, 0), at(31, 0, 0));
    assert_eq!(rows.iter().map(|r| r.case_id).collect::<Vec<_>>(), [2, 3]);
    let reader = Sight {
        all: false,
        me: 77,
        whole: HashMap::from([(1, HashSet::from(["archive_loan".to_string()]))]),
    };
    let (rows, _) = index.rows_in(&reader, at(1, 0, 0), at(31, 0, 0));
    assert_eq!(rows.iter().map(|r| r.case_id).collect::<Vec<_>>(), [3]);
    let other_version = Sight {
        all: false,
        me: 77,
        whole: HashMap::from([(2, HashSet::from(["archive_loan".to_string()]))]),
    };
    assert!(index
        .rows_in(&other_version, at(1, 0, 0), at(31, 0, 0))
        .0
        .is_empty());
}

#[test]
fn a_day_keeps_its_first_rows_with_those_tied_with_the_last() {
    // Day 10: case 1 at 08:00 (rank 1); case 2 has two steps due at 09:00 (tied, rank 2);
    // case 3 at 09:00 (rank 4), case 4 at 11:00 (rank 5). Two per day: ranks 1–2 shown,
    // both of case 2's steps with them.
    let mut index = Index::default();
    index.apply(&open(case(
        1,
        1,
        vec![deadline(1, "clerk", None, at(10, 8, 0))],
        vec![],
    )));
    index.apply(&open(case(
        2,
        1,
        vec![
            deadline(1, "clerk", None, at(10, 9, 0)),
            deadline(2, "clerk", None, at(10, 9, 0)),
        ],
        vec![],
    )));
    index.apply(&open(case(
        3,
        1,
        vec![deadline(1, "clerk", None, at(10, 9, 0))],
        vec![],
    )));
    index.apply(&open(case(
        4,
        1,
        vec![deadline(1, "clerk", None, at(10, 11, 0))],
        vec![],
    )));
    let days = bounds(9, 11);
    let found = index.sample(&everyone(), &RowFilter::default(), &days, at(10, 9, 30), 2);
    assert_eq!(
        found
            .deadlines
            .iter()
            .map(|d| (d.case_id, d.seq))
            .collect::<Vec<_>>(),
        [(1, 1), (2, 1), (2, 2)]
    );
    assert_eq!(
        found.days,
        [
            DayTally::default(),
            DayTally {
                items: 5,
                overdue: 4
            },
            DayTally::default()
        ]
    );
}

#[test]
fn a_sampled_case_brings_its_other_dates_in_the_range() {
    let mut index = Index::default();
    for id in 1..=4 {
        index.apply(&open(case(
            id,
            1,
            vec![],
            vec![
                planned("meeting_start", at(12, 8 + id as u32, 0)),
                planned("meeting_end", at(13, 8 + id as u32, 0)),
                planned("follow_up", at(28, 9, 0)),
            ],
        )));
    }
    let days = bounds(12, 13);
    let found = index.sample(&everyone(), &RowFilter::default(), &days, at(1, 0, 0), 1);
    let mut got: Vec<(i64, &str)> = found
        .events
        .iter()
        .map(|e| (e.case_id, e.field.as_str()))
        .collect();
    got.sort();
    // Day 12 shows case 1's start, day 13 case 1's end: one case sampled; the follow-up on
    // the 28th is outside the range.
    assert_eq!(got, [(1, "meeting_end"), (1, "meeting_start")]);
    assert_eq!(
        found.days.iter().map(|d| d.items).collect::<Vec<_>>(),
        [4, 4]
    );
}

#[test]
fn filters_on_roles_and_overdue_keep_no_case_dates() {
    let mut index = Index::default();
    index.apply(&open(case(
        1,
        1,
        vec![
            deadline(1, "clerk", Some(5), at(10, 9, 0)),
            deadline(2, "director", None, at(10, 12, 0)),
        ],
        vec![planned("meeting_start", at(10, 15, 0))],
    )));
    let days = bounds(10, 10);
    let roles = ["clerk".to_string()];
    let by_role = RowFilter {
        roles: Some(&roles),
        ..RowFilter::default()
    };
    let found = index.sample(&everyone(), &by_role, &days, at(10, 10, 0), 3);
    assert_eq!(found.deadlines.len(), 1);
    assert!(found.events.is_empty());
    assert_eq!(
        found.days[0],
        DayTally {
            items: 1,
            overdue: 1
        }
    );
    let overdue = RowFilter {
        overdue: true,
        ..RowFilter::default()
    };
    let found = index.sample(&everyone(), &overdue, &days, at(10, 10, 0), 3);
    assert_eq!(found.deadlines.len(), 1);
    assert_eq!(found.deadlines[0].seq, 1);
    assert!(found.events.is_empty());
    let mine = RowFilter {
        mine: true,
        ..RowFilter::default()
    };
    let five = Sight {
        all: true,
        me: 5,
        whole: HashMap::new(),
    };
    let found = index.sample(&five, &mine, &days, at(10, 10, 0), 3);
    assert_eq!(found.deadlines.len(), 1, "assigned to me");
    assert!(
        found.events.is_empty(),
        "a case date is mine only if I requested it"
    );
}

/// Deadlines (case, seq) and case dates (case, field) sampled, sorted, and each day's tally.
type Expected = (Vec<(i64, i32)>, Vec<(i64, String)>, Vec<DayTally>);

/// The sample as a plain reading of its definition: every row kept, placed on its day, ranked
/// by counting the rows before it.
fn sample_by_definition(
    cases: &[OpenCase],
    sight: &Sight,
    filter: &RowFilter<'_>,
    bounds: &[DateTime<Utc>],
    now: DateTime<Utc>,
    per_day: usize,
) -> Expected {
    let days = bounds.len() - 1;
    let day_of = |t: DateTime<Utc>| (0..days).find(|d| t < bounds[d + 1]).unwrap_or(days - 1);
    let in_range = |t: DateTime<Utc>| t >= bounds[0] && t < bounds[days];
    let mut tallies = vec![DayTally::default(); days];
    let me = sight.me;
    let function_ok = |c: &OpenCase| filter.function.is_none_or(|f| c.function == f);
    let mut rows: Vec<(DateTime<Utc>, i64, i32)> = Vec::new();
    for c in cases.iter().filter(|c| sight.sees(c) && function_ok(c)) {
        for d in &c.deadlines {
            let kept = in_range(d.due_at)
                && (!filter.mine || d.assignee == Some(me) || c.requester_id == me)
                && filter.roles.is_none_or(|r| r.contains(&d.owner_role))
                && (!filter.overdue || d.due_at < now);
            if kept {
                rows.push((d.due_at, c.id, d.seq));
                tallies[day_of(d.due_at)].items += 1;
                if d.due_at < now {
                    tallies[day_of(d.due_at)].overdue += 1;
                }
            }
        }
    }
    let ranked = |rows: &[(DateTime<Utc>, i64)], row: (DateTime<Utc>, i64)| {
        1 + rows
            .iter()
            .filter(|r| day_of(r.0) == day_of(row.0) && (r.0, r.1) < row)
            .count()
    };
    let keys: Vec<(DateTime<Utc>, i64)> = rows.iter().map(|r| (r.0, r.1)).collect();
    let mut deadlines: Vec<(i64, i32)> = rows
        .iter()
        .filter(|r| ranked(&keys, (r.0, r.1)) <= per_day)
        .map(|r| (r.1, r.2))
        .collect();
    deadlines.sort();
    let mut events: Vec<(i64, String)> = Vec::new();
    if filter.roles.is_none() && !filter.overdue {
        let mut rows: Vec<(DateTime<Utc>, i64, String)> = Vec::new();
        for c in cases.iter().filter(|c| sight.sees(c) && function_ok(c)) {
            if filter.mine && c.requester_id != me {
                continue;
            }
            for e in c.events.iter().filter(|e| in_range(e.at)) {
                rows.push((e.at, c.id, e.field.clone()));
                tallies[day_of(e.at)].items += 1;
            }
        }
        let keys: Vec<(DateTime<Utc>, i64)> = rows.iter().map(|r| (r.0, r.1)).collect();
        let sampled: HashSet<i64> = rows
            .iter()
            .filter(|r| ranked(&keys, (r.0, r.1)) <= per_day)
            .map(|r| r.1)
            .collect();
        for c in cases.iter().filter(|c| sampled.contains(&c.id)) {
            for e in c.events.iter().filter(|e| in_range(e.at)) {
                events.push((c.id, e.field.clone()));
            }
        }
        events.sort();
    }
    (deadlines, events, tallies)
}

#[test]
fn the_sample_agrees_with_its_definition_on_random_offices() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(20261128);
    let roles = ["clerk", "director", "archivist"];
    let functions = ["documents", "archives"];
    for round in 0..60 {
        let mut cases = Vec::new();
        for id in 1..=rng.random_range(1..40i64) {
            let instant = |rng: &mut rand::rngs::StdRng| {
                // Few distinct instants, so ties are common.
                at(rng.random_range(8..15), rng.random_range(0..3) * 8, 0)
            };
            let deadlines = (0..rng.random_range(0..3))
                .map(|n| {
                    let who = rng.random_bool(0.3).then(|| rng.random_range(1..4i64));
                    let role = roles[rng.random_range(0..roles.len())];
                    deadline(n + 1, role, who, instant(&mut rng))
                })
                .collect();
            let events = (0..rng.random_range(0..3))
                .map(|n| planned(&format!("date_{n}"), instant(&mut rng)))
                .collect();
            let mut c = case(id, 1, deadlines, events);
            c.requester_id = rng.random_range(1..4);
            c.function = functions[rng.random_range(0..2)].to_string();
            c.process = format!("process_{}", rng.random_range(0..3));
            cases.push(c);
        }
        let mut index = Index::default();
        for c in &cases {
            index.apply(&open(c.clone()));
        }
        let sight = Sight {
            all: rng.random_bool(0.3),
            me: rng.random_range(1..4),
            whole: HashMap::from([(1, HashSet::from(["process_0".to_string()]))]),
        };
        let my_roles = vec![roles[rng.random_range(0..roles.len())].to_string()];
        let filter = RowFilter {
            function: rng.random_bool(0.3).then_some(functions[round % 2]),
            mine: rng.random_bool(0.3),
            roles: rng.random_bool(0.2).then_some(my_roles.as_slice()),
            overdue: rng.random_bool(0.2),
        };
        let days = bounds(rng.random_range(7..10), rng.random_range(10..16));
        let now = at(11, 4, 0);
        let per_day = rng.random_range(1..4);
        let found = index.sample(&sight, &filter, &days, now, per_day);
        let mut deadlines: Vec<(i64, i32)> =
            found.deadlines.iter().map(|d| (d.case_id, d.seq)).collect();
        deadlines.sort();
        let mut events: Vec<(i64, String)> = found
            .events
            .iter()
            .map(|e| (e.case_id, e.field.clone()))
            .collect();
        events.sort();
        let expected = sample_by_definition(&cases, &sight, &filter, &days, now, per_day);
        assert_eq!((deadlines, events, found.days), expected, "round {round}");
    }
}
