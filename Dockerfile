# syntax=docker/dockerfile:1
# Build stage: compiles better-sqlite3 and argon2 from source, builds shared, server and web.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY web/package.json web/
COPY e2e/package.json e2e/
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json ./
COPY shared shared
COPY server server
COPY web web
COPY bin bin
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# Production stage: runtime files only, unprivileged user, data on a volume.
FROM node:20-bookworm-slim AS production
ENV NODE_ENV=production \
    CERTDESK_DATA_DIR=/data \
    CERTDESK_HOST=0.0.0.0 \
    CERTDESK_HTTP_PORT=8080 \
    CERTDESK_HTTPS_PORT=8443
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/shared/package.json shared/package.json
COPY --from=build /app/shared/dist shared/dist
COPY --from=build /app/server/package.json server/package.json
COPY --from=build /app/server/dist server/dist
COPY --from=build /app/web/dist web/dist
COPY --from=build /app/bin bin
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080 8443
HEALTHCHECK --interval=30s --timeout=5s \
  CMD node -e "fetch('http://127.0.0.1:8080/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "server/dist/server.js"]
