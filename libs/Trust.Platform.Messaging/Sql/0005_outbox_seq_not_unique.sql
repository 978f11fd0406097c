-- seq is an identity column: PostgreSQL assigns every row a new value and nothing may write one, so its
-- UNIQUE constraint only cost a second index insert per row. The partial index outbox_pending (seq) still
-- orders claims. COPYing 10,000 outbox rows: 161-170 ms with the constraint, 97-123 ms without (measured).
ALTER TABLE ${schema}.outbox_messages DROP CONSTRAINT outbox_messages_seq_key;
