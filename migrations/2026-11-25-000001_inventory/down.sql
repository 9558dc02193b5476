DROP TABLE access_keys;
DROP TABLE events;
DROP TABLE db_instance_tags;
DROP TABLE db_instances;
