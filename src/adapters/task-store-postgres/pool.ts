/** A pg Pool whose bigint columns (Unix ms, credits) arrive as numbers: all fit in 2^53. */
import pg from 'pg';

const INT8 = 20;

const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, types, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000 });
  // An idle client whose server went away must not crash the process: the next query reconnects.
  pool.on('error', () => {});
  return pool;
}
