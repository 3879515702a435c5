-- Crèche (issue 5, item 4): children booked per session with what the crèche staff need to know, the staff
-- rostered on each session's crèche (the ratio is checked against them) and the crèche's own register.

-- Who works in a session's crèche. Only these people read the children's allergies and medical notes.
CREATE TABLE creche_staff (
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  session_id uuid NOT NULL REFERENCES group_session (id),
  user_id uuid NOT NULL REFERENCES app_user (id),
  PRIMARY KEY (session_id, user_id)
);
CREATE INDEX creche_staff_user_idx ON creche_staff (user_id);

-- One child booked into one session's crèche. Consent is the parent's agreement to the crèche caring for the
-- child, recorded with who gave it; a booking without it is refused.
CREATE TABLE creche_booking (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  session_id uuid NOT NULL REFERENCES group_session (id),
  placement_id uuid NOT NULL REFERENCES placement (id),
  person_id uuid NOT NULL REFERENCES person (id),
  needs text NOT NULL DEFAULT '' CHECK (length(needs) <= 2000),
  allergies text NOT NULL DEFAULT '' CHECK (length(allergies) <= 2000),
  medical_notes text NOT NULL DEFAULT '' CHECK (length(medical_notes) <= 4000),
  consent_given_by text NOT NULL CHECK (length(consent_given_by) BETWEEN 1 AND 200),
  consent_on date NOT NULL,
  status text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled')),
  booked_by uuid REFERENCES app_user (id),
  booked_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
-- A child has at most one live booking per session; a cancelled one may be booked again.
CREATE UNIQUE INDEX creche_booking_live_idx ON creche_booking (session_id, person_id) WHERE status = 'booked';
CREATE INDEX creche_booking_person_idx ON creche_booking (person_id);

-- The crèche register keeps who collected each child: a crèche hands a child only to a named adult.
ALTER TABLE creche_attendance ADD COLUMN collected_by text CHECK (length(collected_by) <= 200);
ALTER TABLE group_session ADD COLUMN creche_version integer NOT NULL DEFAULT 1;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['creche_staff', 'creche_booking'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id())', t || '_tenant', t);
  END LOOP;
END $$;
GRANT SELECT, INSERT, UPDATE ON creche_booking TO tandem_app;
-- The roster of a session's crèche is replaced as a whole.
GRANT SELECT, INSERT, DELETE ON creche_staff TO tandem_app;
