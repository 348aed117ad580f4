-- Suite models: whether a flagship-class model has a price.
select *, (model_class <> 'flagship' or input_usd_per_mtok is not null) as flagship_is_priced
from main.models
