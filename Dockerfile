# passenger-api image: build with dev dependencies, run with production ones only.
# Node 24 is the active LTS line (supported into 2028); Node 20, the line this
# service was first written on, reached end of life in April 2026 and gets no
# security fixes. The suite runs on 20, 22 and 24 (.ci/run, the workflow's
# matrix); the image ships the newest. The base is pinned by version; the next
# hardening step is pinning it by digest (node:24.22.3-bookworm-slim@sha256:…),
# which needs a registry this repository could not reach when it was written.
# No `# syntax=` line: the Dockerfile uses nothing beyond the built-in frontend,
# and that line makes BuildKit pull a frontend image (it builds with the legacy
# builder too: npm run test:container).
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Only the manifests before `npm ci`, so a source change (the client's too)
# reuses the installed layer. The client workspace's package.json is there
# because the lockfile names it; its code is neither built nor shipped.
COPY package.json package-lock.json ./
COPY packages/client/package.json ./packages/client/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY generated ./generated
COPY src ./src
# The service alone, without source maps or build info (nothing in the image reads them).
RUN node_modules/.bin/tsc -p tsconfig.build.json --sourceMap false && rm dist/.tsbuildinfo

FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/client/package.json ./packages/client/
# --ignore-scripts: no runtime dependency needs an install script, and none may
# run one. Then what never runs goes: the client workspace and its
# dependencies, type declarations, source maps, docs, tests and examples, and
# PGlite's optional extensions (the service loads none).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && rm -rf node_modules/@passenger-api node_modules/openapi-fetch node_modules/openapi-typescript-helpers \
        node_modules/@electric-sql/pglite/dist/*.tar.gz \
    && find node_modules -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \
        -o -iname '*.md' -o -iname '*.markdown' -o -name '*.tsbuildinfo' \) -delete \
    && find node_modules -depth -type d \( -name test -o -name tests -o -name __tests__ -o -name example \
        -o -name examples -o -name docs -o -name .github \) -exec rm -rf {} + \
    && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
# A 4 MB young generation (V8's default is 16 MB): the 887-row list under
# 16 connections peaked at ~160 MB RSS instead of ~200 MB, same CPU and req/s
# (npm run bench, see docs/performance.md).
ENV NODE_ENV=production \
    PORT=8080 \
    NODE_OPTIONS=--max-semi-space-size=4
WORKDIR /app
# Nothing at run time needs npm, npx, yarn or corepack: they go. The embedded
# database's directory (PGLITE_DATA_DIR's default, .data/pglite) is a volume
# owned by the service user, so `docker run -p 8080:8080 IMAGE` keeps its data
# in a volume (a named one survives the container) without any setting.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /opt/yarn-* \
        /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg \
    && mkdir -p /app/.data && chown 1000:1000 /app/.data
# Files stay owned by root and read-only to the service user, so the image
# also runs with a read-only root filesystem.
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY openapi ./openapi
COPY package.json ./package.json
VOLUME /app/.data
# Numeric uid:gid (the base image's "node" user) so Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 8080
# node itself is PID 1 (no npm or shell wrapper), so SIGTERM reaches the
# service's own signal handling (src/stop-signals.ts), from its first moment.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
