-- MedShare Desktop team mode: what each group may do, table by table.
--
-- Run by `medshare server setup-roles` and again by migrations that add tables (0015 onwards), as a
-- template: :"name" is a quoted role name, :'name' the same name as a string. Every grant is
-- re-applied from nothing, so running it twice, or after a hand edit, leaves exactly this.
--
--   viewer   reads everything (inbox, consent register, calendar, audit trail), changes nothing
--   editor   posts and their review, approval, photo tags, missed-risk marks, the calendar
--   consent  the consent register and its signed forms
--   admin    the team's settings, people and their accounts
--
-- A desk that changes anything appends to the audit trail, so the three writing groups may INSERT
-- into audit_event; no group may UPDATE, DELETE or TRUNCATE it or approval_evidence, ever.

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM :"viewer", :"editor", :"consent", :"admin";
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM :"viewer", :"editor", :"consent", :"admin";
GRANT SELECT ON ALL TABLES IN SCHEMA public TO :"viewer", :"editor", :"consent", :"admin";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"editor", :"consent", :"admin";

DO $$
DECLARE
    grant_row record;
BEGIN
    FOR grant_row IN
        SELECT * FROM (VALUES
            -- table               group       privileges beyond SELECT
            ('audit_event',        :'editor',  'INSERT'),
            ('audit_event',        :'consent', 'INSERT'),
            ('audit_event',        :'admin',   'INSERT'),
            ('post',               :'editor',  'INSERT, UPDATE'),
            ('finding',            :'editor',  'INSERT, UPDATE, DELETE'),
            ('photo_tag',          :'editor',  'INSERT, UPDATE, DELETE'),
            ('missed_risk',        :'editor',  'INSERT, UPDATE'),
            ('scheduled_share',    :'editor',  'INSERT, UPDATE, DELETE'),
            ('approval_evidence',  :'editor',  'INSERT'),
            ('setting',            :'editor',  'INSERT, UPDATE'),   -- only feed cursors: see the policy below
            ('person',             :'editor',  'UPDATE'),           -- only to lock a person: see below
            ('consent_record',     :'consent', 'INSERT, UPDATE'),
            ('evidence_file',      :'consent', 'INSERT'),
            ('evidence_content',   :'consent', 'INSERT'),
            ('setting',            :'admin',   'INSERT, UPDATE, DELETE'),
            ('person',             :'admin',   'INSERT, UPDATE, DELETE'),
            ('source_account',     :'admin',   'INSERT, UPDATE, DELETE'),
            ('post',               :'admin',   'UPDATE')            -- linking an account moves its posts
        ) AS g (table_name, group_name, privileges)
        WHERE to_regclass(format('public.%I', table_name)) IS NOT NULL  -- tables of later migrations
    LOOP
        EXECUTE format('GRANT %s ON public.%I TO %I', grant_row.privileges, grant_row.table_name,
                       grant_row.group_name);
    END LOOP;
END
$$;

-- Row-level rules where a table-wide grant would be too much. The owner (migrations) is not bound.
-- person: editors lock a person's row while counting re-shares (SELECT ... FOR UPDATE needs the
-- UPDATE privilege) but may not change it.
ALTER TABLE person ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS medshare_read ON person;
DROP POLICY IF EXISTS medshare_admin ON person;
DROP POLICY IF EXISTS medshare_lock ON person;
CREATE POLICY medshare_read ON person FOR SELECT USING (true);
CREATE POLICY medshare_admin ON person FOR ALL TO :"admin" USING (true) WITH CHECK (true);
CREATE POLICY medshare_lock ON person FOR UPDATE TO :"editor" USING (true) WITH CHECK (false);
-- setting: editors keep the online feeds' cursors (Refresh feeds); the team's settings are the admins'.
ALTER TABLE setting ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS medshare_read ON setting;
DROP POLICY IF EXISTS medshare_admin ON setting;
DROP POLICY IF EXISTS medshare_feeds ON setting;
CREATE POLICY medshare_read ON setting FOR SELECT USING (true);
CREATE POLICY medshare_admin ON setting FOR ALL TO :"admin" USING (true) WITH CHECK (true);
CREATE POLICY medshare_feeds ON setting FOR ALL TO :"editor"
    USING (key LIKE 'refresh.since.%') WITH CHECK (key LIKE 'refresh.since.%');

-- audit_event: the "who" of every event is the server login writing it. A desk cannot write another
-- name, whatever the program it uses; the owner and superusers (who move and restore trails) can.
CREATE OR REPLACE FUNCTION medshare_actor_is_login() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.actor IS DISTINCT FROM session_user::text AND NOT pg_has_role(
        session_user,
        (SELECT tableowner FROM pg_tables WHERE schemaname = TG_TABLE_SCHEMA AND tablename = TG_TABLE_NAME),
        'USAGE')
    THEN
        RAISE EXCEPTION 'permission denied for table %: an audit event by % must name %, not %',
            TG_TABLE_NAME, session_user, session_user, NEW.actor
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS medshare_actor_is_login ON audit_event;
CREATE TRIGGER medshare_actor_is_login BEFORE INSERT ON audit_event
    FOR EACH ROW EXECUTE FUNCTION medshare_actor_is_login();
