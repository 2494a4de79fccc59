# syntax=docker/dockerfile:1
# passenger-api image: build with dev dependencies, run with production ones only.
# Node 24 is the active LTS line (supported into 2028); Node 20, the line this
# service was first written on, reached end of life in April 2026 and gets no
# security fixes. The suite runs on 20, 22 and 24 (.ci/run, the workflow's
# matrix); the image ships the newest. The base is pinned by version; the next
# hardening step is pinning it by digest (node:24.22.3-bookworm-slim@sha256:…),
# which needs a registry this repository could not reach when it was written.
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# The client workspace is built with the service (`npm run build`); the image does not ship it.
COPY package.json package-lock.json ./
COPY packages/client ./packages/client
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY generated ./generated
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no runtime dependency needs an install script, and none may run one.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
# A 4 MB young generation (V8's default is 16 MB): a list page's garbage is
# short-lived, so a smaller nursery lowers peak RSS under load without costing
# CPU (measured with npm run bench: bench/results/README.md).
ENV NODE_ENV=production \
    PORT=8080 \
    NODE_OPTIONS=--max-semi-space-size=4
WORKDIR /app
# Files stay owned by root and read-only to the service user, so the image
# also runs with a read-only root filesystem.
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY openapi ./openapi
COPY package.json ./package.json
# Numeric uid:gid (the base image's "node" user) so Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 8080
# node itself is PID 1 (no npm or shell wrapper), so SIGTERM reaches the
# service's own graceful shutdown.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
