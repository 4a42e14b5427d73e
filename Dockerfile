# syntax=docker/dockerfile:1
# Build: native modules (SQLCipher, argon2) compile here, so the runtime image needs no toolchain.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY mad-cli ./mad-cli
COPY common ./common
COPY dashboard ./dashboard
COPY bindings/typescript ./bindings/typescript
RUN npm install --no-audit --no-fund && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    MAD_DB_FILE=/data/mad.db3 \
    MAD_AUTH_IP=0.0.0.0 \
    MAD_ADMIN_IP=0.0.0.0 \
    MAD_NO_PROMPT=true
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY public ./public
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 9040 9041
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD node -e "fetch('http://127.0.0.1:9040/ping').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
