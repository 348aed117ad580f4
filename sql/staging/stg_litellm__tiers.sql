with source as (select * from raw.litellm__tiers),
final as (
    select 'litellm' as source, snapshot_id as snapshot, model_key as model_id, price_key,
           tier_start_tokens, round(tier_usd_per_token * 1e6, 9) as tier_usd_per_mtok
    from source
)
select * from final
