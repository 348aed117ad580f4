-- The bytes of every fetched genai-prices data file (gzipped), kept across runs so that a newer
-- loader can parse it again. The installed package's data is read from the package.
create table if not exists raw.genai_prices__files (
    snapshot varchar, sha256 varchar, content_gzip blob
);
