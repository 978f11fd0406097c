-- 002 Appendix A asks for the site's content and the identified risks and control measures beside the URL and the
-- reasons; an access request records both (requests made before this carry an empty content).
ALTER TABLE ${schema}.blocked_content_requests ADD COLUMN site_content text NOT NULL DEFAULT '';
ALTER TABLE ${schema}.blocked_content_requests ALTER COLUMN site_content DROP DEFAULT;
ALTER TABLE ${schema}.blocked_content_requests ADD COLUMN risks_and_controls text NULL;
