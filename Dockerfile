# syntax=docker/dockerfile:1
# k8s-advisor: dependencies are built in one stage, the app runs as a non-root user in another.
#   docker build -t k8s-advisor:0.1.0 .
# The app runs TypeScript directly with tsx (a production dependency), so there is no compile step.
# For reproducible builds, pin the base image by digest (node:20-bookworm-slim@sha256:…).

FROM node:20-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary fits; the toolchain stays in this stage.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Exactly the locked production dependencies. Install scripts run (better-sqlite3, esbuild for tsx).
RUN npm ci --omit=dev --no-audit --no-fund \
  && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
# Everything is copied as root and stays read-only to the app's user.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY conversations ./conversations
# The image's "node" user, numeric so Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 3000
# Node runs the app itself: no npm (and no prestart dependency check) at run time.
# It handles SIGTERM with a graceful shutdown. tsx caches compiled files under $TMPDIR (/tmp).
CMD ["node", "--import", "tsx", "src/main.ts"]
