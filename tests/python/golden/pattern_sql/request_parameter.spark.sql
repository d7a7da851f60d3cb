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
  AND (CASE WHEN schema_of_variant(variant_get(record, '$[\'requestParameters\'][\'keyId\']')) = 'STRING' THEN contains(variant_get(record, '$[\'requestParameters\'][\'keyId\']', 'string'), 'abcd-12') ELSE FALSE END)
