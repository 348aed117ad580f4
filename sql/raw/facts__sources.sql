create table if not exists raw.facts__sources (
    source_id varchar, title varchar, publisher varchar, url varchar,
    published_on date, kind varchar, tier varchar, note varchar
);
