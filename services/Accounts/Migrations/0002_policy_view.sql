-- The account rules are read from the platform's policy view (published_policies, the whole PolicyPublished of each school):
-- nothing reads Accounts' own copy any more. Account risk, which Accounts derives from the rules, stays on accounts.
-- A school whose publication arrived before this migration reads the catalogue's defaults until Policy publishes again.
DROP TABLE ${schema}.school_policies;
