-- Assessment (a joint interview by a facilitator pair, and a separate risk assessment of each parent),
-- safeguarding flags, and private disclosures.

CREATE TABLE assessment (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  case_id uuid NOT NULL REFERENCES family_case (id),
  scheduled_at timestamptz NOT NULL,
  location text CHECK (length(location) <= 200),
  status text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'held', 'cancelled')),
  -- A booking that breaks the programme's facilitator rule needs a manager's reason.
  rule_override_reason text CHECK (length(rule_override_reason) <= 1000),
  rule_override_by uuid REFERENCES app_user (id),
  joint_interview_notes text CHECK (length(joint_interview_notes) <= 20000),
  outcome text CHECK (outcome IN ('suitable', 'suitable_with_conditions', 'not_suitable')),
  outcome_conditions text CHECK (length(outcome_conditions) <= 2000),
  onward_referral text CHECK (length(onward_referral) <= 500),
  booked_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX assessment_case_idx ON assessment (case_id);

CREATE TABLE assessment_facilitator (
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  assessment_id uuid NOT NULL REFERENCES assessment (id),
  user_id uuid NOT NULL REFERENCES app_user (id),
  PRIMARY KEY (assessment_id, user_id)
);
CREATE INDEX assessment_facilitator_user_idx ON assessment_facilitator (organisation_id, user_id);

CREATE TABLE risk_assessment (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  assessment_id uuid NOT NULL REFERENCES assessment (id),
  person_id uuid NOT NULL REFERENCES person (id),
  risk_to_child text NOT NULL CHECK (risk_to_child IN ('none', 'low', 'medium', 'high')),
  risk_to_child_notes text NOT NULL DEFAULT '' CHECK (length(risk_to_child_notes) <= 4000),
  domestic_abuse text NOT NULL CHECK (domestic_abuse IN ('none', 'low', 'medium', 'high')),
  domestic_abuse_notes text NOT NULL DEFAULT '' CHECK (length(domestic_abuse_notes) <= 4000),
  mental_health text NOT NULL CHECK (mental_health IN ('none', 'low', 'medium', 'high')),
  mental_health_notes text NOT NULL DEFAULT '' CHECK (length(mental_health_notes) <= 4000),
  substance_use text NOT NULL CHECK (substance_use IN ('none', 'low', 'medium', 'high')),
  substance_use_notes text NOT NULL DEFAULT '' CHECK (length(substance_use_notes) <= 4000),
  domestic_abuse_indicated boolean NOT NULL DEFAULT false,
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  UNIQUE (assessment_id, person_id)
);

-- What one parent says in their separate assessment. Kept apart from the risk ratings so that it can be left out
-- of everything the other parent, and staff without a need to know, will ever see.
CREATE TABLE private_disclosure (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  case_id uuid NOT NULL REFERENCES family_case (id),
  person_id uuid NOT NULL REFERENCES person (id),
  risk_assessment_id uuid REFERENCES risk_assessment (id),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
  is_safeguarding_concern boolean NOT NULL DEFAULT false,
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX private_disclosure_case_idx ON private_disclosure (case_id);

CREATE TABLE safeguarding_flag (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  family_id uuid NOT NULL REFERENCES family (id),
  case_id uuid REFERENCES family_case (id),
  kind text NOT NULL CHECK (kind IN ('high_risk', 'disclosure', 'domestic_abuse')),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  raised_by uuid REFERENCES app_user (id),
  raised_at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  decision text CHECK (length(decision) <= 4000),
  resolved_by uuid REFERENCES app_user (id),
  resolved_at timestamptz,
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX safeguarding_flag_family_idx ON safeguarding_flag (organisation_id, family_id, status);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['assessment', 'assessment_facilitator', 'risk_assessment', 'private_disclosure', 'safeguarding_flag'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id())', t || '_tenant', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON %I TO tandem_app', t);
  END LOOP;
END $$;
GRANT DELETE ON assessment_facilitator TO tandem_app;
