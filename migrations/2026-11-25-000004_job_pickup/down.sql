ALTER TABLE jobs DROP COLUMN first_claimed_at;
