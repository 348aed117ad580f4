-- The curated sources a briefing cites: its footnotes and its sources appendix.
select source_id, title, publisher, url, note
from staging.stg_facts__sources
order by source_id
