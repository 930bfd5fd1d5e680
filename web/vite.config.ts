// The page's build: `vite build --config web/vite.config.ts` → web/dist (served at / by docr).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  logLevel: 'warn',
  build: { outDir: here('dist'), emptyOutDir: true, target: 'es2022', assetsDir: 'assets', reportCompressedSize: false },
});
