-- Audited claims of all vendors counted by status (marts.claim_audit).
select status, count(*) as claims
from marts.claim_audit
group by status
order by status
