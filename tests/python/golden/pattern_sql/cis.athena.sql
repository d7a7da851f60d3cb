SELECT
  eventid,
  eventtime,
  eventname,
  recipientaccountid
FROM cloudtrail_logs
WHERE substr(eventtime, 1, 10) >= '2026-01-01'
  AND "timestamp" >= '2026/01/01'
  AND substr(eventtime, 1, 10) <= '2026-03-31'
  AND "timestamp" <= '2026/03/31'
  AND (eventsource = 'kms.amazonaws.com' AND (eventname = 'DisableKey' OR eventname = 'ScheduleKeyDeletion'))
