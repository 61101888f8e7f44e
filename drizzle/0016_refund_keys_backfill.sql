-- Refunds recorded before several refunds per charge existed (compensations and event
-- cancellations, one per checkout) were sent to the provider under 'refund_' || the checkout's
-- provider key; record that key so a pending one is finished under the same key (no second refund).
UPDATE payments p SET idempotency_key = 'refund_' || c.provider_key
FROM checkouts c
WHERE c.id = p.checkout_id AND p.kind = 'REFUND' AND p.idempotency_key IS NULL;
