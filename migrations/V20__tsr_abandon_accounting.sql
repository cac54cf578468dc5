-- Abandon accounting as the Telemarketing Sales Rule defines it (16 CFR 310.4(b)(4)): a call answered by a person
-- is abandoned unless an agent is connected (two-way audio) within 2 seconds of the end of the person's greeting,
-- counted per campaign in successive 30-day periods.

-- The periods are anchored at the campaign's first switch-on (its creation until then).
alter table campaign add column started_at timestamptz;
update campaign set started_at = created_at where enabled;

-- Share of people answering that answering-machine detection is assumed to call machines (vendor figure or measured).
-- Such a person is abandoned by the rule's definition and invisible in our records, so the guard sets it aside from
-- the target; when it alone would use up the target, machine results go to agents too.
alter table campaign add column amd_error_rate numeric(5, 4) not null default 0.01
    check (amd_error_rate >= 0 and amd_error_rate < 0.5);

-- Why pacing runs below the mode's ratio right now (null when it does not): shown with the campaign and logged.
alter table campaign add column pacing_note text;

-- The silence after a greeting that Telnyx's detection waits for before it decides (what we asked for), and the
-- greeting's end derived from it: the 2-second clock starts there.
alter table dial_attempt add column greeting_silence_millis integer;
alter table dial_attempt add column greeting_ended_at timestamptz;
-- A machine result that an agent or a later event showed to be a person.
alter table dial_attempt add column detection_error boolean not null default false;
-- The rule's verdict, kept with the attempt so periods are counted in SQL: a call answered by a person (the base),
-- and of those the abandoned ones, with the deadline that proves it.
alter table dial_attempt add column tsr_live boolean not null default false;
alter table dial_attempt add column tsr_abandoned boolean not null default false;
alter table dial_attempt add column tsr_deadline timestamptz;
alter table dial_attempt add column tsr_reason text;
create index dial_attempt_tsr on dial_attempt (campaign_id, answered_at) where tsr_live;

-- Before this rule two campaigns could hold the same number open. On upgrade the older of such attempts are closed
-- (their call, if any, goes on at the carrier and ends there; the dialer no longer follows it), each with its reason
-- in the attempt's log, so the index below can hold.
create temporary table doubled_open_attempt on commit drop as
    select id, state from (
        select id, state, row_number() over (partition by e164 order by created_at desc) as newest
        from dial_attempt where ended_at is null) ranked
    where newest > 1;
insert into dial_attempt_event (attempt_id, occurred_at, from_state, to_state, event, detail)
    select id, now(), state, 'ENDED', 'closed on upgrade',
           'the same number was open in another campaign; one open attempt per number from now on'
    from doubled_open_attempt;
update dial_attempt set state = 'ENDED', ended_at = now(), detail = 'closed on upgrade: number open in another campaign'
    where id in (select id from doubled_open_attempt);

-- One number is rung by at most one campaign at a time: a second open attempt for it cannot be inserted.
create unique index dial_attempt_one_open_per_number on dial_attempt (e164) where ended_at is null;

-- A preset is now the ceiling of the ratio the guard keeps in adaptive_ratio: existing presets start at their ceiling.
update campaign set adaptive_ratio = dial_mode::numeric where dial_mode <> 'ADAPTIVE';
