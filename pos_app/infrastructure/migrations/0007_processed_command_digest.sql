-- Schema version 7: each processed command keeps the digest of the request it answered, so the same id sent again
-- with other details is refused rather than given the first result. Commands processed before this version have no
-- digest and keep replaying as before.
ALTER TABLE processed_commands ADD COLUMN digest VARCHAR(64)
