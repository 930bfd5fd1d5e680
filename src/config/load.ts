/**
 * loadConfig(env, argv) → a frozen, validated DocrConfig. Flags (`--data-dir x`,
 * `--data-dir=x`) win over environment variables (`DOCR_DATA_DIR=x`), which win over the
 * schema's defaults. Every problem, per field and across fields, is reported at once.
 */
import { BOOLEAN_FIELDS, CONFIG_FIELDS, configSchema, crossFieldIssues, envOf, flagOf, settingName, type DocrConfig } from './schema.js';

import { ConfigError } from './errors.js';

export { ConfigError, envOf, flagOf };

/** Parses `--name value`, `--name=value` and bare boolean flags into raw field values. */
export function parseFlags(argv: readonly string[]): { values: Record<string, string>; issues: string[] } {
  const byFlag = new Map(CONFIG_FIELDS.map((f) => [flagOf(f).slice(2), f as string]));
  const values: Record<string, string> = {};
  const issues: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) { issues.push(`unexpected argument "${arg}"`); continue; }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const field = byFlag.get(name);
    if (!field) { issues.push(`unknown option --${name}`); continue; }
    if (eq >= 0) values[field] = arg.slice(eq + 1);
    else if (BOOLEAN_FIELDS.has(field)) values[field] = 'true';
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) values[field] = argv[++i];
    else issues.push(`option --${name} needs a value`);
  }
  return { values, issues };
}

export function loadConfig(env: Readonly<Record<string, string | undefined>>, argv: readonly string[] = []): DocrConfig {
  const raw: Record<string, string> = {};
  for (const field of CONFIG_FIELDS) {
    const v = env[envOf(field)];
    if (v !== undefined && v !== '') raw[field] = v;
  }
  const flags = parseFlags(argv);
  Object.assign(raw, flags.values);

  const parsed = configSchema.safeParse(raw);
  const issues = [...flags.issues];
  if (!parsed.success) {
    const bad = new Set<string>();
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '');
      bad.add(field);
      issues.push(field ? `${settingName(field)}: ${issue.message}` : issue.message);
    }
    // Cross-field rules still run over the fields that were valid, so that one boot shows every problem.
    const rest = configSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([k]) => !bad.has(k))));
    if (rest.success) issues.push(...crossFieldIssues(rest.data));
  } else {
    issues.push(...crossFieldIssues(parsed.data));
  }
  if (issues.length > 0 || !parsed.success) throw new ConfigError(issues);

  const c = parsed.data;
  return Object.freeze({ ...c, syncWaitSeconds: c.syncWait ?? c.processingTimeout });
}

/** Rows for the README's configuration table and `docr serve --help`. */
export function describeConfig(): { field: string; flag: string; env: string; default: string; help: string }[] {
  const defaults = configSchema.parse({}) as Record<string, unknown>;
  return CONFIG_FIELDS.map((field) => ({
    field,
    flag: flagOf(field),
    env: envOf(field),
    default: defaults[field] === undefined ? '' : String(defaults[field]),
    help: (configSchema.shape[field] as { description?: string }).description ?? '',
  }));
}
