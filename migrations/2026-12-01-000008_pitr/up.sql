-- Point-in-time restore (issue 14). The window an instance's backups and archived WAL can
-- restore to, as the worker last read it from the provider (NULL when there is none: backups
-- off, no backup yet, or a provider that cannot restore to a point in time); DescribeDBInstances
-- reads LatestRestorableTime from it, never from the provider.
ALTER TABLE db_instances ADD COLUMN earliest_restorable_time TIMESTAMPTZ;
ALTER TABLE db_instances ADD COLUMN latest_restorable_time TIMESTAMPTZ;
ALTER TABLE db_instances ADD CONSTRAINT db_instances_restorable_window
    CHECK ((earliest_restorable_time IS NULL) = (latest_restorable_time IS NULL)
           AND earliest_restorable_time <= latest_restorable_time);

-- A restored instance's create job restores one point of another (maybe gone) instance's
-- backups: a backup (a snapshot's key), a time, or the latest time its archived WAL reaches.
ALTER TABLE db_instances ADD COLUMN restore_time TIMESTAMPTZ;
ALTER TABLE db_instances ADD COLUMN restore_latest BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE db_instances DROP CONSTRAINT db_instances_restore_source;
ALTER TABLE db_instances ADD CONSTRAINT db_instances_restore_source CHECK (
    CASE WHEN restore_resource_id IS NULL
         THEN restore_backup_key IS NULL AND restore_time IS NULL AND NOT restore_latest
         ELSE num_nonnulls(restore_backup_key, restore_time) + restore_latest::int = 1
    END);

-- The `modifying` status's job applies what ModifyDBInstance recorded that the worker must
-- make (the master password, archiving turned on or off): `reset_password` becomes `modify`.
ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
UPDATE jobs SET kind = 'modify' WHERE kind = 'reset_password';
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check CHECK (kind IN (
    'create', 'delete', 'start', 'stop', 'reboot', 'modify', 'snapshot', 'delete_snapshot'));
