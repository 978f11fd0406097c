-- outbox_backlog() (0001) was never called by any service or operator script; dead code goes.
DROP FUNCTION ${schema}.outbox_backlog();
