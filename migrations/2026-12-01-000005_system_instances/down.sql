ALTER TABLE db_instances DROP COLUMN system;
