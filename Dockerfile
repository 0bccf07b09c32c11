# syntax=docker/dockerfile:1
# Navet: compiled with TypeScript in a build stage, run as plain JavaScript on Node 24 with
# production dependencies only. scripts/prod-check.sh runs these same steps without Docker
# (CI runs it on every change): keep the two in line.
#
#   docker build -t navet .
#   docker run -p 3000:3000 -v navet-data:/data navet          (embedded database in /data)
#   docker run -p 3000:3000 -e DATABASE_URL=postgres://… navet  (PostgreSQL)
#   compose.yaml runs it with PostgreSQL.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts ./scripts
# Emits dist/src (the server), dist/migrations and dist/scripts (backup, restore).
RUN npm run build

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=dev also leaves out the `node` devDependency (Node 24 for npm scripts on machines with an
# older Node): the image runs on its base image's Node only.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY views ./views
COPY static ./static
# The migrated empty embedded database, unpacked by a first start on an empty /data instead of
# initdb and every migration (src/db/template.ts): a first start in about a second, not ten.
RUN node dist/scripts/build-template.js
# The embedded database lives in /data, owned by the unprivileged `node` user of the base image
# (a named volume mounted there starts with this ownership).
RUN mkdir -p /data && chown node:node /data
ENV HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
USER node
VOLUME /data
EXPOSE 3000
# No curl in the slim image: Node's own fetch asks /healthz (200 when the database answers).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"]
# The server finishes requests in flight (up to 10 s), closes the database and exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/server.js"]
