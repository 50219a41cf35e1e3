# syntax=docker/dockerfile:1
# ica-orchestrator: `docker build -t ica-orchestrator .`, then see the README ("In a container").

# Build stage: full dev install, compile TypeScript.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json

# Runtime stage: production dependencies only, non-root, state in a volume.
FROM node:20-bookworm-slim AS runtime
# Secrets are read from /run/secrets (docker/compose secrets, Kubernetes secret volumes): the API key file,
# and the bs config, which is optional (no file there: BaseSpace is left alone).
ENV NODE_ENV=production \
    ICA_API_KEY_FILE=/run/secrets/ica_api_key \
    ICA_ORCHESTRATOR_BASESPACE_CONFIG=/run/secrets/basespace.cfg \
    ICA_ORCHESTRATOR_STATE_DIR=/var/lib/ica-orchestrator
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
COPY README.md analyses_managed_table.example.txt ./
RUN chmod 755 /app/dist/src/cli/main.js \
    && ln -s /app/dist/src/cli/main.js /usr/local/bin/ica-orchestrator \
    && groupadd --system --gid 10001 orchestrator \
    && useradd --system --uid 10001 --gid orchestrator --home-dir /var/lib/ica-orchestrator orchestrator \
    && mkdir -p /var/lib/ica-orchestrator && chown orchestrator:orchestrator /var/lib/ica-orchestrator
USER 10001:10001
VOLUME ["/var/lib/ica-orchestrator"]
# `docker stop` sends SIGTERM: the current step finishes, the lock is released, exit 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["ica-orchestrator"]
CMD ["watch"]
