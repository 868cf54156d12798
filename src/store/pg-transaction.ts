import type pg from 'pg';

/** One transaction on one pooled connection, opened with `begin`; rolled back when `work` throws. */
export async function within<T>(
  pool: pg.Pool,
  work: (c: pg.PoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  const c = await pool.connect();
  let broken: Error | undefined;
  try {
    await c.query(begin);
    const result = await work(c);
    await c.query('COMMIT');
    return result;
  } catch (error) {
    await c.query('ROLLBACK').catch((e: Error) => {
      broken = e;
    });
    throw error;
  } finally {
    // A connection that could not roll back is discarded rather than handed to the next caller.
    c.release(broken);
  }
}
