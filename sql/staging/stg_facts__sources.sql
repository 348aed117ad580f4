with source as (select * from raw.facts__sources),
final as (
    select source_id, title, publisher, url, published_on, kind, note from source
)
select * from final
