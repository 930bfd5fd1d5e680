/**
 * `docr serve`: the HTTP API with its workers (embedded: everything in this process). SIGTERM/
 * SIGINT stop intake, let running tasks finish (up to --shutdown-grace, then hand them back)
 * and close cleanly.
 */
import path from 'node:path';
import { describeConfig, loadConfig } from '../config/index.js';
import { startServe } from '../composition/serve.js';
import { repoPath } from '../platform/compiled.js';
import { onStopSignals } from './signals.js';

export const SERVE_USAGE = `usage: docr serve [--port 8080] [--host 0.0.0.0] [--data-dir ./data] [--workers N] [--result-ttl 3600]
                  [--public-url URL] [--allow-private-urls] [other options below]
Every option is also an environment variable:
${describeConfig().map((r) => `  ${r.flag.padEnd(22)} ${r.env.padEnd(26)} ${r.help}${r.default ? ` (default ${r.default})` : ''}`).join('\n')}`;

export async function runServeCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { console.log(SERVE_USAGE); return 0; }
  const config = loadConfig(env, argv);
  const docr = await startServe(config);
  await docr.listen();
  const port = (docr.app.server.address() as { port: number }).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const base = config.publicUrl ?? `http://${host}:${port}`;
  const where = config.mode === 'scaled' ? 'scaled mode' : `data in ${path.resolve(config.dataDir)}`;
  const workers = config.workers === 0 ? 'API only: tasks run on docr worker processes' : `${config.workers} workers`;
  console.error(`docr is serving on http://${host}:${port} (${where}, ${workers})`);
  const bin = path.relative(process.cwd(), repoPath('bin/docr')) || 'bin/docr';
  const keysWhere = config.mode === 'scaled' ? '(same environment)' : `--data-dir ${path.resolve(config.dataDir)}`;
  console.error(`make an API key:  ${bin.startsWith('.') || bin.startsWith('/') ? bin : `./${bin}`} keys create --credits 100 ${keysWhere}`);
  console.error(`then:             curl -H 'X-API-KEY: <key>' -F 'image_file=@scan.png' -F 'format=txt' ${base}/api/tasks/document/ocr`);

  return onStopSignals(config.shutdownGrace, () => docr.close());
}
