-- The name mapping's pairs are reloaded whole from data/sources/lmarena/model_map.yaml on each run.
delete from raw.lmarena__model_pairs
