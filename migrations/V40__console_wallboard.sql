-- The console's wallboard reads a team's live calls on every push; call_team_created (V2) serves its day figures.
create index call_team_live on call (team_id) where ended_at is null;
