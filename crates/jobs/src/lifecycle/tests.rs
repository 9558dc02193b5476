//! The table's own checks: every row against the status machine and the rules the table keeps.

use super::*;

const ALL: [Operation; 42] = [
    Operation::Create,
    Operation::Restore,
    Operation::RestoreToPointInTime,
    Operation::Register,
    Operation::Delete,
    Operation::DeleteWithSnapshot,
    Operation::Start,
    Operation::Stop,
    Operation::StopWithSnapshot,
    Operation::Reboot,
    Operation::Modify,
    Operation::ModifyByWorker,
    Operation::Snapshot,
    Operation::DeleteSnapshot,
    Operation::CopySnapshot,
    Operation::SnapshotTaken,
    Operation::Finish(JobKind::Create),
    Operation::Finish(JobKind::Delete),
    Operation::Finish(JobKind::Start),
    Operation::Finish(JobKind::Stop),
    Operation::Finish(JobKind::Reboot),
    Operation::Finish(JobKind::Modify),
    Operation::Finish(JobKind::Snapshot),
    Operation::Finish(JobKind::DeleteSnapshot),
    Operation::Fail,
    Operation::FailBackup,
    Operation::FailSnapshotDelete,
    Operation::AutomatedSnapshot,
    Operation::AutomatedSnapshotTaken,
    Operation::FailAutomatedSnapshot,
    Operation::ExpireSnapshot,
    Operation::RetainBackups,
    Operation::DeleteRetainedBackup,
    Operation::ExpireRetainedBackup,
    Operation::Retry,
    Operation::Refuse,
    Operation::Resume,
    Operation::ResumeSnapshot,
    Operation::RestartAfterDown,
    Operation::MarkStopped,
    Operation::MarkFailed,
    Operation::RecoveredStart,
];

#[test]
fn every_status_change_in_the_table_passes_the_status_machine() {
    for op in ALL {
        let rule = op.rule();
        if let (From::Statuses(from), To::Status(to)) = (rule.from, rule.to) {
            for &status in from {
                assert_eq!(status.transition(to), Ok(to), "{op:?} from {status}");
            }
        }
    }
}

#[test]
fn each_job_runs_in_one_status_and_finishes_from_it() {
    let kinds = ALL.iter().filter_map(|op| {
        let Operation::Finish(kind) = op else {
            return None;
        };
        Some(*kind)
    });
    assert_eq!(
        kinds.clone().count(),
        JobKind::ALL.len(),
        "a finish for every job kind"
    );
    // A snapshot's deletion runs on a snapshot alone, in no instance status.
    for kind in kinds.filter(|&k| k != JobKind::DeleteSnapshot) {
        let status = status_of(kind).expect("every job kind has a starting operation");
        assert_eq!(job_for(status), Some(kind), "{kind:?}");
        assert!(status.is_transitional(), "{kind:?} runs in {status}");
        assert!(
            matches!(Operation::Finish(kind).rule().from, From::Statuses(f) if f == [status]),
            "{kind:?} finishes from {status}"
        );
    }
    for &status in InstanceStatus::ALL {
        assert_eq!(
            job_for(status).is_some(),
            status.is_transitional(),
            "{status}"
        );
    }
}

#[test]
fn user_requests_start_only_from_settled_statuses() {
    for op in [
        Operation::Delete,
        Operation::DeleteWithSnapshot,
        Operation::StopWithSnapshot,
        Operation::Snapshot,
        Operation::Start,
        Operation::Stop,
        Operation::Reboot,
        Operation::Modify,
        Operation::ModifyByWorker,
    ] {
        let From::Statuses(from) = op.rule().from else {
            panic!("{op:?} acts on a row");
        };
        assert!(
            from.iter().all(|s| !s.is_transitional()),
            "{op:?} may interrupt work in progress"
        );
    }
    // StartDBInstance on a running instance is refused, as RDS does.
    assert!(!matches!(Operation::Start.rule().from, From::Statuses(f) if f.contains(&Available)));
    // A new password needs the instance running.
    assert_eq!(
        Operation::ModifyByWorker.rule().from,
        From::Statuses(&[Available])
    );
}

#[test]
fn only_deletes_are_refused_by_deletion_protection_and_only_finishing_one_removes() {
    for op in ALL {
        let rule = op.rule();
        assert_eq!(
            rule.protected,
            matches!(op, Operation::Delete | Operation::DeleteWithSnapshot),
            "{op:?}"
        );
        assert_eq!(
            rule.to == To::Removed,
            op == Operation::Finish(JobKind::Delete),
            "{op:?}"
        );
    }
}

