-- Valuations a source reports for a recorded round that differ from the round's own (a dispute
-- between sources), in the round's valuation currency.
with source as (select * from raw.facts__reported_valuations),
final as (
    select
        vendor_id, round as round_id, post_money_valuation, valuation_currency, source as source_id,
        as_of as source_as_of
    from source
)
select * from final
