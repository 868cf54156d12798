// Resident memory of another process, read from /proc/<pid>/status (VmRSS) on a timer: it costs that process
// nothing and keeps sampling while its event loop is too busy to answer the bench over IPC.

import { readFileSync } from 'node:fs';

export interface RssSample {
  /** performance.now() in the bench process. */
  at: number;
  bytes: number;
}

/** VmRSS of `pid` in bytes; undefined when the process is gone or this is not Linux. */
export function readRss(pid: number): number | undefined {
  try {
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** Samples every `everyMs` until stop(), which returns the samples in time order. */
export function sampleRss(pid: number, everyMs = 250): { stop(): RssSample[] } {
  const samples: RssSample[] = [];
  const take = () => {
    const bytes = readRss(pid);
    if (bytes !== undefined) samples.push({ at: performance.now(), bytes });
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}
