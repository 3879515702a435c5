-- The outcomes report reads numbers, not jsonb (docs/decisions/0006-outcome-scores-table.md).
--
-- outcome_score: one narrow row per administration with its scores as a float8 array (in the order of the keys of
-- the administration's `scores` object, which jsonb stores sorted), the pairing key as one uuid and every
-- breakdown as a small integer. It is derived data: written by statement-level triggers on administration in the
-- same transaction as the administration itself (every write path — questionnaires, paper entry, imports — is
-- covered without calling anything), removed with it (ON DELETE CASCADE), and backfilled here.
--
-- outcome_label: the integer codes of sites, groups, programmes and score "shapes" (instrument + score keys),
-- per organisation. Codes are exact (no hashing), so a filter or a breakdown can never merge two labels.

-- The row-level-security helpers read a setting; custom settings are passed to parallel workers, so they are
-- safe to run there. Without this no statement on a table with a policy can use parallel query.
ALTER FUNCTION app_org_id() PARALLEL SAFE;
ALTER FUNCTION app_user_id() PARALLEL SAFE;

CREATE TABLE outcome_label (
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  kind text NOT NULL CHECK (kind IN ('site', 'group', 'programme', 'shape')),
  label text NOT NULL,
  code bigint NOT NULL,
  PRIMARY KEY (organisation_id, kind, label)
);
CREATE INDEX outcome_label_code_idx ON outcome_label (organisation_id, code);

CREATE TABLE outcome_score (
  administration_id uuid PRIMARY KEY REFERENCES administration (id) ON DELETE CASCADE,
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  -- md5 of the pairing key (respondent, subject, instrument, programme, group): one column to join pre to post.
  pair_key uuid NOT NULL,
  -- outcome_label codes of the site, group, programme and shape.
  shape bigint NOT NULL,
  site bigint NOT NULL,
  grp bigint NOT NULL,
  programme bigint NOT NULL,
  completed_on date NOT NULL,
  -- 0 pre, 1 post, 2 follow-up; role: 1 mother, 2 father, 3 carer, 4 child, 5 teacher, 6 other.
  timepoint smallint NOT NULL,
  role smallint NOT NULL,
  valid boolean NOT NULL,
  vals float8[] NOT NULL
);
CREATE INDEX outcome_score_shape_idx ON outcome_score (organisation_id, shape);

-- A label's code is a 53-bit hash, computed where the row is written (no lookup, so a bulk import pays no
-- join); 53 bits so that it is an exact JavaScript number. Two labels of one organisation sharing a code would
-- need ~10⁸ labels for an even chance (~10⁻⁸ with 10,000 groups).
CREATE FUNCTION outcome_code(label text) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT hashtextextended(label, 7331) >> 11 $$;
-- The shape of a scores object: the instrument and its keys in stored (sorted) order, which is also the order
-- of the values in outcome_score.vals.
CREATE FUNCTION outcome_shape(instrument_id text, scores jsonb) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT instrument_id || ':' || coalesce((SELECT string_agg(k, ',') FROM jsonb_object_keys(scores) AS k), '') $$;

