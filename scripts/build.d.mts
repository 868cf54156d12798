import type { BuildOptions } from 'esbuild';

export const BUNDLE_OPTIONS: BuildOptions;
export function buildApp(outdir?: string): Promise<void>;
