/** `docr migrate`: applies pending PostgreSQL migrations (scaled mode), once, whichever node runs it. */
import { migrateDatabase } from '../composition/kits/index.js';
import { loadConfig } from '../config/index.js';

export async function runMigrateCommand(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void = console.log): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out('usage: docr migrate   (scaled mode: applies pending migrations to DOCR_DATABASE_URL)');
    return 0;
  }
  const applied = await migrateDatabase(loadConfig(env, argv));
  if (applied === undefined) out('embedded mode: the SQLite schema is made when docr opens its data dir; nothing to migrate');
  else if (applied.length === 0) out('the database is up to date');
  else out(`applied migrations ${applied.join(', ')}`);
  return 0;
}
