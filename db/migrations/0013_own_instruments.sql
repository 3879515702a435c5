-- Outcome measures (issue 4): an organisation's own instruments, its licensed wording and BCAP key, and the history
-- of corrected administrations.

-- An instrument an organisation added itself (imported from a FHIR Questionnaire or loaded as JSON). Versions are
-- kept, never replaced: an administration records the version it was scored with (administration.instrument_version),
-- so it can be read back and rescored by the rules it was given under. The definition is validated by the
-- application with the same schema as the built-ins.
CREATE TABLE organisation_instrument (
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  instrument_id text NOT NULL CHECK (instrument_id ~ '^[a-z0-9][a-z0-9-]*$' AND length(instrument_id) <= 40),
  version integer NOT NULL CHECK (version >= 1),
  definition jsonb NOT NULL,
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, instrument_id, version)
);

-- Wording (SDQ) or a scoring key (BCAP) that an organisation holds a licence for. Never exported, never shown to
-- another organisation: row-level security keeps it to its owner like every tenant row.
--   wording:  {"stem"?: text, "items": {"<item>": text}}
--   scoring_key (BCAP): [{"formItem": "1", "role": "R1", "keyedAnswer": 1}, ...], one entry per role
CREATE TABLE instrument_licence (
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  instrument_id text NOT NULL,
  licence_reference text NOT NULL CHECK (length(licence_reference) BETWEEN 1 AND 300),
  wording jsonb,
  scoring_key jsonb,
  version integer NOT NULL DEFAULT 1,
  updated_by uuid REFERENCES app_user (id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, instrument_id),
  CHECK (wording IS NOT NULL OR scoring_key IS NOT NULL)
);

-- A corrected administration keeps what it said before: one row per replaced version, written in the same transaction
-- as the correction.
CREATE TABLE administration_revision (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  administration_id uuid NOT NULL REFERENCES administration (id),
  version integer NOT NULL,
  completed_on date NOT NULL,
  instrument_version integer NOT NULL,
  responses jsonb NOT NULL,
  status text NOT NULL,
  scores jsonb NOT NULL,
  bands jsonb NOT NULL,
  flags text[] NOT NULL,
  valid boolean NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  replaced_by uuid REFERENCES app_user (id),
  replaced_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (administration_id, version)
);

ALTER TABLE organisation_instrument ENABLE ROW LEVEL SECURITY;
ALTER TABLE organisation_instrument FORCE ROW LEVEL SECURITY;
CREATE POLICY organisation_instrument_tenant ON organisation_instrument
  USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id());
ALTER TABLE instrument_licence ENABLE ROW LEVEL SECURITY;
ALTER TABLE instrument_licence FORCE ROW LEVEL SECURITY;
CREATE POLICY instrument_licence_tenant ON instrument_licence
  USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id());
ALTER TABLE administration_revision ENABLE ROW LEVEL SECURITY;
ALTER TABLE administration_revision FORCE ROW LEVEL SECURITY;
CREATE POLICY administration_revision_tenant ON administration_revision
  USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id());

GRANT SELECT, INSERT ON organisation_instrument, administration_revision TO tandem_app;
GRANT SELECT, INSERT, UPDATE ON instrument_licence TO tandem_app;
