-- Measures: respondents and administrations (a questionnaire given to a respondent, about a subject where it
-- applies, at a timepoint), with the scores computed when the administration is saved.

-- A person who answers questionnaires, known by the organisation's own reference. The journey issue links a
-- respondent to a person on a case (person_id); imported data may arrive before any case exists.
CREATE TABLE respondent (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  external_ref text NOT NULL CHECK (length(external_ref) BETWEEN 1 AND 100),
  person_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, external_ref)
);

CREATE TABLE import_batch (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  file_name text NOT NULL,
  file_sha256 text NOT NULL,
  rows_total integer NOT NULL,
  rows_imported integer NOT NULL,
  rows_unchanged integer NOT NULL,
  rows_rejected integer NOT NULL,
  imported_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE administration (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  respondent_id uuid NOT NULL REFERENCES respondent (id),
  respondent_role text NOT NULL CHECK (respondent_role IN ('mother', 'father', 'carer', 'child', 'teacher', 'other')),
  -- The subject of a child-focused measure (the child's reference); '' when the respondent is the subject.
  subject_ref text NOT NULL DEFAULT '' CHECK (length(subject_ref) <= 100),
  family_ref text CHECK (length(family_ref) <= 100),
  site text CHECK (length(site) <= 200),
  group_label text NOT NULL DEFAULT '' CHECK (length(group_label) <= 200),
  programme text NOT NULL DEFAULT '' CHECK (length(programme) <= 200),
  instrument_id text NOT NULL,
  instrument_version integer NOT NULL,
  timepoint text NOT NULL CHECK (timepoint IN ('pre', 'post', 'followup')),
  completed_on date NOT NULL,
  source text NOT NULL CHECK (source IN ('import', 'link', 'paper')),
  responses jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('scored', 'not_scorable')),
  scores jsonb NOT NULL,
  bands jsonb NOT NULL,
  flags text[] NOT NULL DEFAULT '{}',
  valid boolean NOT NULL,
  import_batch_id uuid REFERENCES import_batch (id),
  version integer NOT NULL DEFAULT 1,
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- One administration per respondent, subject, instrument, timepoint and programme/group: importing the same
-- file twice, or two imports at once, cannot duplicate one.
CREATE UNIQUE INDEX administration_identity_key
  ON administration (organisation_id, respondent_id, subject_ref, instrument_id, timepoint, programme, group_label);
CREATE INDEX administration_report_idx ON administration (organisation_id, instrument_id, timepoint);

ALTER TABLE respondent ENABLE ROW LEVEL SECURITY;
ALTER TABLE respondent FORCE ROW LEVEL SECURITY;
CREATE POLICY respondent_tenant ON respondent USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id());
ALTER TABLE import_batch ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_batch FORCE ROW LEVEL SECURITY;
CREATE POLICY import_batch_tenant ON import_batch USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id());
ALTER TABLE administration ENABLE ROW LEVEL SECURITY;
ALTER TABLE administration FORCE ROW LEVEL SECURITY;
CREATE POLICY administration_tenant ON administration USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id());

GRANT SELECT, INSERT, UPDATE ON respondent, import_batch, administration TO tandem_app;
