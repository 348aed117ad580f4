with source as (select * from raw.facts__models),
final as (
    select
        model_id, vendor_id, name as model_name, family, model_class, released_on,
        date_precision as released_on_precision, architecture,
        total_params_b, active_params_b, open_weights as is_open_weights, licence,
        context_window_tokens, source as source_id, as_of as source_as_of
    from source
)
select * from final
