# Paperscope: the service, compiled to JavaScript, with the sample corpus indexed at build time.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# node-gyp builds hnswlib-node from source.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# The dev dependencies hold the TypeScript compiler; they are pruned once dist/ is built.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs ./scripts/
COPY src ./src
COPY indexer ./indexer
COPY assets ./assets
COPY data/hf-daily-papers.txt data/arxiv-metadata-first2000.jsonl ./data/
RUN npm run build && node dist/indexer/cli.js --out /app/data/index && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 INDEX_DIR=/app/data/index
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/assets ./assets
# The TypeScript sources stay for the commands docker-compose.yml runs through tsx (workers, committer, builder); the default command needs only dist/.
COPY --from=build /app/tsconfig.json ./
COPY --from=build /app/src ./src
COPY --from=build /app/indexer ./indexer
# The server writes its lease (INDEX_DIR/leases) and a later index run writes builds: the folder is the node user's.
COPY --from=build --chown=node:node /app/data ./data
EXPOSE 3000
USER node
# node itself is PID 1, so `docker stop`'s SIGTERM reaches the server's handler: it drains within SHUTDOWN_GRACE_MS (8 s, under Docker's 10 s).
CMD ["node", "--enable-source-maps", "dist/src/server.js"]
