-- Account review reminders (AccountReviewDue), each sent once per account, review date and reminder, as Policy's
-- review_reminders are: a new review date starts its own reminders.
CREATE TABLE ${schema}.account_review_reminders (
    trust_id uuid NOT NULL,
    account_id uuid NOT NULL,
    review_date date NOT NULL,
    reminder text NOT NULL CHECK (reminder IN ('2_weeks', 'due', 'overdue')),
    emitted_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, account_id, review_date, reminder),
    FOREIGN KEY (trust_id, account_id) REFERENCES ${schema}.accounts (trust_id, id)
);
${tenant_table:account_review_reminders}
GRANT SELECT, INSERT ON ${schema}.account_review_reminders TO ${app_role};

-- The reminder sweep runs outside any request, so it has no tenant: this lists only the trusts with an open account whose
-- first reminder has come by p_latest (the latest date any school can be on) and whose last one was not sent (ids, nothing
-- else); the sweep then acts for each trust under RLS, on each school's own day.
CREATE FUNCTION ${schema}.trusts_with_account_reviews(p_latest date)
RETURNS TABLE (trust_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT DISTINCT a.trust_id FROM ${schema}.accounts a
    WHERE a.status <> 'closed' AND a.review_date IS NOT NULL AND a.review_date - 14 <= p_latest
      AND NOT EXISTS (SELECT 1 FROM ${schema}.account_review_reminders r
                      WHERE r.trust_id = a.trust_id AND r.account_id = a.id AND r.review_date = a.review_date AND r.reminder = 'overdue')
$$;
REVOKE ALL ON FUNCTION ${schema}.trusts_with_account_reviews(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.trusts_with_account_reviews(date) TO ${app_role};
