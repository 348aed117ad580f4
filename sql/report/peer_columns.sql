-- One column of a competitive-landscape table per vendor: stance and lineup, flagship and its list
-- price on the as-of date (USD per million tokens), funding from the recorded rounds (USD),
-- jurisdiction. Flagship columns are NULL for a vendor without a flagship-class model.
with flagships as (
    select * from report.vendor_models where is_flagship
),
final as (
    select
        v.vendor_id, v.vendor_name, v.open_weights_stance, v.jurisdiction, v.hq_country, v.is_eu,
        v.parent_company, v.funding_rounds_complete,
        l.model_count, l.open_weights_share, l.moe_count, l.largest_context_window,
        fu.total_raised_usd, fu.latest_post_money_usd,
        f.model_id as flagship_model_id, f.model_name as flagship_name,
        f.input_usd_per_mtok as flagship_input_usd_per_mtok, f.output_usd_per_mtok as flagship_output_usd_per_mtok,
        f.price_source as flagship_price_source, f.price_snapshot as flagship_price_snapshot,
        f.price_max_relative_difference as flagship_price_max_relative_difference,
        v.source_id, v.source_as_of
    from marts.vendors v
    left join marts.vendor_lineup l using (vendor_id)
    left join marts.vendor_funding fu using (vendor_id)
    left join flagships f using (vendor_id)
)
select * from final
order by vendor_id
