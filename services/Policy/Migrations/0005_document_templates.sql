-- The trust's library of document templates: its own copy of a built-in template (the platform's until the trust saves
-- one under the same key). A school's document is rendered from the template its document.template setting names.
CREATE TABLE ${schema}.document_templates (
    trust_id uuid NOT NULL,
    key text NOT NULL CHECK (key ~ '^[a-z0-9-]{1,50}$'),
    kind text NOT NULL CHECK (kind IN ('school', 'trust')),
    name text NOT NULL,
    markdown text NOT NULL,
    version int NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL,
    PRIMARY KEY (trust_id, key),
    FOREIGN KEY (trust_id) REFERENCES ${schema}.trust_policies (trust_id)
);

-- A template a trust saved before the library was the SWGfL-style one every school used: it becomes the trust's copy
-- of swgfl-school. Row security is lifted for this one copy inside the migration's transaction (it names every trust).
ALTER TABLE ${schema}.trust_policies NO FORCE ROW LEVEL SECURITY;
INSERT INTO ${schema}.document_templates (trust_id, key, kind, name, markdown, version, updated_at, updated_by)
SELECT trust_id, 'swgfl-school', 'school', 'SWGfL-style school social media policy', template, template_version, updated_at, 'migration 0005'
FROM ${schema}.trust_policies WHERE template IS NOT NULL;
ALTER TABLE ${schema}.trust_policies FORCE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.trust_policies DROP COLUMN template;
ALTER TABLE ${schema}.trust_policies DROP COLUMN template_version;

${tenant_table:document_templates}
GRANT SELECT, INSERT, UPDATE ON ${schema}.document_templates TO ${app_role};
