# syntax=docker/dockerfile:1.7
# nginx in front of Nexus: TLS, the API and its WebSocket, and the dashboard as static files.
# Build from the repository root: docker build -f infra/docker/nginx.Dockerfile -t nexus-nginx .

FROM node:26-trixie-slim AS web
WORKDIR /app
# The workspace's manifests: apps/web imports @nexus/schema (a workspace package, not on the registry).
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
RUN npx vite build apps/web --outDir /out

FROM nginxinc/nginx-unprivileged:1.27-alpine AS runtime
COPY infra/nginx/nginx.conf /etc/nginx/nginx.conf
COPY --from=web /out /usr/share/nginx/html
USER 101
EXPOSE 8080 8443
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/nginx-health"]
