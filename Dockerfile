# Paperscope: the service with the sample corpus indexed at build time.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# node-gyp builds hnswlib-node from source.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY indexer ./indexer
COPY assets ./assets
COPY data/hf-daily-papers.txt data/arxiv-metadata-first2000.jsonl ./data/
RUN npx tsx indexer/cli.ts --out /app/data/index

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 INDEX_DIR=/app/data/index
COPY --from=build /app /app
EXPOSE 3000
USER node
CMD ["node", "--import", "tsx", "src/server.ts"]
