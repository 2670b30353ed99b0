# syntax=docker/dockerfile:1.7
# The Tech5 stand-in (T5-LDS liveness, T5-ABIS 1:N) on its own.
# Build from the repository root: docker build -f infra/docker/tech5-sim.Dockerfile -t nexus-tech5-sim .

FROM node:26-trixie-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/server/package.json apps/server/
COPY apps/tech5-sim/package.json apps/tech5-sim/
COPY apps/web/package.json apps/web/
COPY packages/schema/package.json packages/schema/
COPY packages/actors/package.json packages/actors/
COPY packages/matching/package.json packages/matching/
RUN npm ci --omit=dev --no-audit --no-fund --workspace @nexus/tech5-sim --include-workspace-root=false

FROM node:26-trixie-slim AS runtime
ENV NODE_ENV=production
RUN groupadd --system --gid 10001 nexus \
 && useradd --system --uid 10001 --gid nexus --home-dir /app --shell /usr/sbin/nologin nexus
WORKDIR /app
COPY --from=deps --chown=nexus:nexus /app/node_modules ./node_modules
COPY --chown=nexus:nexus package.json tsconfig.base.json ./
COPY --chown=nexus:nexus packages/schema ./packages/schema
COPY --chown=nexus:nexus apps/tech5-sim ./apps/tech5-sim
USER nexus
EXPOSE 7005
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "require('node:net').connect(7005,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"]
ENTRYPOINT ["node", "apps/tech5-sim/bin/tech5-sim.mjs"]
CMD ["--host", "0.0.0.0", "--port", "7005"]
