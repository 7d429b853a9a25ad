# syntax=docker/dockerfile:1
# Build stage: compilers and dev dependencies live only here.
FROM node:22-slim AS build
# Toolchain for the optional native addon (node-vad, VAD_ENGINE=node-vad); not in the runtime image.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# Runtime stage: no build tools, non-root user.
FROM node:22-slim
ENV NODE_ENV=production PORT=5000
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json example_ncco.json ./
USER node
EXPOSE 5000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||5000)+'/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# SIGTERM drains calls (DRAIN_TIMEOUT_MS) and exits 0; give the container at least that long to stop.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
