-- Case notes, documents, retention settings and the erasure log.

CREATE TABLE case_note (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  case_id uuid NOT NULL REFERENCES family_case (id),
  kind text NOT NULL CHECK (kind IN ('contact', 'home_visit', 'phone_call', 'follow_up_meeting', 'other')),
  occurred_on date NOT NULL,
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  author_id uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  erased_at timestamptz
);
CREATE INDEX case_note_case_idx ON case_note (case_id, occurred_on DESC);

-- The bytes live in the storage backend (a local folder by default); this row says what and where.
CREATE TABLE case_document (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  case_id uuid NOT NULL REFERENCES family_case (id),
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
  content_type text NOT NULL,
  size_bytes integer NOT NULL CHECK (size_bytes > 0),
  sha256 text NOT NULL,
  storage_key text NOT NULL UNIQUE,
  uploaded_by uuid REFERENCES app_user (id),
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  erased_at timestamptz
);
CREATE INDEX case_document_case_idx ON case_document (case_id);

CREATE TABLE retention_policy (
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  record_type text NOT NULL CHECK (record_type IN ('closed_case', 'declined_referral', 'case_note', 'case_document', 'administration')),
  keep_months integer NOT NULL CHECK (keep_months BETWEEN 1 AND 1200),
  updated_by uuid REFERENCES app_user (id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, record_type)
);

-- What was erased, when, by whom and why; never the erased content itself.
CREATE TABLE erasure_log (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  person_id uuid,
  record_type text NOT NULL,
  record_id uuid NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  erased_by uuid REFERENCES app_user (id),
  erased_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE person ADD COLUMN erased_at timestamptz;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['case_note', 'case_document', 'retention_policy', 'erasure_log'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id())', t || '_tenant', t);
  END LOOP;
END $$;
GRANT SELECT, INSERT, UPDATE ON case_note, case_document, retention_policy TO tandem_app;
-- The erasure log is append-only for the application, like the audit trail.
GRANT SELECT, INSERT ON erasure_log TO tandem_app;
GRANT DELETE ON family_member TO tandem_app;
