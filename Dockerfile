# syntax=docker/dockerfile:1
# council's two processes, one image each, from this one file:
#
#   docker build --target worker -t council-worker .   # PC2: the worker in front of Ollama
#   docker build --target bot -t council-bot .         # PC1: the bot (Discord, Slack or console)
#
# compose.yaml builds and runs both (see README, "Run it in containers"). Run them with an init
# process (compose's `init: true`, `docker run --init`): node handles SIGTERM (the graceful stop)
# itself, but as PID 1 it would ignore one that comes during start-up, before its handler is in
# place, could not end itself by the signal after a second one, and would reap no orphaned child.
# Each CMD is what the process's npm script runs (`npm start`, `npm run worker`), without npm.
#
# NODE_IMAGE is the base of every stage: the official Node image by default. Another one works
# if it is Debian-based with node, npm and Node's headers under /usr/local and a `node` user,
# as the official one is (the container test builds on such a copy, made without Docker Hub).
ARG NODE_IMAGE=node:24-bookworm-slim

# ---------------------------------------------------------------------------------------------
# build: every dependency, the native module compiled, the two bundles, then dev dependencies
# pruned so that the node_modules the runtime copies holds production packages only.
FROM ${NODE_IMAGE} AS build
# better-sqlite3 downloads a prebuilt binary when one fits; without one (or without access to
# GitHub) it compiles with node-gyp against the headers of this very Node (nodedir), not headers
# fetched from the Internet, on every core (JOBS).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
WORKDIR /app
COPY package.json package-lock.json ./
RUN JOBS=max npm ci --no-audit --no-fund
COPY . .
RUN npm run -s build:bot \
 && npm run -s build:worker \
 && npm prune --omit=dev --no-audit --no-fund \
 # The compiler's leftovers: only build/Release/better_sqlite3.node is loaded at run time.
 && rm -rf node_modules/better-sqlite3/deps node_modules/better-sqlite3/src \
      node_modules/better-sqlite3/build/Release/obj node_modules/better-sqlite3/build/Release/obj.target \
      node_modules/better-sqlite3/build/Release/test_extension.node node_modules/better-sqlite3/build/Release/sqlite3.a \
      node_modules/better-sqlite3/build/deps

# ---------------------------------------------------------------------------------------------
# runtime: what both processes run from. Owned by root and read-only to the `node` user the
# processes run as; the bot writes only to its volume at /data.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json /app/LICENSE ./
COPY --from=build /app/node_modules node_modules/
COPY --from=build /app/dist dist/
# The shipped presets files (COUNCIL_CONFIG picks one; mount your own over them).
COPY --from=build /app/config/presets*.json config/
USER node

# ---------------------------------------------------------------------------------------------
# worker: listens on every interface of its container; it refuses to start there without
# WORKER_TOKEN. OLLAMA_URL names the Ollama it fronts (compose: http://ollama:11434). Its health
# check (compose.yaml) is deploy/worker-health.mjs: GET /health answers.
FROM runtime AS worker
ENV WORKER_HOST=0.0.0.0
EXPOSE 8001
COPY --from=build /app/deploy/worker-health.mjs deploy/
# The flag keeps V8's scavenge pauses near a millisecond (see README, "The worker").
CMD ["node", "--max-semi-space-size=2", "dist/worker.mjs"]

# ---------------------------------------------------------------------------------------------
# bot: the council database lives on a volume at /data. Discord's and Slack's HTTP modes listen
# on every interface of the container (publish their port behind your HTTPS proxy). Its health
# check (compose.yaml) is deploy/bot-health.mjs: the database opens and takes a write lock.
FROM runtime AS bot
USER root
RUN mkdir /data && chown node:node /data
USER node
COPY --from=build /app/deploy/bot-health.mjs deploy/
ENV COUNCIL_DB=/data/council.db DISCORD_HTTP_HOST=0.0.0.0 SLACK_HTTP_HOST=0.0.0.0
CMD ["node", "--max-semi-space-size=2", "--optimize-for-size", "dist/bot.mjs"]
