-- IAM (issue 15): users and groups of an account, their inline policies and the AWS-managed
-- policies attached to them, and access keys that belong to a user (user_id NULL: the
-- account root's). Names are unique per account whatever their case, as IAM's are.
-- `accounts.iam_version` grows with every change to an account's users, groups, policies or
-- memberships, in the change's transaction: the API reads it with the access key (the one
-- query a request) and keeps a caller's parsed policies until it moves.
ALTER TABLE accounts ADD COLUMN iam_version BIGINT NOT NULL DEFAULT 0;

CREATE TABLE iam_users (
    id BIGSERIAL PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON UPDATE CASCADE,
    name TEXT NOT NULL CHECK (name ~ '^[A-Za-z0-9+=,.@_-]{1,64}$'),
    -- IAM's unique id: AIDA + 17 characters.
    user_id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL DEFAULT '/',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX iam_users_account_name ON iam_users (account_id, lower(name));

CREATE TABLE iam_user_tags (
    user_id BIGINT NOT NULL REFERENCES iam_users (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);

CREATE TABLE iam_groups (
    id BIGSERIAL PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON UPDATE CASCADE,
    name TEXT NOT NULL CHECK (name ~ '^[A-Za-z0-9+=,.@_-]{1,128}$'),
    -- AGPA + 17 characters.
    group_id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL DEFAULT '/',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX iam_groups_account_name ON iam_groups (account_id, lower(name));

-- A user or a group leaves only when nothing below holds it (DeleteConflict), so no cascade.
CREATE TABLE iam_group_members (
    group_id BIGINT NOT NULL REFERENCES iam_groups (id),
    user_id BIGINT NOT NULL REFERENCES iam_users (id),
    added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX iam_group_members_user ON iam_group_members (user_id);

-- Inline policies: exactly one of user_id, group_id.
CREATE TABLE iam_inline_policies (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT REFERENCES iam_users (id),
    group_id BIGINT REFERENCES iam_groups (id),
    name TEXT NOT NULL CHECK (name ~ '^[A-Za-z0-9+=,.@_-]{1,128}$'),
    document TEXT NOT NULL,
    CHECK ((user_id IS NULL) <> (group_id IS NULL))
);
CREATE UNIQUE INDEX iam_inline_policies_user ON iam_inline_policies (user_id, name)
    WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX iam_inline_policies_group ON iam_inline_policies (group_id, name)
    WHERE group_id IS NOT NULL;

-- AWS-managed policies attached by ARN: exactly one of user_id, group_id.
CREATE TABLE iam_attached_policies (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT REFERENCES iam_users (id),
    group_id BIGINT REFERENCES iam_groups (id),
    policy_arn TEXT NOT NULL,
    CHECK ((user_id IS NULL) <> (group_id IS NULL))
);
CREATE UNIQUE INDEX iam_attached_policies_user ON iam_attached_policies (user_id, policy_arn)
    WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX iam_attached_policies_group ON iam_attached_policies (group_id, policy_arn)
    WHERE group_id IS NOT NULL;

-- A key of a user (NULL: a root key), and when it was last used (GetAccessKeyLastUsed).
ALTER TABLE access_keys ADD COLUMN user_id BIGINT REFERENCES iam_users (id);
CREATE INDEX access_keys_user ON access_keys (user_id) WHERE user_id IS NOT NULL;
ALTER TABLE access_keys ADD COLUMN last_used_at TIMESTAMPTZ;
ALTER TABLE access_keys ADD COLUMN last_used_service TEXT;
