-- Session records (issue 5, item 5): what a group session covered against its curriculum, the facilitators'
-- notes, and safeguarding concerns raised from the session, which are safeguarding flags on the family (the
-- journey's flow: managers notified, the family marked, a decision recorded).

ALTER TABLE safeguarding_flag DROP CONSTRAINT safeguarding_flag_kind_check;
ALTER TABLE safeguarding_flag ADD CONSTRAINT safeguarding_flag_kind_check
  CHECK (kind IN ('high_risk', 'disclosure', 'domestic_abuse', 'questionnaire_alert', 'session_concern'));

-- One record per session, written once the session has started; fidelity is a list of {key, status, note}
-- against the checklist the session's curriculum entry gives.
CREATE TABLE session_record (
  session_id uuid PRIMARY KEY REFERENCES group_session (id),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  fidelity jsonb NOT NULL DEFAULT '[]',
  notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 10000),
  updated_by uuid REFERENCES app_user (id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);

-- Which session a concern came from; the concern itself is the safeguarding flag.
CREATE TABLE session_concern (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  session_id uuid NOT NULL REFERENCES group_session (id),
  flag_id uuid NOT NULL UNIQUE REFERENCES safeguarding_flag (id),
  case_id uuid NOT NULL REFERENCES family_case (id),
  raised_by uuid REFERENCES app_user (id),
  raised_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX session_concern_session_idx ON session_concern (session_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['session_record', 'session_concern'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id())', t || '_tenant', t);
  END LOOP;
END $$;
GRANT SELECT, INSERT, UPDATE ON session_record TO tandem_app;
-- A concern once raised stays raised: its outcome is the flag's decision.
GRANT SELECT, INSERT ON session_concern TO tandem_app;
