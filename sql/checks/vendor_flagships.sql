-- Suite vendor_flagships: each vendor's flagship is a current model, and no current model of its
-- family is newer (by release date, else first date seen in the catalogs).
select f.*,
    f.flagship_model_id is null or exists (
        select 1 from marts.catalog_lineup as l
        where l.vendor_id = f.vendor_id and l.model_id = f.flagship_model_id and l.status = 'current'
    ) as flagship_is_current,
    f.flagship_model_id is null or not exists (
        select 1 from marts.catalog_lineup as l
        where l.vendor_id = f.vendor_id and l.status = 'current' and l.flagship_family = f.flagship_family
          and coalesce(l.released_on, l.first_seen_on) > f.flagship_since
    ) as flagship_is_newest_of_family
from marts.vendor_flagships as f
