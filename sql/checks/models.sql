-- Suite models: whether a current flagship-class model has a price (retired ones show none).
select *, (model_class <> 'flagship' or status <> 'current' or input_usd_per_mtok is not null) as flagship_is_priced
from main.models