-- The two statements below are the whole derivation; the backfill at the end runs the same two over
-- administration instead of the transition table (keep them alike).
CREATE FUNCTION outcome_score_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outcome_label (organisation_id, kind, label, code)
  SELECT DISTINCT organisation_id, kind, label, outcome_code(label)
  FROM changed_administration,
    LATERAL (VALUES ('site', coalesce(site, '')), ('group', group_label), ('programme', programme),
      ('shape', outcome_shape(instrument_id, scores))) AS l(kind, label)
  ON CONFLICT DO NOTHING;

  INSERT INTO outcome_score AS o (administration_id, organisation_id, pair_key, shape, site, grp, programme,
    completed_on, timepoint, role, valid, vals)
  SELECT id, organisation_id,
    md5(concat_ws(chr(31), respondent_id::text, subject_ref, instrument_id, programme, group_label))::uuid,
    outcome_code(outcome_shape(instrument_id, scores)), outcome_code(coalesce(site, '')), outcome_code(group_label),
    outcome_code(programme), completed_on,
    array_position(ARRAY['pre', 'post', 'followup'], timepoint) - 1,
    array_position(ARRAY['mother', 'father', 'carer', 'child', 'teacher', 'other'], respondent_role),
    valid,
    -- jsonb_each_text yields SQL NULL for a JSON null, in the same (stored) key order as jsonb_object_keys.
    ARRAY(SELECT e.value::float8 FROM jsonb_each_text(scores) AS e)
  FROM changed_administration
  ON CONFLICT (administration_id) DO UPDATE SET
    pair_key = excluded.pair_key, shape = excluded.shape, site = excluded.site, grp = excluded.grp,
    programme = excluded.programme, completed_on = excluded.completed_on, timepoint = excluded.timepoint,
    role = excluded.role, valid = excluded.valid, vals = excluded.vals;
  RETURN NULL;
END $$;

-- A trigger with transition tables serves one event, hence two.
CREATE TRIGGER administration_outcome_insert AFTER INSERT ON administration
  REFERENCING NEW TABLE AS changed_administration FOR EACH STATEMENT EXECUTE FUNCTION outcome_score_write();
CREATE TRIGGER administration_outcome_update AFTER UPDATE ON administration
  REFERENCING NEW TABLE AS changed_administration FOR EACH STATEMENT EXECUTE FUNCTION outcome_score_write();

ALTER TABLE outcome_label ENABLE ROW LEVEL SECURITY;
ALTER TABLE outcome_label FORCE ROW LEVEL SECURITY;
CREATE POLICY outcome_label_tenant ON outcome_label USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id());
ALTER TABLE outcome_score ENABLE ROW LEVEL SECURITY;
ALTER TABLE outcome_score FORCE ROW LEVEL SECURITY;
CREATE POLICY outcome_score_tenant ON outcome_score USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id());
GRANT SELECT, INSERT, UPDATE ON outcome_label, outcome_score TO tandem_app;
GRANT DELETE ON outcome_score TO tandem_app;

-- Backfill, one organisation at a time with its scope set, so FORCE row-level security lets the rows through
-- whether or not the migrating role bypasses it.
DO $$
DECLARE org uuid;
BEGIN
  FOR org IN SELECT id FROM organisation LOOP
    PERFORM set_config('app.org_id', org::text, true);
    INSERT INTO outcome_label (organisation_id, kind, label, code)
    SELECT DISTINCT organisation_id, kind, label, outcome_code(label)
    FROM administration,
      LATERAL (VALUES ('site', coalesce(site, '')), ('group', group_label), ('programme', programme),
        ('shape', outcome_shape(instrument_id, scores))) AS l(kind, label)
    WHERE organisation_id = org
    ON CONFLICT DO NOTHING;
    INSERT INTO outcome_score (administration_id, organisation_id, pair_key, shape, site, grp, programme,
      completed_on, timepoint, role, valid, vals)
    SELECT id, organisation_id,
      md5(concat_ws(chr(31), respondent_id::text, subject_ref, instrument_id, programme, group_label))::uuid,
      outcome_code(outcome_shape(instrument_id, scores)), outcome_code(coalesce(site, '')), outcome_code(group_label),
      outcome_code(programme), completed_on,
      array_position(ARRAY['pre', 'post', 'followup'], timepoint) - 1,
      array_position(ARRAY['mother', 'father', 'carer', 'child', 'teacher', 'other'], respondent_role),
      valid,
      ARRAY(SELECT e.value::float8 FROM jsonb_each_text(scores) AS e)
    FROM administration WHERE organisation_id = org;
  END LOOP;
  PERFORM set_config('app.org_id', '', true);
END $$;
