-- Questionnaires in the app (issue 4 items 5–7): the measurement schedule of a programme, single-use links for
-- parents, administrations tied to the case they were given on, and questionnaire alerts as safeguarding flags.

-- Which questionnaires a programme gives, to whom, when, and within what window. A programme without a row uses
-- the built-in schedule for its name (Parents as Partners), so existing organisations need no data migration.
CREATE TABLE measurement_schedule (
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  programme_id uuid NOT NULL REFERENCES programme (id),
  -- [{instrumentId, respondents, aboutEachChild, timepoints: [{timepoint, windowDays}]}], validated by the application.
  entries jsonb NOT NULL,
  updated_by uuid REFERENCES app_user (id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (organisation_id, programme_id)
);

-- An administration given through the app belongs to a case; imported ones do not (case_id null).
ALTER TABLE administration ADD COLUMN case_id uuid REFERENCES family_case (id);
CREATE INDEX administration_case_idx ON administration (case_id) WHERE case_id IS NOT NULL;

-- A link sent to a parent. Only the SHA-256 of the token is kept: the token itself is shown once to the member of
-- staff who made the link. Answers are saved here as the parent goes; submitting writes the administration and
-- spends the link.
CREATE TABLE questionnaire_link (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  case_id uuid NOT NULL REFERENCES family_case (id),
  person_id uuid NOT NULL REFERENCES person (id),
  subject_person_id uuid REFERENCES person (id),
  instrument_id text NOT NULL,
  timepoint text NOT NULL CHECK (timepoint IN ('pre', 'post', 'followup')),
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  answers jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'submitted', 'cancelled')),
  expires_at timestamptz NOT NULL,
  last_saved_at timestamptz,
  submitted_at timestamptz,
  administration_id uuid REFERENCES administration (id),
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX questionnaire_link_case_idx ON questionnaire_link (case_id);

ALTER TABLE measurement_schedule ENABLE ROW LEVEL SECURITY;
ALTER TABLE measurement_schedule FORCE ROW LEVEL SECURITY;
CREATE POLICY measurement_schedule_tenant ON measurement_schedule
  USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id());

-- A parent has no session and no organisation: the public route sets app.link_token_hash for its transaction and
-- may then read that one link (and only by knowing the secret whose hash it is) to learn its organisation. Every
-- other access is by organisation, as for every tenant table.
ALTER TABLE questionnaire_link ENABLE ROW LEVEL SECURITY;
ALTER TABLE questionnaire_link FORCE ROW LEVEL SECURITY;
CREATE POLICY questionnaire_link_tenant ON questionnaire_link
  USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id());
CREATE POLICY questionnaire_link_by_token ON questionnaire_link FOR SELECT
  USING (token_hash = nullif(current_setting('app.link_token_hash', true), ''));

GRANT SELECT, INSERT, UPDATE ON measurement_schedule, questionnaire_link TO tandem_app;

-- Questionnaire alerts reuse the safeguarding flag, so they show wherever flags do; the flag records which
-- administration raised it.
ALTER TABLE safeguarding_flag DROP CONSTRAINT safeguarding_flag_kind_check;
ALTER TABLE safeguarding_flag ADD CONSTRAINT safeguarding_flag_kind_check
  CHECK (kind IN ('high_risk', 'disclosure', 'domestic_abuse', 'questionnaire_alert'));
ALTER TABLE safeguarding_flag ADD COLUMN administration_id uuid REFERENCES administration (id);
CREATE UNIQUE INDEX safeguarding_flag_administration_idx ON safeguarding_flag (administration_id, reason) WHERE administration_id IS NOT NULL;
