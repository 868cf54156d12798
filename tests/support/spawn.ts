import { type ChildProcess, spawn } from 'node:child_process';
import { built } from './built.js';

export interface AppProcess {
  child: ChildProcess;
  port: number;
  url: string;
  exited: Promise<number | null>;
  output: () => string;
}

/**
 * Starts the built app as its own process, the way `npm start` does, and resolves once it listens (read from its
 * info-level "listening" log line, so LOG_LEVEL must stay at info or below).
 */
export function spawnApp(env: Record<string, string>): Promise<AppProcess> {
  const child = spawn(process.execPath, built('main'), {
    // Ports chosen by the system: several apps run at once, and metrics default to a fixed 9090.
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'info',
      PORT: '0',
      METRICS_PORT: '0',
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk;
      const port = /"port":(\d+)/.exec(out)?.[1];
      if (port) {
        const p = Number(port);
        resolve({ child, port: p, url: `http://127.0.0.1:${p}/slack/events`, exited, output: () => out });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk) => {
      out += chunk;
    });
    void exited.then((code) => reject(new Error(`app exited with ${code} before listening:\n${out}`)));
  });
}
