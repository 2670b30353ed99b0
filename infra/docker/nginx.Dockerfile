# syntax=docker/dockerfile:1.7
# nginx in front of Nexus: TLS, the API and its WebSocket, and the dashboard as static files.
# Build from the repository root: docker build -f infra/docker/nginx.Dockerfile -t nexus-nginx .

FROM node:20.19-bookworm-slim AS web
WORKDIR /app
COPY apps/web ./apps/web
# The dashboard builds to apps/web/dist when it has a build script; until then its index.html is served.
RUN mkdir -p /out && if [ -f apps/web/vite.config.ts ]; then \
      cd apps/web && npm install --no-audit --no-fund && npx vite build --outDir /out; \
    else cp -r apps/web/index.html /out/; fi

FROM nginxinc/nginx-unprivileged:1.27-alpine AS runtime
COPY infra/nginx/nginx.conf /etc/nginx/nginx.conf
COPY --from=web /out /usr/share/nginx/html
USER 101
EXPOSE 8080 8443
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/nginx-health"]
