ALTER TABLE events DROP CONSTRAINT events_categories_known;
ALTER TABLE db_instances DROP CONSTRAINT db_instances_provider_kind;
ALTER TABLE db_instances ADD COLUMN provider_data JSONB NOT NULL DEFAULT '{}';
