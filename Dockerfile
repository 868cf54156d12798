# syntax=docker/dockerfile:1
# k8s-advisor: production dependencies and the bundle are built in their own stages; the app runs as a
# non-root user in the last one.
#   docker build -t k8s-advisor:0.1.0 .
# For reproducible builds, pin the base image by digest (node:20-bookworm-slim@sha256:…).

FROM node:20-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary fits; the toolchain stays in this stage.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Exactly the locked production dependencies. Install scripts run (better-sqlite3).
RUN npm ci --omit=dev --no-audit --no-fund \
  && npm cache clean --force

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Only esbuild is needed to bundle; its binary comes from its platform package, so no install scripts run.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY scripts/build.mjs ./scripts/
COPY src ./src
RUN node scripts/build.mjs dist

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
# Everything is copied as root and stays read-only to the app's user.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY conversations ./conversations
# The image's "node" user, numeric so Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 3000
# Node runs the bundle itself: no npm (and no prestart build or dependency check) at run time.
# It handles SIGTERM with a graceful shutdown.
CMD ["node", "--enable-source-maps", "dist/main.js"]
