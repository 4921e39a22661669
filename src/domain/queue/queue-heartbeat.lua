-- Records a batch of signs of life of one concert's waiting fans: only for fans still in the
-- line (a fan dropped or admitted meanwhile is never re-added), never moving one backwards
-- (several API processes flush the same fans).
-- numberOfKeys: 1
-- KEYS[1] seen  HASH userId -> last sign of life (ms)
-- ARGV[1]    now (ms)
-- ARGV[2..]  userIds
-- Returns how many were recorded (a count, no codes)
local now, n = tonumber(ARGV[1]), 0
for i = 2, #ARGV do
  local last = redis.call('HGET', KEYS[1], ARGV[i])
  if last and tonumber(last) < now then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[1])
    n = n + 1
  end
end
return n
