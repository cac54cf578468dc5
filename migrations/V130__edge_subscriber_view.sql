-- The SIP edge (Kamailio, kamailio-config/) authenticates agents' phones with the digest hash the app already keeps
-- (agent.sip_md5_cred = MD5(extension:callcenter:password)); auth_db reads it through this view, in the columns it
-- expects (username, ha1), as a login that may read nothing else. The view runs with its owner's rights, so that
-- login needs no right on the agent table itself. varchar, not text: Kamailio's db_postgres reads text columns as
-- binary (BLOB), which auth_db refuses as a hash.
create view edge_subscriber as
    select extension::varchar(32) as username, 'callcenter'::varchar(32) as domain, sip_md5_cred::varchar(64) as ha1
    from agent;

revoke all on edge_subscriber from public;

-- The login role is made by the database's administrator (scripts/postgres.sh: callcenter_edge, its password from
-- the environment or the run directory's secrets), not here: the app's own role may not create roles. Granted here
-- when it already exists; postgres.sh grants it again on every start, so either order works.
do $$
begin
    if exists (select from pg_roles where rolname = 'callcenter_edge') then
        grant select on edge_subscriber to callcenter_edge;
    end if;
end
$$;
