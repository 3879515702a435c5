-- A facilitator's calendar feed by a secret URL (issue 5, item 2): a calendar app cannot send the session cookie,
-- so the feed is found by a token whose SHA-256 alone is stored. A new token revokes the old one.
CREATE TABLE calendar_feed (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  user_id uuid NOT NULL REFERENCES app_user (id),
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE UNIQUE INDEX calendar_feed_live_idx ON calendar_feed (organisation_id, user_id) WHERE revoked_at IS NULL;

-- The public feed route has no session: it sets app.feed_token_hash for its transaction and may then read that
-- one feed (only by knowing the secret whose hash it is) to learn whose it is; everything else is by organisation.
ALTER TABLE calendar_feed ENABLE ROW LEVEL SECURITY;
ALTER TABLE calendar_feed FORCE ROW LEVEL SECURITY;
CREATE POLICY calendar_feed_tenant ON calendar_feed
  USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id());
CREATE POLICY calendar_feed_by_token ON calendar_feed FOR SELECT
  USING (token_hash = nullif(current_setting('app.feed_token_hash', true), ''));
GRANT SELECT, INSERT, UPDATE ON calendar_feed TO tandem_app;
