-- Grants (issue 7): a grant buys no places. It funds a programme of the provider for its period against targets
-- and is paid in instalments set on the contract; each instalment is invoiced once.
--
-- contract.programme_id: the programme a grant funds; its families (placements on its groups) are the grant's
-- reach in the return. contract.instalments: how many equal instalments the value is paid in, over the period.
-- invoice_line.grant_instalment: which instalment a grant invoice line bills (null for place lines).
ALTER TABLE contract ADD COLUMN programme_id uuid REFERENCES programme (id);
-- The programme's name as it was when the grant was recorded: parties read it without reading the provider's programme.
ALTER TABLE contract ADD COLUMN programme_label text CHECK (length(programme_label) <= 200);
ALTER TABLE contract ADD COLUMN instalments integer NOT NULL DEFAULT 1 CHECK (instalments BETWEEN 1 AND 12);
ALTER TABLE contract ADD CONSTRAINT contract_grant_programme CHECK ((purchase_kind = 'grant' OR programme_id IS NULL) AND ((programme_id IS NULL) = (programme_label IS NULL)));
ALTER TABLE invoice_line ADD COLUMN grant_instalment integer CHECK (grant_instalment BETWEEN 1 AND 12);
ALTER TABLE invoice_line ADD CONSTRAINT invoice_line_place_or_instalment CHECK (group_place_id IS NULL OR grant_instalment IS NULL);
