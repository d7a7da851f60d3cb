SELECT
  eventID,
  eventTime,
  eventName,
  recipientAccountId
FROM event_data_store_id
WHERE eventTime >= '2026-01-01 00:00:00'
  AND eventTime <= '2026-03-31 23:59:59'
  AND (errorCode IS NOT NULL OR regexp_like(errorCode, 'Denied\z'))
