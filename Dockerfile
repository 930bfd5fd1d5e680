# docr in one image. The default command is embedded mode, the whole service in one process:
#   docker build -t docr . && docker run -p 8080:8080 -v docr-data:/data docr
#   docker exec <container> docr keys create --credits 100
# The same image runs every process of scaled mode (deploy/compose.yaml): `serve --workers 0`,
# `worker`, `migrate`, `keys ...` with DOCR_MODE=scaled and the DOCR_DATABASE_URL,
# DOCR_REDIS_URL, DOCR_S3_* settings (README "Scaling").
FROM node:20-bookworm-slim

WORKDIR /app
# scripts/setup.sh is the one list of what docr needs: Debian packages (Tesseract, LibreOffice,
# fonts, qpdf, poppler) and the npm packages of package-lock.json.
COPY package.json package-lock.json ./
COPY scripts/setup.sh scripts/setup.sh
RUN bash scripts/setup.sh && rm -rf /var/lib/apt/lists/* /root/.npm

COPY bin bin
COPY src src
COPY sdk/src sdk/src
COPY tsconfig.json ./
COPY scripts/build.mjs scripts/build-state.mjs scripts/
# The sources compiled to JavaScript (dist/): docr starts without tsx.
RUN node scripts/build.mjs
RUN ln -s /app/bin/docr /usr/local/bin/docr && mkdir -p /data && chown node:node /data

USER node
ENV DOCR_DATA_DIR=/data DOCR_HOST=0.0.0.0 DOCR_PORT=8080 OMP_THREAD_LIMIT=1
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s CMD node -e "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
ENTRYPOINT ["docr"]
CMD ["serve"]
