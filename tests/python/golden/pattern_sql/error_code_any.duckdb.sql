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
  AND ((CASE WHEN json_type(record, '$."errorCode"') IN ('VARCHAR') THEN TRUE WHEN json_type(record, '$."errorCode"') IN ('BIGINT', 'UBIGINT') THEN TRUE WHEN json_type(record, '$."errorCode"') IN ('DOUBLE') THEN TRUE WHEN json_type(record, '$."errorCode"') IN ('BOOLEAN') THEN TRUE ELSE FALSE END) OR (CASE WHEN json_type(record, '$."errorCode"') IN ('VARCHAR') THEN regexp_matches(json_extract_string(record, '$."errorCode"'), 'Denied$') WHEN json_type(record, '$."errorCode"') IN ('BIGINT', 'UBIGINT') THEN regexp_matches(json_extract_string(record, '$."errorCode"'), 'Denied$') WHEN json_type(record, '$."errorCode"') IN ('DOUBLE') THEN (CASE WHEN CAST(json_extract_string(record, '$."errorCode"') AS DOUBLE) = floor(CAST(json_extract_string(record, '$."errorCode"') AS DOUBLE)) AND abs(CAST(json_extract_string(record, '$."errorCode"') AS DOUBLE)) < 9007199254740992 AND CAST(json_extract_string(record, '$."errorCode"') AS DOUBLE) <> 0 THEN regexp_matches(CAST(CAST(CAST(json_extract_string(record, '$."errorCode"') AS DOUBLE) AS BIGINT) AS VARCHAR), 'Denied$') ELSE CAST(error('kmswatch: the value of $.errorCode is a number with a fraction, whose text the engine writes in its own way') AS BOOLEAN) END) ELSE FALSE END))
