-- Suite capability_current: its relation with the derived columns its expectations check.
select *, (model_class <> 'flagship' or score is not null or leaderboard_on is null or released_on is null or released_on > leaderboard_on) as flagship_is_rated from main.capability_current
