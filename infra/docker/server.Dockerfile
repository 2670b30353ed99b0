# syntax=docker/dockerfile:1.7
# The Nexus server and engine (`nexus start`, `nexus worker`, `nexus migrate`, `nexus reindex`).
# Sources run through tsx as in development (docs/decisions/0001): the image is npm ci + sources.
# Build from the repository root: docker build -f infra/docker/server.Dockerfile -t nexus-server .

FROM node:26-trixie-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/server/package.json apps/server/
COPY apps/tech5-sim/package.json apps/tech5-sim/
COPY apps/web/package.json apps/web/
COPY packages/schema/package.json packages/schema/
COPY packages/actors/package.json packages/actors/
COPY packages/matching/package.json packages/matching/
RUN npm ci --omit=dev --no-audit --no-fund

# The dashboard (apps/web), built once here and served by the server (docs/decisions/0017).
FROM node:26-trixie-slim AS web
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/server/package.json apps/server/
COPY apps/tech5-sim/package.json apps/tech5-sim/
COPY apps/web/package.json apps/web/
COPY packages/schema/package.json packages/schema/
COPY packages/actors/package.json packages/actors/
COPY packages/matching/package.json packages/matching/
RUN npm ci --no-audit --no-fund
COPY packages/schema ./packages/schema
COPY apps/web ./apps/web
RUN npx vite build apps/web

FROM node:26-trixie-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 NEXUS_DATA_DIR=/var/lib/nexus
RUN groupadd --system --gid 10001 nexus \
 && useradd --system --uid 10001 --gid nexus --home-dir /app --shell /usr/sbin/nologin nexus \
 && mkdir -p /var/lib/nexus && chown nexus:nexus /var/lib/nexus
WORKDIR /app
COPY --from=deps --chown=nexus:nexus /app/node_modules ./node_modules
COPY --chown=nexus:nexus package.json package-lock.json tsconfig.base.json ./
COPY --chown=nexus:nexus packages ./packages
COPY --chown=nexus:nexus apps/server ./apps/server
COPY --chown=nexus:nexus apps/tech5-sim ./apps/tech5-sim
COPY --from=web --chown=nexus:nexus /app/apps/web/dist ./apps/web/dist
USER nexus
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=40s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "apps/server/bin/nexus.mjs"]
CMD ["start"]
