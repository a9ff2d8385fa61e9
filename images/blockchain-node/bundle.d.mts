/**
 * Bundles src/main.ts (esbuild's BuildFailure, with errors[].location, when it
 * does not compile) into dist/blockchain-node.js; returns its path, its build
 * id (12 hex digits of its hash, baked into it) and the files esbuild read
 * (relative to this directory).
 */
export function bundleBlockchainNode(opts?: { logLevel?: 'silent' | 'warning' }): Promise<{ outFile: string; buildId: string; inputs: string[] }>;
/** The build id baked into a bundle's text, or null when it has none. */
export function bundleBuildId(text: string): string | null;
/** The same bundle, rebuilt incrementally (for a watcher). */
export function nodeBundler(opts?: { logLevel?: 'silent' | 'warning' }): Promise<{ bundle(): Promise<{ outFile: string; buildId: string; inputs: string[] }>; dispose(): Promise<void> }>;
