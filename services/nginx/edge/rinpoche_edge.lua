-- rinpoche's edge metrics: per app, requests by final status and their latency, counted in nginx's log phase
-- into a shared dictionary and served in Prometheus' text format (nginx-lua-prometheus, beside this file).
-- Labels are bounded: the app (from the route's $app_upstream, http://<app>:8000) and the 3-digit status;
-- Prometheus adds the environment. Requests no app answers (the 404 page, /nginx-health) are not counted.
local M = {}

-- Seconds, from well under a proxied request's floor to nginx's proxy_next_upstream_timeout and beyond.
local BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

local prometheus, requests, duration

function M.init_worker()
  prometheus = require("prometheus").init("rinpoche_edge")
  requests = prometheus:counter("rinpoche_edge_requests_total",
      "Requests nginx passed to an app, by the status it answered the client", {"app", "status"})
  duration = prometheus:histogram("rinpoche_edge_request_duration_seconds",
      "Time from the request's first byte to the answer's last (nginx's $request_time)", {"app"}, BUCKETS)
end

function M.log()
  local upstream = ngx.var.app_upstream
  local app = upstream and upstream:match("^https?://([%w%-_.]+)")
  if not app then
    return
  end
  -- During a rollout the deploy service points the route at its upstream block rinpoche-pinned-<app>
  -- (deploy-service, NginxUpstreams): still the same app.
  app = app:gsub("^rinpoche%-pinned%-", "")
  requests:inc(1, {app, ngx.var.status})
  duration:observe(tonumber(ngx.var.request_time), {app})
end

function M.collect()
  prometheus:collect()
end

return M
