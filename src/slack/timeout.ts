/**
 * A lookup a listener makes before its commit, bounded: Slack wants the answer within 3 seconds, so a Web API
 * read that takes longer fails the request rather than the acknowledgement arriving too late.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
