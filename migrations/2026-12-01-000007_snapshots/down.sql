ALTER TABLE events DROP CONSTRAINT events_source_type_known;
DELETE FROM events WHERE source_type <> 'db-instance' OR 'backup' = ANY (categories);
ALTER TABLE events DROP CONSTRAINT events_categories_known;
ALTER TABLE events ADD CONSTRAINT events_categories_known
    CHECK (categories <@ ARRAY['availability', 'configuration change', 'creation', 'deletion',
                               'failure', 'notification']::text[]);
DELETE FROM jobs WHERE kind IN ('snapshot', 'delete_snapshot');
ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check
    CHECK (kind IN ('create', 'delete', 'start', 'stop', 'reboot', 'reset_password'));
ALTER TABLE jobs DROP COLUMN snapshot_id;
ALTER TABLE db_instances DROP CONSTRAINT db_instances_restore_source;
ALTER TABLE db_instances DROP COLUMN restore_backup_key;
ALTER TABLE db_instances DROP COLUMN restore_resource_id;
ALTER TABLE db_instances DROP COLUMN copy_tags_to_snapshot;
UPDATE db_instances SET status = 'available' WHERE status = 'backing-up';
ALTER TABLE db_instances DROP CONSTRAINT db_instances_status_check;
ALTER TABLE db_instances ADD CONSTRAINT db_instances_status_check CHECK (status IN (
    'creating', 'available', 'modifying', 'rebooting', 'stopping', 'stopped',
    'starting', 'deleting', 'failed'));
DROP TABLE db_snapshot_tags;
DROP TABLE db_snapshots;
