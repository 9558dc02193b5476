ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
UPDATE jobs SET kind = 'reset_password' WHERE kind = 'modify';
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check CHECK (kind IN (
    'create', 'delete', 'start', 'stop', 'reboot', 'reset_password', 'snapshot',
    'delete_snapshot'));
-- A restore to a point in time cannot be described by the older columns: its row keeps no
-- restore source (its create job, if still queued, then creates it empty).
UPDATE db_instances SET restore_resource_id = NULL
    WHERE restore_time IS NOT NULL OR restore_latest;
ALTER TABLE db_instances DROP CONSTRAINT db_instances_restore_source;
ALTER TABLE db_instances DROP COLUMN restore_latest;
ALTER TABLE db_instances DROP COLUMN restore_time;
ALTER TABLE db_instances ADD CONSTRAINT db_instances_restore_source
    CHECK ((restore_resource_id IS NULL) = (restore_backup_key IS NULL));
ALTER TABLE db_instances DROP CONSTRAINT db_instances_restorable_window;
ALTER TABLE db_instances DROP COLUMN latest_restorable_time;
ALTER TABLE db_instances DROP COLUMN earliest_restorable_time;
