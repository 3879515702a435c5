-- The family's journey: programmes (as far as referral and assessment need them), referrals, families and
-- people, cases with their stage history, in-app notifications.

-- Staff attributes an organisation keeps for planning, e.g. the facilitator pair rule (one man, one woman).
ALTER TABLE membership ADD COLUMN gender text CHECK (gender IN ('female', 'male', 'other', 'not_stated'));

-- A service an organisation runs. Eligibility and the facilitator rule are data, checked at triage and booking.
CREATE TABLE programme (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind text NOT NULL CHECK (kind IN ('group', 'couple_therapy', 'course')),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
  eligibility jsonb NOT NULL DEFAULT '[]'::jsonb,
  facilitator_rule text NOT NULL DEFAULT 'any' CHECK (facilitator_rule IN ('male_female_pair', 'pair', 'one', 'any')),
  offers_couple_work boolean NOT NULL DEFAULT true,
  accepts_referrals boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, name)
);

CREATE TABLE referral (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  reference text NOT NULL,
  source text NOT NULL CHECK (source IN ('public', 'staff')),
  programme_id uuid REFERENCES programme (id),
  status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'accepted', 'declined', 'waiting_list', 'redirected')),
  -- What the referrer sent, exactly as validated; the people in it become family records on acceptance.
  submission jsonb NOT NULL,
  eligibility jsonb NOT NULL DEFAULT '[]'::jsonb,
  decision_reason text CHECK (length(decision_reason) <= 2000),
  redirected_to text CHECK (length(redirected_to) <= 200),
  decided_by uuid REFERENCES app_user (id),
  decided_at timestamptz,
  case_id uuid,
  received_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES app_user (id),
  version integer NOT NULL DEFAULT 1,
  UNIQUE (organisation_id, reference)
);
CREATE INDEX referral_queue_idx ON referral (organisation_id, status, received_at);

CREATE TABLE family (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Each adult and child is a person in their own right; families link to people, so a couple can separate and
-- one parent can belong to two families.
CREATE TABLE person (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  given_name text NOT NULL CHECK (length(given_name) BETWEEN 1 AND 100),
  family_name text NOT NULL CHECK (length(family_name) BETWEEN 1 AND 100),
  date_of_birth date,
  gender text CHECK (gender IN ('female', 'male', 'other', 'not_stated')),
  email text CHECK (length(email) <= 254),
  phone text CHECK (length(phone) <= 40),
  contact_preference text CHECK (contact_preference IN ('phone', 'email', 'text', 'letter')),
  safe_contact_notes text CHECK (length(safe_contact_notes) <= 1000),
  is_child boolean NOT NULL DEFAULT false,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_match_idx ON person (organisation_id, lower(family_name), date_of_birth);
CREATE INDEX person_email_idx ON person (organisation_id, lower(email));
CREATE INDEX person_phone_idx ON person (organisation_id, phone);

CREATE TABLE family_member (
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  family_id uuid NOT NULL REFERENCES family (id),
  person_id uuid NOT NULL REFERENCES person (id),
  relationship text NOT NULL CHECK (relationship IN (
    'birth_parent', 'adoptive_parent', 'step_parent', 'special_guardian', 'foster_carer', 'co_parent_living_apart', 'other_carer', 'child')),
  PRIMARY KEY (family_id, person_id)
);
CREATE INDEX family_member_person_idx ON family_member (person_id);

CREATE TABLE family_case (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  reference text NOT NULL,
  family_id uuid NOT NULL REFERENCES family (id),
  programme_id uuid REFERENCES programme (id),
  referral_id uuid REFERENCES referral (id),
  stage text NOT NULL CHECK (stage IN (
    'referred', 'triaged', 'assessment_booked', 'assessed', 'awaiting_group', 'in_service', 'completed', 'withdrawn', 'follow_up', 'closed')),
  case_worker_id uuid REFERENCES app_user (id),
  stage_changed_at timestamptz NOT NULL DEFAULT now(),
  opened_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  UNIQUE (organisation_id, reference)
);
CREATE INDEX family_case_worker_idx ON family_case (organisation_id, case_worker_id, stage);

CREATE TABLE case_stage_change (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  case_id uuid NOT NULL REFERENCES family_case (id),
  from_stage text,
  to_stage text NOT NULL,
  reason text NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
  changed_by uuid REFERENCES app_user (id),
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_stage_change_case_idx ON case_stage_change (case_id, changed_at);

CREATE TABLE notification (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  user_id uuid NOT NULL REFERENCES app_user (id),
  kind text NOT NULL,
  message text NOT NULL CHECK (length(message) <= 500),
  link text CHECK (length(link) <= 300),
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz
);
CREATE INDEX notification_user_idx ON notification (organisation_id, user_id, read_at);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['programme', 'referral', 'family', 'person', 'family_member', 'family_case', 'case_stage_change', 'notification'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id())', t || '_tenant', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON %I TO tandem_app', t);
  END LOOP;
END $$;
GRANT DELETE ON family_member TO tandem_app;
