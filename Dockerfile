# elfstream worker image: `docker build -t elfstream .`, then `docker run elfstream worker` (the default) or any
# other command (`setup`, `start`, `status`, `sim`, ...). Configuration: mount a file and set ELFSTREAM_CONFIG.
#
# glibc base (Debian bookworm): the Temporal SDK's native core ships prebuilt for glibc; Alpine (musl) is not
# supported by it.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: compile TypeScript and prebuild the workflow bundle -------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The simulator workspace: its types are read by the CLI's `dev`/`sim`; it never reaches the production stage.
COPY packages ./packages
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
# tsc to lib/, then lib/workflow-bundle.js, so workers start without bundling (same @temporalio/worker version as
# the one that runs it: both come from the lockfile).
RUN npm run build

# ---- simulator: the Salesforce simulator on its own, for the compose demo (`--target simulator`) -----------------
FROM ${NODE_IMAGE} AS simulator
WORKDIR /app
COPY packages/salesforce-simulator ./
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force
USER node
EXPOSE 8787
ENTRYPOINT ["node", "bin/salesforce-simulator.js"]

# ---- production: runtime dependencies and the compiled code only (no simulator: packages/ is not copied, so the
# workspace is not installed) -------------------------------------------------
FROM ${NODE_IMAGE} AS production
ENV NODE_ENV=production \
    # Leaves headroom below a 1 GiB container limit: ingestion streams files, it never holds one in memory.
    NODE_OPTIONS=--max-old-space-size=768 \
    ELFSTREAM_CONFIG=/etc/elfstream/elfstream.yaml
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/lib ./lib
COPY bin ./bin
# The image runs as the unprivileged `node` user of the base image; events written by the file sink go to
# /data (mount a volume there and point output.dir at it).
RUN mkdir -p /data /etc/elfstream && chown node:node /data
USER node
VOLUME ["/data"]
# Prometheus metrics, when metrics.port is set to 9464 in the configuration.
EXPOSE 9464
# Node handles SIGINT/SIGTERM itself (the worker drains on them), also as PID 1; run with `--init` (compose:
# `init: true`) to have zombie processes reaped as well.
ENTRYPOINT ["node", "bin/elfstream.js"]
CMD ["worker"]
