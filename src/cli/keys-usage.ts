/** `docr keys`'s usage, apart from the command so that `docr --help` loads no database code. */
export const KEYS_USAGE = `usage:
  docr keys create [--credits N] [--qps Q] [--name S] [--data-dir D] [--json]
  docr keys list [--data-dir D] [--json]
  docr keys disable|enable <id-or-name> [--data-dir D]
  docr keys credits <id-or-name> [--add N | --set N] [--data-dir D] [--json]`;
