-- Per-participant fund applications (issue 7, item 3; the Adoption Support Fund model): an application in the name
-- of a child or of a family, to a funder, for a service, resting on the family's assessment, with its amount and
-- any match funding above the funder's per-child annual limit, moving draft → submitted → approved | rejected →
-- delivered → claimed → paid (or withdrawn). Amounts are integer pence. Only the provider organisation's staff
-- read these rows (no party policy): commissioners see them through the service, without names.

-- The funder's rules for applications; a funder without a row gets the defaults (no limit, 12 months, April).
CREATE TABLE fund_application_rule (
  funder_id uuid PRIMARY KEY REFERENCES funder (id),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  annual_limit_pence integer CHECK (annual_limit_pence >= 0),
  assessment_valid_months integer NOT NULL DEFAULT 12 CHECK (assessment_valid_months BETWEEN 1 AND 60),
  year_start_month integer NOT NULL DEFAULT 4 CHECK (year_start_month BETWEEN 1 AND 12),
  updated_by uuid REFERENCES app_user (id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);

CREATE TABLE fund_application (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  case_id uuid NOT NULL REFERENCES family_case (id),
  family_id uuid NOT NULL REFERENCES family (id),
  kind text NOT NULL CHECK (kind IN ('child', 'family')),
  funder_id uuid NOT NULL REFERENCES funder (id),
  programme_id uuid NOT NULL REFERENCES programme (id),
  assessment_id uuid REFERENCES assessment (id),
  service_from date NOT NULL,
  amount_pence integer NOT NULL CHECK (amount_pence BETWEEN 0 AND 100000000),
  match_funding_pence integer NOT NULL DEFAULT 0 CHECK (match_funding_pence >= 0),
  match_funder text CHECK (length(match_funder) <= 200),
  fund_reference text CHECK (length(fund_reference) <= 100),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'approved', 'rejected', 'delivered', 'claimed', 'paid', 'withdrawn')),
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (match_funding_pence <= amount_pence),
  CHECK (match_funding_pence = 0 OR length(trim(match_funder)) > 0)
);
CREATE INDEX fund_application_case_idx ON fund_application (organisation_id, case_id);
CREATE INDEX fund_application_family_idx ON fund_application (family_id, funder_id, status);

-- The children an application is in the name of (one for a child application; those it covers for a family).
CREATE TABLE fund_application_child (
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  application_id uuid NOT NULL REFERENCES fund_application (id),
  person_id uuid NOT NULL REFERENCES person (id),
  PRIMARY KEY (application_id, person_id)
);
CREATE INDEX fund_application_child_person_idx ON fund_application_child (person_id);

-- Every move of an application, with who made it and the fund's decision or reference. Insert-only.
CREATE TABLE fund_application_status_change (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  application_id uuid NOT NULL REFERENCES fund_application (id),
  from_status text,
  to_status text NOT NULL,
  note text CHECK (length(note) <= 1000),
  changed_by uuid REFERENCES app_user (id),
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fund_application_status_change_app_idx ON fund_application_status_change (application_id, changed_at);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['fund_application_rule', 'fund_application', 'fund_application_child', 'fund_application_status_change'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id())', t || '_tenant', t);
  END LOOP;
END $$;
GRANT SELECT, INSERT, UPDATE ON fund_application_rule, fund_application TO tandem_app;
-- A draft's children can be changed.
GRANT SELECT, INSERT, DELETE ON fund_application_child TO tandem_app;
GRANT SELECT, INSERT ON fund_application_status_change TO tandem_app;
