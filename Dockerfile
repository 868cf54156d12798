# syntax=docker/dockerfile:1
# k8s-advisor: production dependencies and the bundle are built in their own stages; the app runs as a
# non-root user in the last one.
#   docker build -t k8s-advisor:0.1.0 .

# Node.js 24 (LTS), Debian 12 slim, pinned by digest so every build starts from the same bytes. This digest
# is the official image's multi-platform index for node:24-bookworm-slim as built on 2026-07-30 (Node.js
# 24.18.1), as recorded by docker-library/repo-info (repos/node/remote/24-bookworm-slim.md), checked
# 2026-12-03. Why 24.18.1 and not a later 24.x: from 24.19.0 on (24.21.0 included), Node's node::ObjectWrap
# header registers environment cleanup hooks, and better-sqlite3 12 compiled against it aborts the process
# (hooks.cc:142, "(env) != nullptr") when a statement is garbage-collected outside a JavaScript context; the
# deps stage below refuses such a build. better-sqlite3 13 (Node-API) has no such problem but needs Node 22+.
# To update: docker buildx imagetools inspect node:24-bookworm-slim, replace the digest here and
# NODE24_VERSION in .ci/run (CI tests that release, with the same guard).
ARG NODE_IMAGE=node:24-bookworm-slim@sha256:235600a8101ab264e117b1768e925532262668dc9b581ef1dd7d96ced463b8e7

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# better-sqlite3 is compiled here; the toolchain stays in this stage.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Exactly the locked production dependencies. Install scripts run: better-sqlite3 is compiled from source
# against this image's own headers (/usr/local/include/node), never a downloaded binary built with other ones.
# The check refuses an addon built with the ObjectWrap cleanup hooks described above.
RUN npm_config_build_from_source=true npm_config_nodedir=/usr/local npm ci --omit=dev --no-audit --no-fund \
  && npm cache clean --force \
  && if grep -q RemoveEnvironmentCleanupHook node_modules/better-sqlite3/build/Release/better_sqlite3.node; then \
    echo "better-sqlite3 was built with ObjectWrap cleanup hooks (Node 24.19+ headers); see the Dockerfile" >&2; \
    exit 1; \
  fi

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Only esbuild is needed to bundle; its binary comes from its platform package, so no install scripts run.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY scripts/build.mjs ./scripts/
COPY src ./src
RUN node scripts/build.mjs dist

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    METRICS_PORT=9090
# A user of the app's own, with ids at or above 10000 so they never match a user on the node.
RUN groupadd --gid 10001 k8s-advisor \
  && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin k8s-advisor
WORKDIR /app
# Everything is copied as root and stays read-only to the app's user.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY conversations ./conversations
# OAuth mode reads the bot scopes it asks Slack for from the app manifest, their one list.
COPY manifest.yml ./
# Numeric, so Kubernetes can verify runAsNonRoot; the same ids as the pod's securityContext.
USER 10001:10001
# 3000: Slack (/slack/events) and the probes. 9090: /metrics and the probes, for Prometheus only.
EXPOSE 3000 9090
# Node runs the bundle itself: no npm (and no prestart build or dependency check) at run time.
# It handles SIGTERM with a graceful shutdown.
CMD ["node", "--enable-source-maps", "dist/main.js"]
