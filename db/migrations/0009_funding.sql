-- Funding and commissioning (issue 7): funders, contracts and grants, the organisations that commission them,
-- places bought on groups, shared vacancies, invoices and credit notes. Amounts are integer pence.
--
-- Tenancy. Every row belongs to the PROVIDER organisation (organisation_id): it delivers the groups, owns the
-- families and issues the invoices. Commissioning organisations (regional adoption agencies, local authorities,
-- funders) are parties to a contract (contract_party). They read the contract's rows in their own scope through
-- a second, SELECT-only policy that admits the parties of the row's contract. No table a party can read carries a
-- family, case, person or placement id: which placement fills a place is kept in place_occupancy, which only the
-- provider can read. Parties never write here directly; the few things they do (buy places, claim a vacancy) are
-- checked in their scope and then carried out by the provider's module code in the provider's scope.

CREATE TABLE funder (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind text NOT NULL CHECK (kind IN ('government_department', 'adoption_support_fund', 'local_authority', 'regional_adoption_agency', 'charitable_trust', 'other')),
  -- The funder's own organisation in Tandem, when it has one (a commissioner that signs in).
  funder_organisation_id uuid REFERENCES organisation (id),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  UNIQUE (organisation_id, name)
);

CREATE TABLE contract (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  funder_id uuid NOT NULL REFERENCES funder (id),
  reference text NOT NULL CHECK (reference ~ '^[A-Za-z0-9][A-Za-z0-9-]{0,39}$'),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  -- block: N places bought on groups; spot: each family bought separately; grant: a sum against targets.
  purchase_kind text NOT NULL CHECK (purchase_kind IN ('block', 'spot', 'grant')),
  period_start date NOT NULL,
  period_end date NOT NULL,
  value_pence bigint NOT NULL CHECK (value_pence >= 0),
  price_pence integer NOT NULL DEFAULT 0 CHECK (price_pence >= 0),
  price_unit text NOT NULL DEFAULT 'place' CHECK (price_unit IN ('place', 'family')),
  target_families integer NOT NULL DEFAULT 0 CHECK (target_families >= 0),
  target_completers integer NOT NULL DEFAULT 0 CHECK (target_completers >= 0),
  -- [{instrument, description, target}]: outcome targets, reported against the evaluation's figures.
  outcome_targets jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- Cancellation terms, in session numbers of the group: a withdrawal dated before the date of session
  -- `refundable_before_session` is refunded (credited); a place freed before the date of session
  -- `refill_before_session` may be re-filled (offered to the waiting list or claimed by a partner) up to and
  -- including that date; after it the place is "freed late" and its value can no longer be recovered.
  -- `late_charge_percent` of the price is charged for a per-family purchase withdrawn after the refund point.
  refundable_before_session integer NOT NULL DEFAULT 2 CHECK (refundable_before_session >= 1),
  refill_before_session integer NOT NULL DEFAULT 3 CHECK (refill_before_session >= 1),
  late_charge_percent integer NOT NULL DEFAULT 100 CHECK (late_charge_percent BETWEEN 0 AND 100),
  -- The Adoption Support Fund model: each participant needs an approved application in their own name.
  requires_participant_applications boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('draft', 'active', 'ended')),
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (period_end >= period_start),
  UNIQUE (organisation_id, reference)
);
CREATE INDEX contract_funder_idx ON contract (organisation_id, funder_id);

-- Joint commissioning: the two or three agencies on one contract. The lead is invoiced; partners share its
-- vacancies and pay for the places they claim.
CREATE TABLE contract_party (
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  contract_id uuid NOT NULL REFERENCES contract (id),
  party_organisation_id uuid NOT NULL REFERENCES organisation (id),
  role text NOT NULL CHECK (role IN ('lead', 'partner')),
  PRIMARY KEY (contract_id, party_organisation_id)
);
CREATE INDEX contract_party_party_idx ON contract_party (party_organisation_id);
CREATE UNIQUE INDEX contract_party_one_lead ON contract_party (contract_id) WHERE role = 'lead';

