-- A therapist's weekly working hours (issue 5, item 6): recurring windows by ISO weekday (1 Monday … 7 Sunday),
-- local times at the venue. A therapist with no rows has declared nothing and is not restricted. The week is
-- replaced whole, so its version is kept once per therapist in therapist_availability_week: a row to compare and
-- swap on even when the week is empty, so two managers saving at once cannot merge their weeks.
CREATE TABLE therapist_availability_week (
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  user_id uuid NOT NULL REFERENCES app_user (id),
  version integer NOT NULL DEFAULT 1,
  updated_by uuid REFERENCES app_user (id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, user_id)
);

CREATE TABLE therapist_availability (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  user_id uuid NOT NULL REFERENCES app_user (id),
  weekday integer NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  start_time text NOT NULL CHECK (start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  end_time text NOT NULL CHECK (end_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  CHECK (end_time > start_time)
);
CREATE INDEX therapist_availability_idx ON therapist_availability (organisation_id, user_id, weekday);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['therapist_availability', 'therapist_availability_week'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id())', t || '_tenant', t);
  END LOOP;
END $$;
GRANT SELECT, INSERT, UPDATE, DELETE ON therapist_availability TO tandem_app;
GRANT SELECT, INSERT, UPDATE ON therapist_availability_week TO tandem_app;
