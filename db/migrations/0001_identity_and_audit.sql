-- Tandem foundation: the application role, tenancy helpers, identity and the audit trail.
-- Runs unchanged on PGlite and on PostgreSQL 15+.

-- The role every application query runs under (SET LOCAL ROLE per transaction). It owns nothing and may not
-- bypass row-level security, so a query that forgets its organisation filter still sees only its organisation.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tandem_app') THEN
    CREATE ROLE tandem_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END $$;
GRANT tandem_app TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO tandem_app;

-- The request's organisation and user, set per transaction with set_config(..., true). Unset means nobody.
CREATE OR REPLACE FUNCTION app_org_id() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('app.org_id', true), '')::uuid $$;
CREATE OR REPLACE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;

CREATE TABLE organisation (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind text NOT NULL CHECK (kind IN ('provider', 'local_authority', 'regional_adoption_agency', 'commissioner', 'evaluator')),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  is_demo boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- People who sign in. A user may belong to several organisations, so the user row is deployment-wide; what an
-- organisation may see of its staff goes through membership, which is tenant data under row-level security.
CREATE TABLE app_user (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  password_hash text,
  totp_secret text,
  totp_enabled boolean NOT NULL DEFAULT false,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX app_user_email_key ON app_user (email);

CREATE TABLE membership (
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  user_id uuid NOT NULL REFERENCES app_user (id),
  role text NOT NULL CHECK (role IN ('org_admin', 'service_manager', 'case_worker', 'facilitator', 'evaluator', 'commissioner')),
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, user_id)
);
CREATE INDEX membership_user_idx ON membership (user_id);
ALTER TABLE membership ENABLE ROW LEVEL SECURITY;
ALTER TABLE membership FORCE ROW LEVEL SECURITY;
-- An organisation sees its own staff; a signed-in user also sees their own memberships (to list and switch orgs).
CREATE POLICY membership_tenant ON membership
  USING (organisation_id = app_org_id() OR user_id = app_user_id())
  WITH CHECK (organisation_id = app_org_id());

CREATE TABLE user_session (
  id text PRIMARY KEY,                 -- SHA-256 of the cookie's token; the token itself is never stored
  user_id uuid NOT NULL REFERENCES app_user (id),
  active_organisation_id uuid REFERENCES organisation (id),
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  ip text,
  user_agent text
);
CREATE INDEX user_session_user_idx ON user_session (user_id);

-- Failed sign-ins are counted per normalised email whether or not an account exists, so lockout behaves the
-- same for real and invented addresses and cannot be used to discover who has an account.
CREATE TABLE sign_in_throttle (
  email_key text PRIMARY KEY,
  failures integer NOT NULL DEFAULT 0,
  window_started_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz
);

-- Invitation and password-reset links. Only a hash of the token is kept.
CREATE TABLE user_token (
  id text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES app_user (id),
  purpose text NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
  invite_organisation_id uuid REFERENCES organisation (id),
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX user_token_user_idx ON user_token (user_id);

-- Messages Tandem would send (invitations, resets). Delivery is a later worker; until then admins copy links
-- from the screen and operators read this table.
CREATE TABLE email_outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  to_address text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);

-- The audit trail: append-only, one row per read or write of personal data, written in the same transaction.
CREATE TABLE audit_event (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organisation_id uuid REFERENCES organisation (id),
  actor_user_id uuid REFERENCES app_user (id),
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text,
  at timestamptz NOT NULL DEFAULT now(),
  ip text,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_event_org_at_idx ON audit_event (organisation_id, at DESC);
CREATE INDEX audit_event_entity_idx ON audit_event (organisation_id, entity_type, entity_id);
CREATE INDEX audit_event_actor_idx ON audit_event (organisation_id, actor_user_id);
ALTER TABLE audit_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_event FORCE ROW LEVEL SECURITY;
-- Events outside any organisation (a sign-in before one is chosen) are written with no organisation and are
-- visible to no tenant.
CREATE POLICY audit_event_read ON audit_event FOR SELECT USING (organisation_id = app_org_id());
CREATE POLICY audit_event_write ON audit_event FOR INSERT
  WITH CHECK (organisation_id IS NULL OR organisation_id = app_org_id());

CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only';
END $$;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();

GRANT SELECT ON organisation TO tandem_app;
GRANT SELECT, INSERT, UPDATE ON app_user, membership, user_session, user_token TO tandem_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON sign_in_throttle TO tandem_app;
GRANT SELECT, INSERT, UPDATE ON email_outbox TO tandem_app;
GRANT INSERT ON organisation TO tandem_app;
GRANT SELECT, INSERT ON audit_event TO tandem_app;
