-- expect: change-column-type, prefer-text-field
-- shorten the stored actor ids
alter table person alter column actor_id type varchar(200);
