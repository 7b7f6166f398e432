# The Kids' Club server (API + Socket.IO + the built kiosk and staff UIs) for docker-compose.yml.
# Configure with DATABASE_URL, APP_SECRET (the same on every instance: it signs pickup passes),
# SOCKET_ADAPTER=postgres when several instances share a database, DEMO_SEED, PUBLIC_URL,
# TRUST_PROXY behind a proxy, TWILIO_* for real SMS. See server/src/config.ts.

# 1. build: every dependency (vite, react and the type tools are dev dependencies), the UIs built
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:ui

# 2. run: production dependencies only, the built UIs copied in, no build tools
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY contracts ./contracts
COPY migrations ./migrations
COPY server ./server
COPY tsconfig.json ./
COPY --from=build /app/kiosk-ui/dist ./kiosk-ui/dist
COPY --from=build /app/staff-ui/dist ./staff-ui/dist
RUN mkdir -p .data && chown -R node:node .data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["npm", "start"]
