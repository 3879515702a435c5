-- Therapy appointments (issue 5): a therapist's diary of couple-therapy appointments. A series is one booking of
-- N weekly appointments for a case (an initial consultation is a series of one); each appointment keeps its own
-- date, time and outcome so one can move or be cancelled without touching the others. Times are wall-clock times
-- at the venue (Europe/London), as for group sessions.

CREATE TABLE therapy_series (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  case_id uuid NOT NULL REFERENCES family_case (id),
  family_id uuid NOT NULL REFERENCES family (id),
  -- The case's programme when booked, for its completion rule.
  programme_id uuid REFERENCES programme (id),
  therapist_id uuid NOT NULL REFERENCES app_user (id),
  kind text NOT NULL CHECK (kind IN ('consultation', 'therapy')),
  first_date date NOT NULL,
  start_time text NOT NULL CHECK (start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  minutes integer NOT NULL CHECK (minutes BETWEEN 15 AND 240),
  venue text NOT NULL DEFAULT '' CHECK (length(venue) <= 300),
  -- [{from, to, reason}]: closures the weekly dates skipped, kept so a rescheduled appointment avoids them too.
  closures jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX therapy_series_case_idx ON therapy_series (organisation_id, case_id);
CREATE INDEX therapy_series_therapist_idx ON therapy_series (organisation_id, therapist_id);

CREATE TABLE therapy_appointment (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  series_id uuid NOT NULL REFERENCES therapy_series (id),
  case_id uuid NOT NULL REFERENCES family_case (id),
  therapist_id uuid NOT NULL REFERENCES app_user (id),
  number integer NOT NULL CHECK (number >= 1),
  kind text NOT NULL CHECK (kind IN ('consultation', 'session')),
  on_date date NOT NULL,
  start_time text NOT NULL CHECK (start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  minutes integer NOT NULL CHECK (minutes BETWEEN 15 AND 240),
  -- booked until an outcome is recorded; cancellations by the service do not count against the family's dose.
  status text NOT NULL DEFAULT 'booked'
    CHECK (status IN ('booked', 'attended', 'did_not_attend', 'cancelled_by_family', 'late_cancellation', 'cancelled_by_service')),
  outcome_note text CHECK (length(outcome_note) <= 1000),
  outcome_by uuid REFERENCES app_user (id),
  outcome_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  UNIQUE (series_id, number)
);
CREATE INDEX therapy_appointment_diary_idx ON therapy_appointment (organisation_id, therapist_id, on_date);

-- Every reschedule, so the history of an appointment survives its moves.
CREATE TABLE therapy_appointment_change (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  appointment_id uuid NOT NULL REFERENCES therapy_appointment (id),
  from_date date NOT NULL,
  from_time text NOT NULL,
  to_date date NOT NULL,
  to_time text NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  changed_by uuid REFERENCES app_user (id),
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX therapy_appointment_change_idx ON therapy_appointment_change (appointment_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['therapy_series', 'therapy_appointment', 'therapy_appointment_change'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id())', t || '_tenant', t);
  END LOOP;
END $$;
GRANT SELECT, INSERT, UPDATE ON therapy_series, therapy_appointment TO tandem_app;
-- The history is append-only.
GRANT SELECT, INSERT ON therapy_appointment_change TO tandem_app;
