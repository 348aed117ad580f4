-- One column of a competitive-landscape table per vendor: stance and lineup, flagship (the newest
-- current model of its flagship families, marts.vendor_flagships) and its price on the as-of date
-- (USD per million tokens) with its basis (list or hosted) and the columns the catalogs dispute,
-- funding from the recorded rounds (USD), jurisdiction. Flagship columns are NULL for a vendor
-- without a current model of its flagship families.
-- In the landscape's reading order: by region of the headquarters (United States, China, Europe,
-- rest of the world), then by flagship price, highest output price first (unpriced last), then name.
with flagships as (
    select * from report.vendor_models where is_flagship
),
final as (
    select
        v.vendor_id, v.vendor_name, v.open_weights_stance, v.jurisdiction, v.hq_country, v.is_eu,
        case when v.hq_country = 'US' then 'United States' when v.hq_country = 'CN' then 'China'
             when v.is_eu or v.hq_country in ('GB', 'CH', 'NO', 'IS') then 'Europe'
             else 'Rest of the world' end as region,
        v.parent_company, v.funding_rounds_complete,
        l.model_count, l.open_weights_share, l.moe_count, l.largest_context_window,
        fu.total_raised_usd, fu.total_is_lower_bound, fu.latest_post_money_usd, fu.latest_valuation_on,
        fu.latest_valuation_is_lower_bound,
        f.model_id as flagship_model_id, f.model_name as flagship_name,
        f.input_usd_per_mtok as flagship_input_usd_per_mtok, f.output_usd_per_mtok as flagship_output_usd_per_mtok,
        f.price_source as flagship_price_source, f.price_snapshot as flagship_price_snapshot,
        f.price_basis as flagship_price_basis, f.hosted_count as flagship_hosted_count,
        f.input_disputed as flagship_input_disputed, f.output_disputed as flagship_output_disputed,
        f.genai_input_usd_per_mtok as flagship_genai_input_usd_per_mtok,
        f.genai_output_usd_per_mtok as flagship_genai_output_usd_per_mtok,
        f.litellm_input_usd_per_mtok as flagship_litellm_input_usd_per_mtok,
        f.litellm_output_usd_per_mtok as flagship_litellm_output_usd_per_mtok,
        f.is_settled as flagship_is_settled, f.is_curated as flagship_is_curated,
        f.hosted_source as flagship_hosted_source, f.hosted_providers as flagship_hosted_providers,
        f.list_price_source_id as flagship_list_price_source_id, f.list_price_as_of as flagship_list_price_as_of,
        l.catalog_only_count,
        v.source_id, v.source_as_of
    from marts.vendors v
    left join marts.vendor_lineup l using (vendor_id)
    left join marts.vendor_funding fu using (vendor_id)
    left join flagships f using (vendor_id)
)
select * from final
order by case region when 'United States' then 1 when 'China' then 2 when 'Europe' then 3 else 4 end,
         flagship_output_usd_per_mtok desc nulls last, flagship_input_usd_per_mtok desc nulls last,
         vendor_name, vendor_id
