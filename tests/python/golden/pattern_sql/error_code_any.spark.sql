SELECT
  variant_get(record, '$.eventID', 'string') AS `eventID`,
  variant_get(record, '$.eventTime', 'string') AS `eventTime`,
  variant_get(record, '$.eventName', 'string') AS `eventName`,
  variant_get(record, '$.recipientAccountId', 'string') AS `recipientAccountId`,
  to_json(record) AS record
FROM (
  SELECT parse_json(record) AS record FROM cloudtrail_records
) AS records
WHERE substr(variant_get(record, '$.eventTime', 'string'), 1, 10) >= '2026-01-01'
  AND substr(variant_get(record, '$.eventTime', 'string'), 1, 10) <= '2026-03-31'
  AND (schema_of_variant(record) LIKE 'OBJECT%' OR schema_of_variant(record) LIKE 'ARRAY%')
  AND ((CASE WHEN schema_of_variant(variant_get(record, '$[\'errorCode\']')) = 'STRING' THEN TRUE WHEN schema_of_variant(variant_get(record, '$[\'errorCode\']')) IN ('TINYINT', 'SMALLINT', 'INT', 'BIGINT') THEN TRUE WHEN (schema_of_variant(variant_get(record, '$[\'errorCode\']')) = 'DOUBLE' OR schema_of_variant(variant_get(record, '$[\'errorCode\']')) = 'FLOAT' OR schema_of_variant(variant_get(record, '$[\'errorCode\']')) LIKE 'DECIMAL%') THEN TRUE WHEN schema_of_variant(variant_get(record, '$[\'errorCode\']')) = 'BOOLEAN' THEN TRUE ELSE FALSE END) OR (CASE WHEN schema_of_variant(variant_get(record, '$[\'errorCode\']')) = 'STRING' THEN variant_get(record, '$[\'errorCode\']', 'string') RLIKE 'Denied\\z' WHEN schema_of_variant(variant_get(record, '$[\'errorCode\']')) IN ('TINYINT', 'SMALLINT', 'INT', 'BIGINT') THEN variant_get(record, '$[\'errorCode\']', 'string') RLIKE 'Denied\\z' WHEN (schema_of_variant(variant_get(record, '$[\'errorCode\']')) = 'DOUBLE' OR schema_of_variant(variant_get(record, '$[\'errorCode\']')) = 'FLOAT' OR schema_of_variant(variant_get(record, '$[\'errorCode\']')) LIKE 'DECIMAL%') THEN (CASE WHEN variant_get(record, '$[\'errorCode\']', 'double') = floor(variant_get(record, '$[\'errorCode\']', 'double')) AND abs(variant_get(record, '$[\'errorCode\']', 'double')) < 9007199254740992 AND variant_get(record, '$[\'errorCode\']', 'double') <> 0 THEN CAST(CAST(variant_get(record, '$[\'errorCode\']', 'double') AS BIGINT) AS STRING) RLIKE 'Denied\\z' ELSE CAST(raise_error('kmswatch: the value of $.errorCode is a number with a fraction, whose text the engine writes in its own way') AS BOOLEAN) END) ELSE FALSE END))