-- Places bought on one group under one contract, at one price. The group's label, dates and deadlines are copied
-- in when the places are bought so that parties can read them without reading the provider's group.
CREATE TABLE place_block (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  contract_id uuid NOT NULL REFERENCES contract (id),
  group_id uuid NOT NULL REFERENCES programme_group (id),
  group_label text NOT NULL CHECK (length(group_label) BETWEEN 1 AND 400),
  group_start_date date NOT NULL,
  session_count integer NOT NULL CHECK (session_count >= 1),
  places integer NOT NULL CHECK (places BETWEEN 1 AND 100),
  price_pence integer NOT NULL CHECK (price_pence >= 0),
  -- Dates of the refund and re-fill points (Europe/London days), from the contract's session numbers.
  refund_deadline date NOT NULL,
  refill_deadline date NOT NULL,
  bought_by_organisation_id uuid NOT NULL REFERENCES organisation (id),
  bought_by uuid REFERENCES app_user (id),
  bought_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX place_block_contract_idx ON place_block (contract_id);
CREATE INDEX place_block_group_idx ON place_block (organisation_id, group_id);

-- One bought place. Its state carries no family: status, who pays for it, when it was freed and whether late,
-- and whether the family in it is at risk of dropping out (refreshed from the attendance register).
CREATE TABLE group_place (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  contract_id uuid NOT NULL REFERENCES contract (id),
  block_id uuid NOT NULL REFERENCES place_block (id),
  group_id uuid NOT NULL REFERENCES programme_group (id),
  number integer NOT NULL CHECK (number >= 1),
  status text NOT NULL DEFAULT 'vacant' CHECK (status IN ('vacant', 'filled', 'freed')),
  -- Who is charged for the place: the lead party, or the partner agency that claimed it.
  payer_organisation_id uuid NOT NULL REFERENCES organisation (id),
  ever_filled boolean NOT NULL DEFAULT false,
  freed_on date,
  freed_late boolean NOT NULL DEFAULT false,
  -- Freed before the refund point and not re-filled by its payer: the payer is owed its price.
  refundable boolean NOT NULL DEFAULT false,
  at_risk boolean NOT NULL DEFAULT false,
  sessions_attended integer NOT NULL DEFAULT 0,
  refreshed_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  UNIQUE (group_id, number),
  CHECK ((status = 'freed') = (freed_on IS NOT NULL))
);
CREATE INDEX group_place_contract_idx ON group_place (contract_id, status);

-- Which placement fills a place: the provider's alone (no party policy), so commissioners never reach families.
CREATE TABLE place_occupancy (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  group_place_id uuid NOT NULL REFERENCES group_place (id),
  placement_id uuid NOT NULL REFERENCES placement (id),
  filled_at timestamptz NOT NULL DEFAULT now(),
  freed_on date,
  freed_late boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX place_occupancy_one_active_place ON place_occupancy (group_place_id) WHERE freed_on IS NULL;
CREATE UNIQUE INDEX place_occupancy_one_active_placement ON place_occupancy (placement_id) WHERE freed_on IS NULL;

-- A partner agency (or the lead) claims a place freed in time; it pays for it from then on.
CREATE TABLE vacancy_claim (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  contract_id uuid NOT NULL REFERENCES contract (id),
  group_place_id uuid NOT NULL REFERENCES group_place (id),
  claimed_by_organisation_id uuid NOT NULL REFERENCES organisation (id),
  claimed_by uuid REFERENCES app_user (id),
  claimed_at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL DEFAULT 'claimed' CHECK (status IN ('claimed', 'filled', 'lapsed'))
);
CREATE UNIQUE INDEX vacancy_claim_one_open ON vacancy_claim (group_place_id) WHERE status = 'claimed';

CREATE TABLE invoice (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  contract_id uuid NOT NULL REFERENCES contract (id),
  number text NOT NULL,
  period_start date NOT NULL,
  period_end date NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued')),
  total_pence bigint NOT NULL DEFAULT 0,
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  issued_by uuid REFERENCES app_user (id),
  issued_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  CHECK (period_end >= period_start),
  CHECK ((status = 'issued') = (issued_at IS NOT NULL)),
  UNIQUE (organisation_id, number)
);
CREATE INDEX invoice_contract_idx ON invoice (contract_id, period_start);

CREATE TABLE invoice_line (
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  contract_id uuid NOT NULL REFERENCES contract (id),
  invoice_id uuid NOT NULL REFERENCES invoice (id),
  line_no integer NOT NULL,
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
  group_place_id uuid REFERENCES group_place (id),
  payer_organisation_id uuid NOT NULL REFERENCES organisation (id),
  quantity integer NOT NULL,
  unit_pence integer NOT NULL,
  amount_pence bigint NOT NULL,
  PRIMARY KEY (invoice_id, line_no)
);

-- Credit notes are the only way to take money off an issued invoice. Insert-only.
CREATE TABLE credit_note (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  contract_id uuid NOT NULL REFERENCES contract (id),
  invoice_id uuid NOT NULL REFERENCES invoice (id),
  number text NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  total_pence bigint NOT NULL CHECK (total_pence > 0),
  issued_by uuid REFERENCES app_user (id),
  issued_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, number)
);

CREATE TABLE credit_note_line (
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  contract_id uuid NOT NULL REFERENCES contract (id),
  credit_note_id uuid NOT NULL REFERENCES credit_note (id),
  line_no integer NOT NULL,
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
  -- A place is credited once.
  group_place_id uuid UNIQUE REFERENCES group_place (id),
  payer_organisation_id uuid NOT NULL REFERENCES organisation (id),
  amount_pence bigint NOT NULL CHECK (amount_pence > 0),
  PRIMARY KEY (credit_note_id, line_no)
);

-- An issued invoice is never changed: only credited.
CREATE OR REPLACE FUNCTION invoice_issued_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'issued' THEN
    RAISE EXCEPTION 'invoice % is issued and cannot be changed; issue a credit note', OLD.number;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER invoice_final BEFORE UPDATE OR DELETE ON invoice FOR EACH ROW EXECUTE FUNCTION invoice_issued_is_final();

CREATE OR REPLACE FUNCTION invoice_line_issued_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE target uuid;
BEGIN
  target := CASE WHEN TG_OP = 'INSERT' THEN NEW.invoice_id ELSE OLD.invoice_id END;
  IF EXISTS (SELECT 1 FROM invoice WHERE id = target AND status = 'issued') THEN
    RAISE EXCEPTION 'the lines of an issued invoice cannot be changed; issue a credit note';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER invoice_line_final BEFORE INSERT OR UPDATE OR DELETE ON invoice_line FOR EACH ROW EXECUTE FUNCTION invoice_line_issued_is_final();

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['funder', 'contract', 'contract_party', 'place_block', 'group_place', 'place_occupancy', 'vacancy_claim', 'invoice', 'invoice_line', 'credit_note', 'credit_note_line'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id())', t || '_tenant', t);
  END LOOP;
  -- Parties of a contract read its rows (SELECT only; permissive policies are OR-ed with the tenant policy).
  FOREACH t IN ARRAY ARRAY['place_block', 'group_place', 'vacancy_claim', 'credit_note', 'credit_note_line'] LOOP
    EXECUTE format(
      'CREATE POLICY %I ON %I FOR SELECT USING (EXISTS (SELECT 1 FROM contract_party p WHERE p.contract_id = %I.contract_id AND p.party_organisation_id = app_org_id()))',
      t || '_party', t, t);
  END LOOP;
END $$;

-- A party sees its own party row (not the provider's other customers).
CREATE POLICY contract_party_self ON contract_party FOR SELECT USING (party_organisation_id = app_org_id());
CREATE POLICY contract_party_read ON contract FOR SELECT
  USING (EXISTS (SELECT 1 FROM contract_party p WHERE p.contract_id = contract.id AND p.party_organisation_id = app_org_id()));
CREATE POLICY funder_party ON funder FOR SELECT
  USING (EXISTS (SELECT 1 FROM contract c JOIN contract_party p ON p.contract_id = c.id WHERE c.funder_id = funder.id AND p.party_organisation_id = app_org_id()));
-- Parties see issued invoices only; drafts are the provider's working copies.
CREATE POLICY invoice_party ON invoice FOR SELECT
  USING (status = 'issued' AND EXISTS (SELECT 1 FROM contract_party p WHERE p.contract_id = invoice.contract_id AND p.party_organisation_id = app_org_id()));
CREATE POLICY invoice_line_party ON invoice_line FOR SELECT
  USING (EXISTS (SELECT 1 FROM invoice i WHERE i.id = invoice_line.invoice_id AND i.status = 'issued'
    AND EXISTS (SELECT 1 FROM contract_party p WHERE p.contract_id = i.contract_id AND p.party_organisation_id = app_org_id())));

GRANT SELECT, INSERT, UPDATE ON funder, contract, place_block, group_place, place_occupancy, vacancy_claim, invoice TO tandem_app;
GRANT SELECT, INSERT, DELETE ON contract_party TO tandem_app;
-- Draft invoices are regenerated; issued ones are protected by the triggers above.
GRANT SELECT, INSERT, DELETE ON invoice_line TO tandem_app;
GRANT DELETE ON invoice TO tandem_app;
GRANT SELECT, INSERT ON credit_note, credit_note_line TO tandem_app;
