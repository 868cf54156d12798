import { pathToFileURL } from 'node:url';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Runs `run` when `moduleUrl` is the file node was started with, not when it is imported (tests import the
 * entries). An expected error (a bad configuration, say) ends the program with its message alone and exit code 1;
 * anything else is left to crash it with its stack trace.
 */
export function runAsProgram(moduleUrl: string, run: () => Promise<void>, expected: ErrorClass[]): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  run().catch((error: unknown) => {
    if (!expected.some((E) => error instanceof E)) throw error;
    console.error((error as Error).message);
    process.exit(1);
  });
}
