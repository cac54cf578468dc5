-- Logout revokes a token server-side: its id (jti) is kept here until the token would have expired anyway.
create table revoked_token (
    token_id   text primary key,
    user_id    uuid not null,
    expires_at timestamptz not null
);
create index revoked_token_expiry on revoked_token (expires_at);

-- An inbox event that fails to apply is tried a few times, then set aside (applied_at stays null, set_aside_at set)
-- so that later events go on; applied events are deleted after a retention period.
alter table telnyx_inbox add column tries integer not null default 0;
alter table telnyx_inbox add column set_aside_at timestamptz;
drop index telnyx_inbox_pending;
create index telnyx_inbox_pending on telnyx_inbox (occurred_at) where applied_at is null and set_aside_at is null;
create index telnyx_inbox_applied on telnyx_inbox (applied_at) where applied_at is not null;
