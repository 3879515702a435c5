-- Reminders to parents (issue 4): how many times an open link has been re-sent by email, and when last, so a parent
-- is reminded at most a few times and never twice in a few days. Columns on an existing tenant table: its row-level
-- security and grants already cover them.
ALTER TABLE questionnaire_link
  ADD COLUMN reminders_sent integer NOT NULL DEFAULT 0 CHECK (reminders_sent >= 0),
  ADD COLUMN last_reminded_at timestamptz;
