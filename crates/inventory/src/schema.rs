//! The diesel schema of the inventory, matching `migrations/`.

diesel::table! {
    db_instances (id) {
        id -> Int8,
        identifier -> Text,
        resource_id -> Text,
        arn -> Text,
        status -> Text,
        status_reason -> Nullable<Text>,
        instance_class -> Text,
        engine -> Text,
        engine_version -> Text,
        allocated_storage -> Int4,
        master_username -> Text,
        master_password_verifier -> Text,
        db_name -> Nullable<Text>,
        requested_port -> Nullable<Int4>,
        endpoint_address -> Nullable<Text>,
        endpoint_port -> Nullable<Int4>,
        deletion_protection -> Bool,
        backup_retention_period -> Int4,
        multi_az -> Bool,
        provider -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        system -> Bool,
        copy_tags_to_snapshot -> Bool,
        restore_resource_id -> Nullable<Text>,
        restore_backup_key -> Nullable<Text>,
        earliest_restorable_time -> Nullable<Timestamptz>,
        latest_restorable_time -> Nullable<Timestamptz>,
        restore_time -> Nullable<Timestamptz>,
        restore_latest -> Bool,
        preferred_backup_window -> Text,
        retain_automated_backups -> Bool,
        account_id -> Text,
    }
}

diesel::table! {
    retained_backups (id) {
        id -> Int8,
        source_instance_id -> Int8,
        dbi_resource_id -> Text,
        instance_identifier -> Text,
        instance_arn -> Text,
        provider -> Text,
        backup_retention_period -> Int4,
        preferred_backup_window -> Text,
        earliest_restorable_time -> Nullable<Timestamptz>,
        latest_restorable_time -> Nullable<Timestamptz>,
        retained_at -> Timestamptz,
        account_id -> Text,
    }
}

diesel::table! {
    db_snapshots (id) {
        id -> Int8,
        identifier -> Text,
        arn -> Text,
        status -> Text,
        snapshot_type -> Text,
        source_instance_id -> Int8,
        instance_identifier -> Text,
        dbi_resource_id -> Text,
        backup_key -> Text,
        source_snapshot_identifier -> Nullable<Text>,
        engine -> Text,
        engine_version -> Text,
        instance_class -> Text,
        allocated_storage -> Int4,
        port -> Int4,
        master_username -> Text,
        master_password_verifier -> Text,
        db_name -> Nullable<Text>,
        provider -> Text,
        instance_create_time -> Timestamptz,
        snapshot_create_time -> Timestamptz,
        percent_progress -> Int4,
        updated_at -> Timestamptz,
        account_id -> Text,
    }
}

diesel::table! {
    db_snapshot_tags (db_snapshot_id, key) {
        db_snapshot_id -> Int8,
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    db_instance_tags (db_instance_id, key) {
        db_instance_id -> Int8,
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    events (id) {
        id -> Int8,
        source_identifier -> Text,
        source_type -> Text,
        source_arn -> Nullable<Text>,
        message -> Text,
        categories -> Array<Text>,
        created_at -> Timestamptz,
        account_id -> Text,
    }
}

diesel::table! {
    access_keys (access_key_id) {
        access_key_id -> Text,
        secret_nonce -> Bytea,
        secret_ciphertext -> Bytea,
        active -> Bool,
        description -> Text,
        created_at -> Timestamptz,
        account_id -> Text,
        user_id -> Nullable<Int8>,
        last_used_at -> Nullable<Timestamptz>,
        last_used_service -> Nullable<Text>,
    }
}

diesel::table! {
    accounts (id) {
        id -> Text,
        name -> Text,
        system -> Bool,
        created_at -> Timestamptz,
        iam_version -> Int8,
    }
}

diesel::table! {
    iam_users (id) {
        id -> Int8,
        account_id -> Text,
        name -> Text,
        user_id -> Text,
        path -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    iam_user_tags (user_id, key) {
        user_id -> Int8,
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    iam_groups (id) {
        id -> Int8,
        account_id -> Text,
        name -> Text,
        group_id -> Text,
        path -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    iam_group_members (group_id, user_id) {
        group_id -> Int8,
        user_id -> Int8,
        added_at -> Timestamptz,
    }
}

diesel::table! {
    iam_inline_policies (id) {
        id -> Int8,
        user_id -> Nullable<Int8>,
        group_id -> Nullable<Int8>,
        name -> Text,
        document -> Text,
    }
}

diesel::table! {
    iam_attached_policies (id) {
        id -> Int8,
        user_id -> Nullable<Int8>,
        group_id -> Nullable<Int8>,
        policy_arn -> Text,
    }
}

diesel::joinable!(db_instance_tags -> db_instances (db_instance_id));
diesel::joinable!(db_snapshot_tags -> db_snapshots (db_snapshot_id));
diesel::joinable!(access_keys -> accounts (account_id));
diesel::joinable!(access_keys -> iam_users (user_id));
diesel::joinable!(iam_users -> accounts (account_id));
diesel::joinable!(iam_groups -> accounts (account_id));
diesel::joinable!(iam_user_tags -> iam_users (user_id));
diesel::joinable!(iam_group_members -> iam_users (user_id));
diesel::joinable!(iam_group_members -> iam_groups (group_id));
diesel::allow_tables_to_appear_in_same_query!(
    db_instances,
    db_instance_tags,
    db_snapshots,
    db_snapshot_tags,
    retained_backups,
    events,
    access_keys,
    accounts,
    iam_users,
    iam_user_tags,
    iam_groups,
    iam_group_members,
    iam_inline_policies,
    iam_attached_policies,
    jobs,
    workers
);

diesel::table! {
    jobs (id) {
        id -> Int8,
        kind -> Text,
        instance_id -> Int8,
        state -> Text,
        attempts -> Int4,
        run_at -> Timestamptz,
        worker -> Nullable<Text>,
        lease_until -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
        first_claimed_at -> Nullable<Timestamptz>,
        snapshot_id -> Nullable<Int8>,
    }
}

diesel::table! {
    workers (name) {
        name -> Text,
        last_seen -> Timestamptz,
    }
}
