DROP INDEX db_snapshots_automated;
ALTER TABLE db_instances DROP COLUMN preferred_backup_window;
