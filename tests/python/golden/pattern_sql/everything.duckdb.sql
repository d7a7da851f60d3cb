SELECT
  json_extract_string(record, '$.eventID') AS "eventID",
  json_extract_string(record, '$.eventTime') AS "eventTime",
  json_extract_string(record, '$.eventName') AS "eventName",
  json_extract_string(record, '$.recipientAccountId') AS "recipientAccountId",
  record
FROM cloudtrail_records
WHERE substr(json_extract_string(record, '$.eventTime'), 1, 10) >= '2026-01-01'
  AND substr(json_extract_string(record, '$.eventTime'), 1, 10) <= '2026-03-31'
  AND json_type(record) IN ('OBJECT', 'ARRAY')
  AND TRUE
