-- MedShare Desktop team mode: the group roles and the owner of the schema.
--
-- A template, rendered and run by `medshare server setup-roles` (or printed with --print, for IT to
-- read and run as one transaction: psql -1 -f FILE). :"name" stands for a quoted role or database
-- name, :'name' for the same as a string; the command fills them in from its options. Run it as a superuser or a role with CREATEROLE that may act as the owner.
-- Safe to run again: existing roles are kept, grants are re-applied as written here.

-- The group roles (no login: a desk's own login role is made a member of one or more of them).
DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY[:'owner', :'viewer', :'editor', :'consent', :'admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = name) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', name);
        END IF;
    END LOOP;
END
$$;

-- Only MedShare's roles connect to the database; nobody else may create objects in its schema.
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"database" TO :"owner", :"viewer", :"editor", :"consent", :"admin";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO :"owner";
GRANT USAGE ON SCHEMA public TO :"viewer", :"editor", :"consent", :"admin";

-- The owner alone owns the schema's tables, sequences, views and functions (and so alone migrates).
DO $$
DECLARE
    item record;
BEGIN
    FOR item IN
        SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND pg_get_userbyid(c.relowner) <> :'owner'
          AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid
                                                      AND e.deptype = 'e')
          -- a sequence that belongs to a column moves with its table
          AND NOT (c.relkind = 'S' AND EXISTS (
              SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                          AND d.deptype IN ('a', 'i')))
    LOOP
        EXECUTE format('ALTER %s public.%I OWNER TO %I',
                       CASE item.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                                         WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
                       item.relname, :'owner');
    END LOOP;
    FOR item IN
        SELECT p.oid::regprocedure AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> :'owner'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                                                      AND d.deptype = 'e')  -- an extension's (unaccent) stay its own
    LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO %I', item.signature, :'owner');
    END LOOP;
END
$$;

-- Tables the owner creates later (new migrations) can be read by every group and nothing more,
-- until the migration that adds them grants what it should (resources/sql/team_grants.sql).
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT SELECT ON TABLES TO :"viewer", :"editor", :"consent", :"admin";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"editor", :"consent", :"admin";
