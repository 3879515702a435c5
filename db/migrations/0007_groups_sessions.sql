-- Programme templates, groups, sessions, facilitators per session, placements, the attendance register and the
-- crèche register (issue 5). Times are wall-clock times at the venue (Europe/London): a group that meets at
-- 18:00 meets at 18:00 either side of the clocks changing, so sessions keep a date and a local start time.

-- A programme is also its template: how many sessions, how long, how often, what each covers, who may run it,
-- how many it takes and what counts as completing. Managers copy a built-in programme and adjust the copy.
ALTER TABLE programme
  ADD COLUMN session_count integer NOT NULL DEFAULT 1 CHECK (session_count BETWEEN 1 AND 60),
  ADD COLUMN session_minutes integer NOT NULL DEFAULT 120 CHECK (session_minutes BETWEEN 15 AND 480),
  ADD COLUMN frequency text NOT NULL DEFAULT 'weekly' CHECK (frequency IN ('weekly')),
  -- [{number, strand, topic, splitByGender, childrenJoin}], one entry per session, validated by the application.
  ADD COLUMN curriculum jsonb NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN capacity integer NOT NULL DEFAULT 6 CHECK (capacity BETWEEN 1 AND 100),
  ADD COLUMN capacity_unit text NOT NULL DEFAULT 'couples' CHECK (capacity_unit IN ('couples', 'people')),
  ADD COLUMN creche boolean NOT NULL DEFAULT false,
  ADD COLUMN completion_min_sessions integer NOT NULL DEFAULT 1 CHECK (completion_min_sessions >= 1),
  -- [{code, label, meaning}]: labels an organisation chooses, each mapped to one of the four fixed meanings, so
  -- attendance rates survive relabelling.
  ADD COLUMN attendance_statuses jsonb NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN copied_from uuid REFERENCES programme (id),
  ADD CONSTRAINT programme_completion_within_sessions CHECK (completion_min_sessions <= session_count);

-- A run of a programme at a site and venue. The session settings are copied from the template when the group is
-- planned, so adjusting the template later does not rewrite a running group.
CREATE TABLE programme_group (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  programme_id uuid NOT NULL REFERENCES programme (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  site text NOT NULL CHECK (length(site) BETWEEN 1 AND 200),
  venue text NOT NULL DEFAULT '' CHECK (length(venue) <= 300),
  start_date date NOT NULL,
  start_time text NOT NULL CHECK (start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  session_minutes integer NOT NULL CHECK (session_minutes BETWEEN 15 AND 480),
  -- [{from, to, reason}]: declared closures (bank holidays, school holidays) that sessions skip.
  closures jsonb NOT NULL DEFAULT '[]'::jsonb,
  capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 100),
  capacity_unit text NOT NULL CHECK (capacity_unit IN ('couples', 'people')),
  creche boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'running', 'finished', 'cancelled')),
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  UNIQUE (organisation_id, name)
);
CREATE INDEX programme_group_org_idx ON programme_group (organisation_id, status, start_date);

CREATE TABLE group_session (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  group_id uuid NOT NULL REFERENCES programme_group (id),
  number integer NOT NULL CHECK (number >= 1),
  on_date date NOT NULL,
  start_time text NOT NULL CHECK (start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  minutes integer NOT NULL CHECK (minutes BETWEEN 15 AND 480),
  strand text NOT NULL DEFAULT '' CHECK (length(strand) <= 100),
  topic text NOT NULL DEFAULT '' CHECK (length(topic) <= 300),
  split_by_gender boolean NOT NULL DEFAULT false,
  children_join boolean NOT NULL DEFAULT false,
  creche boolean NOT NULL DEFAULT false,
  rule_override_reason text CHECK (length(rule_override_reason) <= 1000),
  rule_override_by uuid REFERENCES app_user (id),
  -- The register's own version: saving the register checks it, so two people marking at the door cannot
  -- silently overwrite each other.
  register_version integer NOT NULL DEFAULT 1,
  register_saved_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  UNIQUE (group_id, number)
);
CREATE INDEX group_session_date_idx ON group_session (organisation_id, on_date);

CREATE TABLE session_facilitator (
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  session_id uuid NOT NULL REFERENCES group_session (id),
  user_id uuid NOT NULL REFERENCES app_user (id),
  PRIMARY KEY (session_id, user_id)
);
CREATE INDEX session_facilitator_user_idx ON session_facilitator (organisation_id, user_id);

-- A family placed in a group from its case. A couple is placed together: the participants are both parents.
CREATE TABLE placement (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  group_id uuid NOT NULL REFERENCES programme_group (id),
  case_id uuid NOT NULL REFERENCES family_case (id),
  family_id uuid NOT NULL REFERENCES family (id),
  status text NOT NULL DEFAULT 'placed' CHECK (status IN ('placed', 'withdrawn')),
  placed_by uuid REFERENCES app_user (id),
  placed_at timestamptz NOT NULL DEFAULT now(),
  withdrawn_on date,
  withdrawal_reason text CHECK (length(withdrawal_reason) <= 2000),
  version integer NOT NULL DEFAULT 1,
  CHECK ((status = 'withdrawn') = (withdrawn_on IS NOT NULL))
);
-- A case is in at most one group at a time.
CREATE UNIQUE INDEX placement_one_active_per_case ON placement (case_id) WHERE status = 'placed';
CREATE INDEX placement_group_idx ON placement (group_id, status);

CREATE TABLE placement_participant (
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  placement_id uuid NOT NULL REFERENCES placement (id),
  person_id uuid NOT NULL REFERENCES person (id),
  PRIMARY KEY (placement_id, person_id)
);

CREATE TABLE attendance (
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  session_id uuid NOT NULL REFERENCES group_session (id),
  placement_id uuid NOT NULL REFERENCES placement (id),
  person_id uuid NOT NULL REFERENCES person (id),
  status_code text NOT NULL CHECK (length(status_code) BETWEEN 1 AND 40),
  meaning text NOT NULL CHECK (meaning IN ('present', 'late', 'absent_with_apologies', 'absent')),
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, person_id)
);
CREATE INDEX attendance_placement_idx ON attendance (placement_id);

CREATE TABLE creche_attendance (
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  session_id uuid NOT NULL REFERENCES group_session (id),
  placement_id uuid NOT NULL REFERENCES placement (id),
  person_id uuid NOT NULL REFERENCES person (id),
  present boolean NOT NULL,
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, person_id)
);

-- One alert per run of absences: re-saving a register does not tell the case worker twice.
CREATE TABLE absence_alert (
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  placement_id uuid NOT NULL REFERENCES placement (id),
  person_id uuid NOT NULL REFERENCES person (id),
  streak_start integer NOT NULL,
  raised_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (placement_id, person_id, streak_start)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['programme_group', 'group_session', 'session_facilitator', 'placement', 'placement_participant', 'attendance', 'creche_attendance', 'absence_alert'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id())', t || '_tenant', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON %I TO tandem_app', t);
  END LOOP;
END $$;
-- Facilitators are replaced per session; a register save replaces the marks it covers.
GRANT DELETE ON session_facilitator, attendance, creche_attendance TO tandem_app;
