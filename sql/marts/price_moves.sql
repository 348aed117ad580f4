-- Prices in force now against the previous edition's (history.edition_prices), for every
-- catalog model whose input or output price changed. move_factor is max(new/old, old/new).
with previous_run as (
    select max(run_id) as run_id from history.edition_prices
),
previous as (
    select * from history.edition_prices where run_id = (select run_id from previous_run)
),
current as (select * from marts.prices_current),
joined as (
    select
        current.source, current.provider_id, current.model_id, current.vendor_id,
        previous.run_id as previous_run_id, previous.as_of as previous_as_of,
        previous.input_usd_per_mtok as previous_input_usd_per_mtok, current.input_usd_per_mtok,
        previous.output_usd_per_mtok as previous_output_usd_per_mtok, current.output_usd_per_mtok
    from current
    join previous using (source, provider_id, model_id)
    where current.input_usd_per_mtok is distinct from previous.input_usd_per_mtok
       or current.output_usd_per_mtok is distinct from previous.output_usd_per_mtok
),
final as (
    select *,
        case when previous_input_usd_per_mtok > 0 and input_usd_per_mtok > 0
             then greatest(input_usd_per_mtok / previous_input_usd_per_mtok,
                           previous_input_usd_per_mtok / input_usd_per_mtok) end as input_move_factor,
        case when previous_output_usd_per_mtok > 0 and output_usd_per_mtok > 0
             then greatest(output_usd_per_mtok / previous_output_usd_per_mtok,
                           previous_output_usd_per_mtok / output_usd_per_mtok) end as output_move_factor
    from joined
)
select * from final
