DROP TABLE retained_backups;
ALTER TABLE db_instances DROP COLUMN retain_automated_backups;
