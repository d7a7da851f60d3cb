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
  AND ((CASE WHEN json_type(record, '$."eventName"') IN ('VARCHAR') THEN starts_with(json_extract_string(record, '$."eventName"'), 'Disable') ELSE FALSE END) AND (CASE WHEN json_type(record, '$."userIdentity"."type"') IN ('VARCHAR') THEN json_extract_string(record, '$."userIdentity"."type"') = 'IAMUser' ELSE FALSE END))
