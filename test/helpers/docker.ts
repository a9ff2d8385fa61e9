// Whether a Docker daemon answers, for skipIf() in tests that need one.
import { execa } from 'execa';

export async function dockerReachable(): Promise<boolean> {
  const res = await execa('docker', ['info', '--format', '{{.ServerVersion}}'], { reject: false, timeout: 10_000 });
  return res.exitCode === 0;
}

export async function dockerSkipReason(): Promise<string | false> {
  return (await dockerReachable()) ? false : 'no Docker daemon';
}
