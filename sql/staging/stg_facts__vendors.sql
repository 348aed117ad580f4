with source as (select * from raw.facts__vendors),
final as (
    select
        vendor_id, name as vendor_name, hq_country, jurisdiction, is_eu,
        founded_on, date_precision as founded_on_precision, founders, open_weights_stance,
        positioning, problem, target_customers, parent_company, funding_rounds_complete,
        coalesce(flagship_families, []) as flagship_families,
        coalesce(profile_source, source) as profile_source_id, coalesce(profile_as_of, as_of) as profile_source_as_of,
        source as source_id, as_of as source_as_of, file as source_file
    from source
)
select * from final
