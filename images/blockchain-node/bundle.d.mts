/**
 * Bundles src/main.ts into dist/blockchain-node.js and returns its path and
 * the files esbuild read (relative to this directory).
 */
export function bundleBlockchainNode(): Promise<{ outFile: string; inputs: string[] }>;
