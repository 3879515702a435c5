-- Funders' returns (issue 6 item 6): a saved outcomes-report definition per funder — which questionnaires, which
-- programme and site, which period, which breakdowns — that a manager produces each quarter. Self-contained: the
-- funder is named in text; funder_id may point at the funding module's funder record once that link is made
-- (no foreign key, so this table does not depend on that module's migrations).
CREATE TABLE funder_return (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  funder_name text NOT NULL CHECK (length(funder_name) BETWEEN 1 AND 200),
  funder_id uuid,
  instruments text[] NOT NULL CHECK (cardinality(instruments) BETWEEN 1 AND 20),
  programme text CHECK (length(programme) <= 200),
  site text CHECK (length(site) <= 200),
  period text NOT NULL CHECK (period IN ('quarter', 'since_start')),
  start_date date,
  breakdowns text[] NOT NULL DEFAULT '{}' CHECK (breakdowns <@ ARRAY['role', 'site', 'group']::text[]),
  version integer NOT NULL DEFAULT 1,
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (period <> 'since_start' OR start_date IS NOT NULL),
  UNIQUE (organisation_id, name)
);

ALTER TABLE funder_return ENABLE ROW LEVEL SECURITY;
ALTER TABLE funder_return FORCE ROW LEVEL SECURITY;
CREATE POLICY funder_return_tenant ON funder_return USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON funder_return TO tandem_app;
