# syntax=docker/dockerfile:1
# Three stages: TypeScript runs only in `build`; the image gets the compiled dist/, the
# production dependencies (`npm ci --omit=dev`: no TypeScript, tsx or esbuild) and the static
# files the server reads at run time (docs/operations.md, "Docker image").

# Build: compile src/ to dist/ (with the emulator's bot JSON).
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Production dependencies only, with the toolchain for the optional native addon node-vad
# (VAD_ENGINE=node-vad); the toolchain stays in this stage.
FROM node:22-slim AS deps
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# Runtime: no build tools, no TypeScript tooling, non-root user.
FROM node:22-slim
ENV NODE_ENV=production PORT=5000
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# Read at run time: the /answer template and the browser client served at /phone.
COPY --chown=node:node package.json example_ncco.json ./
COPY --chown=node:node public ./public
USER node
EXPOSE 5000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||5000)+'/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# One connector process per container (WORKERS=1): scale containers. For one container per
# multi-core host set WORKERS=auto, or a number when the container has a CPU quota (auto counts
# the host's CPUs, not the quota); docs/operations.md, "Workers or pods".
ENV WORKERS=1
# SIGTERM drains calls (DRAIN_TIMEOUT_MS) and exits 0; give the container at least that long to stop.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
