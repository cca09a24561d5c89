// Builds the explorer into internal/explorer/dist, which the binary embeds.
// Deterministic for the pinned versions: CI rebuilds and checks that the
// committed files are what the sources give.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '..', 'internal', 'explorer', 'dist');

await build({
  entryPoints: { explorer: join(here, 'src', 'main.js') },
  bundle: true,
  format: 'esm',
  target: 'es2020',
  minify: true,
  legalComments: 'eof',
  outdir: dist,
  logLevel: 'warning',
});
await build({
  entryPoints: { explorer: join(here, 'src', 'explorer.css') },
  bundle: true,
  minify: true,
  outdir: dist,
  logLevel: 'warning',
});