#[test]
fn new_rows_are_made_only_by_create_restores_and_register() {
    for op in ALL {
        assert_eq!(
            op.rule().from == From::New,
            matches!(
                op,
                Operation::Create
                    | Operation::Restore
                    | Operation::RestoreToPointInTime
                    | Operation::Register
            ),
            "{op:?}"
        );
    }
    assert_eq!(Operation::Create.rule().queue, Queue::Kind(JobKind::Create));
    assert_eq!(
        Operation::RestoreToPointInTime.rule().queue,
        Queue::Kind(JobKind::Create)
    );
    assert_eq!(Operation::Register.rule().queue, Queue::Nothing);
}

#[test]
fn failures_keep_their_reason() {
    assert_eq!(Operation::Fail.rule().reason, Reason::Detail);
    assert_eq!(Operation::Fail.rule().category, EventCategory::Failure);
    assert_eq!(Operation::MarkFailed.rule().reason, Reason::Message);
}

#[test]
fn snapshots_start_only_from_settled_instances_and_end_in_one_transaction() {
    use SnapshotStatus as Sn;
    for op in ALL {
        let rule = op.rule();
        match rule.snapshot {
            // A new snapshot comes with a job that takes it, from a settled instance (which
            // an automated one leaves as it is).
            Snap::New(status) => {
                assert_eq!(status, Sn::Creating, "{op:?}");
                assert!(matches!(rule.queue, Queue::Kind(_)), "{op:?}");
                assert!(
                    matches!(rule.to, To::Status(s) if s.is_transitional())
                        || (op == Operation::AutomatedSnapshot && rule.to == To::Same),
                    "{op:?}"
                );
            }
            // Nothing but a finished job makes a snapshot available: never a half one.
            Snap::Moves(_, SnapTo::Status(Sn::Available)) => assert!(
                matches!(
                    op,
                    Operation::Finish(_)
                        | Operation::SnapshotTaken
                        | Operation::AutomatedSnapshotTaken
                ),
                "{op:?}"
            ),
            Snap::Moves(from, SnapTo::Status(Sn::Failed)) => {
                assert!(
                    from.contains(&Sn::Creating) || from == [Sn::Deleting],
                    "{op:?}"
                )
            }
            Snap::Moves(..) | Snap::Uses(_) | Snap::Untouched => {}
        }
        if rule.from == From::SnapshotOnly {
            assert!(
                matches!(rule.snapshot, Snap::Moves(..) | Snap::Uses(_)),
                "{op:?}"
            );
            assert_eq!(rule.to, To::Same, "{op:?}");
        }
    }
    // A restore and a copy read an available snapshot only.
    for op in [Operation::Restore, Operation::CopySnapshot] {
        assert_eq!(op.rule().snapshot, Snap::Uses(&[Sn::Available]), "{op:?}");
    }
    // Every job that takes a snapshot finishes it (a stop or a delete before its own work),
    // and a failure fails it.
    let taken = |op: Operation| {
        matches!(
            op.rule().snapshot,
            Snap::Moves(f, SnapTo::Status(Sn::Available)) if f == [Sn::Creating]
        )
    };
    assert!(taken(Operation::Finish(JobKind::Snapshot)));
    assert!(taken(Operation::SnapshotTaken));
    for op in [Operation::StopWithSnapshot, Operation::DeleteWithSnapshot] {
        let To::Status(status) = op.rule().to else {
            panic!("{op:?} leaves a status");
        };
        assert!(
            matches!(Operation::SnapshotTaken.rule().from, From::Statuses(f) if f.contains(&status)),
            "{op:?}"
        );
    }
    assert_eq!(
        Operation::FailBackup.rule().to,
        To::Status(InstanceStatus::Available),
        "a failed snapshot leaves its instance available"
    );
    assert_eq!(job_for(InstanceStatus::BackingUp), Some(JobKind::Snapshot));
}

#[test]
fn retained_backups_are_kept_by_a_finishing_delete_and_removed_alone() {
    for op in ALL {
        let rule = op.rule();
        if rule.from == From::Retained {
            assert!(
                matches!(
                    op,
                    Operation::DeleteRetainedBackup | Operation::ExpireRetainedBackup
                ),
                "{op:?}"
            );
            // Its snapshots expire through ExpireSnapshot, each with its own job.
            assert_eq!(rule.snapshot, Snap::Untouched, "{op:?}");
            assert_eq!(rule.queue, Queue::Nothing, "{op:?}");
            assert_eq!(rule.to, To::Same, "{op:?}");
        }
    }
    // Kept only from the status a delete's finish starts from.
    assert_eq!(
        Operation::RetainBackups.rule().from,
        Operation::Finish(JobKind::Delete).rule().from
    );
}
