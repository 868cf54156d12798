# syntax=docker/dockerfile:1
# k8s-advisor: production dependencies and the bundle are built in their own stages; the app runs as a
# non-root user in the last one.
#   docker build -t k8s-advisor:0.1.0 .

# Node.js 24 (LTS), Debian 12 slim, pinned by digest so every build starts from the same bytes. This digest
# is the official image's multi-platform index for node:24-bookworm-slim as built on 2026-08-25 (Node.js
# 24.19.0), as recorded by docker-library/repo-info (repos/node/remote/24-bookworm-slim.md), checked
# 2026-12-03. To update: docker buildx imagetools inspect node:24-bookworm-slim, then replace the digest here
# and NODE24_VERSION in .ci/run, which tests the same Node.js version.
ARG NODE_IMAGE=node:24-bookworm-slim@sha256:a9f5f7c91a432850b2a8a7797adf5eadb6c733ceed61167806cee7ea7fbc29df

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary fits; the toolchain stays in this stage.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Exactly the locked production dependencies. Install scripts run (better-sqlite3).
RUN npm ci --omit=dev --no-audit --no-fund \
  && npm cache clean --force

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
# Numeric, so Kubernetes can verify runAsNonRoot; the same ids as the pod's securityContext.
USER 10001:10001
# 3000: Slack (/slack/events) and the probes. 9090: /metrics and the probes, for Prometheus only.
EXPOSE 3000 9090
# Node runs the bundle itself: no npm (and no prestart build or dependency check) at run time.
# It handles SIGTERM with a graceful shutdown.
CMD ["node", "--enable-source-maps", "dist/main.js"]
