-- Automated backups (issue 14): the daily window they are taken in (`PreferredBackupWindow`,
-- hh24:mi-hh24:mi UTC, checked by the API).
ALTER TABLE db_instances ADD COLUMN preferred_backup_window TEXT NOT NULL DEFAULT '03:00-03:30'
    CHECK (preferred_backup_window ~ '^[0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9]$');
-- The automated snapshots of an instance, newest first (the schedule and expiry read them).
CREATE INDEX db_snapshots_automated ON db_snapshots (source_instance_id, snapshot_create_time)
    WHERE snapshot_type = 'automated';
