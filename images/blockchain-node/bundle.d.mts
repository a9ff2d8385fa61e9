/** Bundles src/main.ts into dist/blockchain-node.js and returns its path. */
export function bundleBlockchainNode(): Promise<{ outFile: string }>;
