-- Reserves one of a user's unfinished-job slots for a job about to be enqueued, or refuses.
-- The user's set is counted from the jobs' own state, so nothing has to decrement it when a job
-- ends or its worker dies: a member whose BullMQ job hash has `finishedOn` (completed or failed
-- for good), or that no longer exists, no longer counts. The set's key shares the BullMQ hash tag,
-- so the job hashes read here live in the same Redis Cluster slot.
-- numberOfKeys: 1
-- KEYS[1] the user's pending set (zset: member = BullMQ job hash key, score = reserved at, ms)
-- ARGV[1] job hash key of the new job
-- ARGV[2] most unfinished jobs allowed
-- ARGV[3] now (ms)
-- ARGV[4] grace (ms): a member whose job hash does not exist yet is kept this long (being enqueued)
-- ARGV[5] stale (ms): a member older than this no longer counts, whatever its state (a stuck job
--         must not lock its user out); also the key's TTL
-- Returns 0 (RESERVED) when reserved (or the job was already reserved), else the user's unfinished job count
local now, grace, stale = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local members = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local live = 0
for i = 1, #members, 2 do
  local job, age = members[i], now - tonumber(members[i + 1])
  if job == ARGV[1] then return 0 end
  if age > stale or redis.call('HEXISTS', job, 'finishedOn') == 1 or (age > grace and redis.call('EXISTS', job) == 0) then
    redis.call('ZREM', KEYS[1], job)
  else
    live = live + 1
  end
end
if live >= tonumber(ARGV[2]) then return live end
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('PEXPIRE', KEYS[1], stale)
return 0
