-- Reports (issue 13): every call-based report reads one team's calls of a time range. This index holds every column
-- those queries touch, so PostgreSQL answers them from the index alone (an index-only scan once vacuum has marked
-- the pages all-visible) instead of visiting a heap page per call: BENCHMARKS.md, "Reports over one million calls".
create index call_team_report on call (team_id, created_at)
    include (direction, answered_at, ended_at, duration_seconds, agent_id, disposition);
