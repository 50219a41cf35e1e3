# syntax=docker/dockerfile:1
# ica-orchestrator: `docker build -t ica-orchestrator .`, then see the README ("In a container").

# Node 24, the Active LTS line until October 2026 and maintained until April 2028, pinned to a minor
# version so a rebuild does not change Node under the tool; .ci/run tests on this major too.
# Build stage: full dev install, compile TypeScript.
FROM node:24.21-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json

# Runtime stage: production dependencies only, non-root, state in a volume.
FROM node:24.21-bookworm-slim AS runtime
# tini as PID 1: signals reach the tool as they would from a shell, and nothing is left a zombie.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/*
# Secrets are read from /run/secrets (docker/compose secrets, Kubernetes secret volumes): the API key file,
# and the bs config, which is optional (no file there: BaseSpace is left alone). `watch --metrics_port`
# listens on every interface of the container, so a published port reaches it.
ENV NODE_ENV=production \
    ICA_API_KEY_FILE=/run/secrets/ica_api_key \
    ICA_ORCHESTRATOR_BASESPACE_CONFIG=/run/secrets/basespace.cfg \
    ICA_ORCHESTRATOR_STATE_DIR=/var/lib/ica-orchestrator \
    ICA_ORCHESTRATOR_METRICS_HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
COPY README.md analyses_managed_table.example.txt ./
COPY examples ./examples
RUN chmod 755 /app/dist/src/cli/main.js \
    && ln -s /app/dist/src/cli/main.js /usr/local/bin/ica-orchestrator \
    && groupadd --system --gid 10001 orchestrator \
    && useradd --system --uid 10001 --gid orchestrator --home-dir /var/lib/ica-orchestrator orchestrator \
    && mkdir -p /var/lib/ica-orchestrator && chown orchestrator:orchestrator /var/lib/ica-orchestrator
USER 10001:10001
VOLUME ["/var/lib/ica-orchestrator"]
# Healthy while cycles succeed: `health` reads the recent cycle reports in the state volume. A first
# cycle on a large account can take a while, hence the start period.
HEALTHCHECK --interval=5m --timeout=30s --start-period=1h --retries=1 CMD ["ica-orchestrator", "health", "--max_age_minutes", "60"]
# `docker stop` sends SIGTERM: the current step finishes, the lock is released, exit 0. Give it the time a
# step may need (docker stop -t 900, or docker run --stop-timeout 900), not docker's default 10 s.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--", "ica-orchestrator"]
CMD ["watch"]
