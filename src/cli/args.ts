/** Small argv helpers shared by the CLI commands (config flags are parsed by loadConfig). */

/** Takes `--name value` / `--name=value` (or a bare `--name` for booleans) out of argv. */
export function takeOption(argv: string[], name: string, opts: { boolean?: boolean } = {}): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === `--${name}`) {
      if (opts.boolean) { argv.splice(i, 1); return 'true'; }
      const v = argv[i + 1];
      if (v === undefined) throw new UsageError(`option --${name} needs a value`);
      argv.splice(i, 2);
      return v;
    }
    if (a.startsWith(`--${name}=`)) { argv.splice(i, 1); return a.slice(name.length + 3); }
  }
  return undefined;
}

/** Positional arguments are those before the first `--option`. */
export function takePositional(argv: string[]): string | undefined {
  if (argv.length > 0 && !argv[0].startsWith('--')) return argv.shift();
  return undefined;
}

export class UsageError extends Error {
  constructor(message: string) { super(message); this.name = 'UsageError'; }
}

export function numberOption(argv: string[], name: string): number | undefined {
  const v = takeOption(argv, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${v}"`);
  return n;
}
