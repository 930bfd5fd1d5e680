/**
 * `node --import tsx bench/scaled-breakdown.ts [--tasks=N] [--timeline]`: where scaled mode's
 * per-task overhead goes (bench/lib/scaled-trace.ts), printed as markdown. The same breakdown
 * is part of `npm run bench -- --only=scaled`.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { breakdownMarkdown, runBreakdown } from './lib/scaled-breakdown.js';

const { values } = parseArgs({ options: { tasks: { type: 'string', default: '15' }, timeline: { type: 'boolean', default: false } } });
const result = await runBreakdown({ tasks: Number(values.tasks), log: (m) => process.stderr.write(`${m}\n`) });
process.stdout.write(`${breakdownMarkdown(result, { timeline: values.timeline })}\n`);
if (process.env.BREAKDOWN_JSON) fs.writeFileSync(process.env.BREAKDOWN_JSON, JSON.stringify(result, null, 2));
process.exit(0);
