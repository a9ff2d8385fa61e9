// The node's wallets: ed25519 key pairs in one JSON file (mode 0600),
// rewritten atomically (temp file + rename) so a crash never leaves it half
// written. Private keys never leave this module except to sign.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { addressFromPublicKey, publicKeyHex, signTransfer, type Transfer } from '../chain/transaction.ts';
import { StartupError } from '../config/startup-error.ts';

interface WalletRecord {
  address: string;
  publicKey: string;
  /** PKCS#8 DER, base64. */
  privateKey: string;
  createdAt: string;
}

interface WalletFileContent {
  version: 1;
  wallets: WalletRecord[];
}

export class WalletFile {
  private wallets: WalletRecord[] = [];

  constructor(readonly path: string) {
    if (!existsSync(path)) return;
    let parsed: WalletFileContent;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8')) as WalletFileContent;
    } catch (err) {
      throw new StartupError(`wallet file ${path} is not valid JSON (${(err as Error).message})`);
    }
    if (!parsed || !Array.isArray(parsed.wallets)) throw new StartupError(`wallet file ${path} has no "wallets" list`);
    this.wallets = parsed.wallets;
  }

  addresses(): string[] {
    return this.wallets.map((w) => w.address);
  }

  has(address: string): boolean {
    return this.wallets.some((w) => w.address === address);
  }

  create(): { address: string; publicKey: string } {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pub = publicKeyHex(publicKey);
    const record: WalletRecord = {
      address: addressFromPublicKey(pub),
      publicKey: pub,
      privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      createdAt: new Date().toISOString(),
    };
    this.wallets.push(record);
    this.save();
    return { address: record.address, publicKey: record.publicKey };
  }

  /** Signs a transfer from one of this file's addresses; undefined if the key is not here. */
  sign(from: string, fields: { to: string; amount: number; nonce: number }): Transfer | undefined {
    const w = this.wallets.find((x) => x.address === from);
    return w && signTransfer(fields, w.privateKey);
  }

  private save(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp-${process.pid}`;
    const content: WalletFileContent = { version: 1, wallets: this.wallets };
    writeFileSync(tmp, JSON.stringify(content, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}
