/** A configuration problem found at boot: every issue at once (in its own file, so a CLI can recognise it without loading the schema and zod). */
export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid configuration:\n  - ${issues.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}
