-- expect: update-without-where, set-not-null
alter table post add column featured_local boolean;
update post set featured_local = false;
alter table post alter column featured_local set not null;
