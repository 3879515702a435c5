-- The session behind a request cookie, its user and the role in its current organisation, looked up and checked in
-- one statement (one round trip) instead of a transaction of six. It is checked on every request, so a revoked,
-- expired, idle or disabled session stops working at once; nothing is cached. SECURITY DEFINER because the
-- membership row is under row-level security keyed on the user, who is not known until the session is read; the
-- user id is set only inside the function (the SET clause undoes it on return), and the function answers nothing
-- but the one session whose hashed token it is given.
CREATE OR REPLACE FUNCTION app_session_actor(p_session_id text, p_idle_minutes integer, p_touch_after_seconds integer)
RETURNS TABLE (user_id uuid, active_organisation_id uuid, csrf_token text, member_role text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp SET app.user_id = '' AS $$
#variable_conflict use_column
DECLARE
  s record;
BEGIN
  SELECT us.user_id, us.active_organisation_id, us.csrf_token, us.last_seen_at INTO s
  FROM user_session us JOIN app_user u ON u.id = us.user_id
  WHERE us.id = p_session_id
    AND us.revoked_at IS NULL
    AND u.disabled_at IS NULL
    AND us.expires_at > now()
    AND us.last_seen_at + make_interval(mins => p_idle_minutes) > now();
  IF NOT FOUND THEN
    RETURN;
  END IF;
  -- The idle clock is moved at most once a minute, not on every request (a write per read otherwise).
  IF s.last_seen_at < now() - make_interval(secs => p_touch_after_seconds) THEN
    UPDATE user_session SET last_seen_at = now() WHERE id = p_session_id;
  END IF;
  PERFORM set_config('app.user_id', s.user_id::text, true);
  RETURN QUERY SELECT s.user_id, s.active_organisation_id, s.csrf_token,
    (SELECT m.role FROM membership m WHERE m.user_id = s.user_id AND m.organisation_id = s.active_organisation_id AND m.active);
END $$;
REVOKE ALL ON FUNCTION app_session_actor(text, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_session_actor(text, integer, integer) TO tandem_app;
