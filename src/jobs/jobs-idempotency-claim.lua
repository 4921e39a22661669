-- Points a user's Idempotency-Key at a job, atomically, unless it already points at another job
-- of the same request (then that job is the answer).
-- numberOfKeys: 1
-- KEYS[1] the key's record: "<request hash> <job id> <claimed at, ms>"
-- ARGV[1] request hash (job name and body)
-- ARGV[2] the new job id
-- ARGV[3] the job id this claim may replace (a failed attempt), or '' for none
-- ARGV[4] now (ms)
-- ARGV[5] record TTL (seconds)
-- Returns {1, new job id} when claimed (CLAIMED); {0, job id} when the key already names a job of this
-- request (SAME_REQUEST); {-1} when the key was used with a different request (KEY_REUSED)
local cur = redis.call('GET', KEYS[1])
if cur then
  local hash, job = string.match(cur, '^(%S+) (%S+)')
  if hash ~= ARGV[1] then return {-1} end
  if job ~= ARGV[3] then return {0, job} end
end
redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. ARGV[2] .. ' ' .. ARGV[4], 'EX', tonumber(ARGV[5]))
return {1, ARGV[2]}
