-- The CSV import must not replace an administration that was entered in the app (a parent's link or a paper form)
-- with the same identity key. Before writing, it looks those up for the respondents in the file; this index holds
-- only the app-entered rows, so the look-up stays small however many imported administrations an organisation has,
-- and the import's own rows cost it nothing to maintain.
CREATE INDEX administration_app_entered_idx ON administration (organisation_id, respondent_id) WHERE source <> 'import';
