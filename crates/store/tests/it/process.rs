//! The budget process's tables (migration 0020): a proposal's history is only ever added to,
//! a move from a state no longer current is refused, the calendar has one date per key.

use crate::db::TestDb;
use crate::on_both_backends;
use styr_domain::process::{Milestone, ProposalState};
use styr_store::{CalendarChange, ProposalMove, StoreError};

fn step(expected_seq: i64, from: ProposalState, to: ProposalState) -> ProposalMove<'static> {
    ProposalMove {
        municipality: "haninge",
        body: "sn",
        version: "sn_2021_proposal",
        expected_seq,
        from,
        to,
        comment: None,
        decision: None,
        actor: "eva",
    }
}

async fn the_history_is_append_only_and_moves_compare(db: &TestDb) {
    let store = db.open().await;
    let first = store
        .move_proposal(&step(0, ProposalState::Utkast, ProposalState::Inlamnad))
        .await
        .unwrap();
    assert_eq!(first.seq, 1);
    // A second move from the utkast that is no longer current.
    let Err(StoreError::ProposalMoved { current, by, .. }) = store
        .move_proposal(&step(0, ProposalState::Utkast, ProposalState::Inlamnad))
        .await
    else {
        panic!("a stale move is refused");
    };
    assert_eq!((current, by.as_str()), ("inlämnad", "eva"));
    assert_eq!(db.count("proposal_states").await, 1);
    // The database refuses to change or remove history.
    assert!(
        db.execute("UPDATE proposal_states SET state = 'beslutad'")
            .await
            .is_err()
    );
    assert!(db.execute("DELETE FROM proposal_states").await.is_err());
    assert_eq!(
        store
            .proposal_history("haninge", "sn_2021_proposal")
            .await
            .unwrap()[0]
            .state,
        ProposalState::Inlamnad
    );

    // One date per (year, milestone, body), NULL body included; setting again replaces.
    for date in ["2020-09-30", "2020-10-01"] {
        store
            .set_budget_calendar(
                "haninge",
                &CalendarChange {
                    year: 2021,
                    milestone: Milestone::Inlamning,
                    body: None,
                    date: Some(date),
                    synthetic: false,
                },
                "per",
            )
            .await
            .unwrap();
    }
    let calendar = store.budget_calendar("haninge", 2021).await.unwrap();
    assert_eq!(calendar.len(), 1);
    assert_eq!(calendar[0].date, "2020-10-01");
    assert!(
        db.execute(
            "INSERT INTO budget_calendar (municipality, year, milestone, body, date) \
             VALUES ('haninge', 2021, 'inlamning', NULL, '2020-09-01')"
        )
        .await
        .is_err()
    );
    store.close().await;
}

/// A section save carries the proposal's latest move it was allowed on: a submit in between
/// (the writer may no longer edit) makes the save stale, and nothing of it is stored.
async fn a_move_since_the_save_was_allowed_makes_it_stale(db: &TestDb) {
    let store = db.open().await;
    let plan = crate::example_plan();
    store.import_plan(&plan, "anna").await.unwrap();
    let version = plan.budget.version.id.as_str();
    let (import_seq, _) = store.section_state("haninge", version).await.unwrap();
    let save = |proposal_seq| styr_store::SectionSave {
        path: "narrative/ordforande.md",
        base: 0,
        plan_seq: import_seq.unwrap(),
        before: "före",
        text: "efter",
        proposal_seq,
        text_only: false,
    };
    store
        .move_proposal(&ProposalMove {
            body: "ks",
            version,
            ..step(0, ProposalState::Utkast, ProposalState::Inlamnad)
        })
        .await
        .unwrap();
    // Allowed on the utkast (no move recorded then): stale now.
    let Err(StoreError::StalePlan { .. }) = store.save_section(&plan, "bo", save(None)).await
    else {
        panic!("a save allowed before the submit is stale after it");
    };
    assert_eq!(db.count("section_revisions").await, 0);
    // Allowed on the state as it is now (e.g. by the strategist): stored.
    let stored = store
        .save_section(&plan, "per", save(Some(1)))
        .await
        .unwrap();
    assert_eq!(stored.revision, 1);
}

on_both_backends!(
    the_history_is_append_only_and_moves_compare,
    a_move_since_the_save_was_allowed_makes_it_stale
);
