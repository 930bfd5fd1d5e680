/**
 * `docr doctor [--json] [config options]`: checks every dependency docr needs and says how
 * to fix what is missing. Exit 0 when nothing fails (warnings allowed), 1 otherwise.
 */
import { loadConfig } from '../config/index.js';
import { takeOption } from './args.js';
import { runChecks, type CheckResult } from './doctor/checks.js';

const MARK: Record<CheckResult['verdict'], string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };

export async function runDoctorCommand(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void = console.log): Promise<number> {
  const args = [...argv];
  const json = takeOption(args, 'json', { boolean: true }) === 'true';
  const config = loadConfig(env, args);
  const results = await runChecks({ dataDir: config.dataDir, env });
  const failed = results.filter((r) => r.verdict === 'fail').length;
  if (json) out(JSON.stringify({ ok: failed === 0, checks: results }));
  else {
    for (const r of results) {
      out(`${MARK[r.verdict]}  ${r.name}: ${r.detail}`);
      if (r.fix) out(`      fix: ${r.fix}`);
    }
    const warned = results.filter((r) => r.verdict === 'warn').length;
    out(failed === 0 ? `\ndocr can run here${warned ? ` (${warned} warning${warned > 1 ? 's' : ''})` : ''}.` : `\n${failed} problem${failed > 1 ? 's' : ''} to fix before docr can run here.`);
  }
  return failed === 0 ? 0 : 1;
}
