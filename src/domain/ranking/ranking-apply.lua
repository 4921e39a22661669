-- Applies one event to the rankings exactly once: the event id is remembered, and a redelivered
-- event (replayed offsets, a relay that re-sent) changes nothing.
-- numberOfKeys: 4
-- KEYS[1] seen-marker of this event id (string)
-- KEYS[2] daily ranking   ZSET
-- KEYS[3] weekly ranking  ZSET
-- KEYS[4] monthly ranking ZSET
-- ARGV[1] member
-- ARGV[2] mode: 'incr' adds ARGV[3] to the member's score; 'min' keeps the lower of the scores
-- ARGV[3] value
-- ARGV[4..6] TTL seconds of the daily, weekly, monthly keys
-- ARGV[7] TTL seconds of the seen-marker
-- Returns 1 (APPLIED) if applied, 0 (ALREADY_APPLIED) if this event id was applied before
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[7]) == false then return 0 end
for i = 2, 4 do
  if ARGV[2] == 'incr' then
    redis.call('ZINCRBY', KEYS[i], ARGV[3], ARGV[1])
  else
    local current = redis.call('ZSCORE', KEYS[i], ARGV[1])
    if not current or tonumber(ARGV[3]) < tonumber(current) then redis.call('ZADD', KEYS[i], ARGV[3], ARGV[1]) end
  end
  redis.call('EXPIRE', KEYS[i], ARGV[2 + i])
end
return 1
