-- Suite lineup_entries: listed text-generation ids that name no model we can identify.
select *,
    not is_listed or lineup_model_id is not null or coalesce(mode, 'chat') not in ('chat', 'responses', 'completion')
        as listed_is_identified
from marts.lineup_entries
