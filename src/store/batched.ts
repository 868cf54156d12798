/**
 * Gathers the calls made in one turn of the event loop into one database write: `write` gets them all (at most
 * `max` at a time), and each caller's promise settles with that write. A round trip to PostgreSQL, or a SQLite
 * commit, costs more than the rows it carries, so the settlements of items finishing together go as one write.
 */
export function batched<T>(write: (items: T[]) => Promise<void>, max = 128): (item: T) => Promise<void> {
  const waiting: { item: T; resolve: () => void; reject: (error: unknown) => void }[] = [];
  const flush = () => {
    const batch = waiting.splice(0, max);
    if (waiting.length) setImmediate(flush);
    write(batch.map((b) => b.item)).then(
      () => {
        for (const b of batch) b.resolve();
      },
      (error: unknown) => {
        for (const b of batch) b.reject(error);
      },
    );
  };
  return (item) =>
    new Promise<void>((resolve, reject) => {
      if (waiting.push({ item, resolve, reject }) === 1) setImmediate(flush);
    });
}
