-- The CSV import writes outcome_label and outcome_score itself, in the same statement as the administrations (a
-- data-modifying WITH), from values it has already computed: the codes of its few distinct labels once per import,
-- the pair key and the scores array per row. Deriving them again here from the transition table (a jsonb walk and
-- a subquery per row, and a DISTINCT over four labels per row) was about a third of a 100,000-row import.
--
-- So the derivation steps aside while the transaction-local setting tandem.outcome_written_by_statement is 'on'.
-- Only the import sets it, around its own statements (import.repo.ts), and clears it before it writes anything
-- else; every other write path (questionnaires, paper forms, corrections, demo and benchmark loads) leaves it unset
-- and is derived here exactly as before. The body below is 0011's, unchanged after the early return.
CREATE OR REPLACE FUNCTION outcome_score_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('tandem.outcome_written_by_statement', true) = 'on' THEN
    RETURN NULL;
  END IF;

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
