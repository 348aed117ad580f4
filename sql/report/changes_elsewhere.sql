-- Catalog changes on platforms other than the vendor's own (resellers, clouds), counted per kind
-- and platform: platforms lists {platform, changes}, most changes first.
with counted as (
    select vendor_id, kind, platform, count(*) as changes
    from report.vendor_changes
    where not on_own_platform
    group by all
),
final as (
    select vendor_id, kind, sum(changes) as total,
           list({'platform': platform, 'changes': changes} order by changes desc, platform) as platforms
    from counted
    group by all
)
select * from final
order by vendor_id, kind
