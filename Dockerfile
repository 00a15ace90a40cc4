# syntax=docker/dockerfile:1
# One image for every bousai process; docker-compose.yml picks the entry point per service:
#   node dist/apps/api/apps/api/src/main.js        (HTTP API, :3000)
#   node dist/apps/ingest/apps/ingest/src/main.js  (feed ingest, :3001)
#   node --max-old-space-size=256 dist/apps/fanout/apps/fanout/src/main.js  (delivery workers, :3002)
#   node dist/apps/cli/apps/cli/src/main.js <cmd>  (migrate, seed:demo, operator:create, …)

FROM node:24-slim AS build
WORKDIR /app
# dependencies first, so source edits reuse this layer
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:24-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
USER node
EXPOSE 3000 3001 3002
CMD ["node", "dist/apps/api/apps/api/src/main.js"]
