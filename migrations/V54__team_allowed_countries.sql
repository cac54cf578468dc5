-- Toll fraud: a team dials the countries listed here (ISO 3166 regions as libphonenumber reads a number), not
-- whatever shares a dialling prefix: +1 is also the Caribbean's. The prefixes stay as an optional narrowing.
alter table team add column allowed_countries text[] not null default '{US,CA}';
