// blockchain-node: the reference node of devenv's blockchain network.
//   blockchain-node [run]                       run the node (the default)
//   blockchain-node healthcheck [--json]        exit 0 when this node is ready
//   blockchain-node inspect [--balance ADDR]... the stored chain (height, tip, balances) as JSON
//   blockchain-node wait-for HOST:PORT... [--timeout SECONDS]
//   blockchain-node reload < BUNDLE             devenv up --watch: PID 1 runs BUNDLE instead (live/live-reload.ts)
import { healthcheck } from './commands/healthcheck.ts';
import { inspect } from './commands/inspect.ts';
import { runNode } from './commands/run.ts';
import { parseWaitForArgs, waitFor } from './commands/wait-for.ts';
import { reloadCommand, runGoodLiveBundle } from './live/live-reload.ts';

const USAGE = `usage:
  blockchain-node [run]                                    run the node (configured by environment variables)
  blockchain-node healthcheck [--json]                     exit 0 when this node is ready, 1 otherwise (--json: height, tip, peers)
  blockchain-node inspect [--balance ADDRESS]...           the chain in the data directory (height, tip, balances) as JSON
  blockchain-node wait-for HOST:PORT... [--timeout SECONDS]  exit 0 once every address accepts TCP
  blockchain-node reload < BUNDLE                          (in a container) run this bundle in place of the running node's code`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'run':
      // In a container restarted after `devenv up --watch` replaced the code: the last good bundle.
      if (await runGoodLiveBundle()) return;
      return runNode(process.env);
    case 'reload':
      process.exit(await reloadCommand(process.stdin, console.log, console.error));
    case 'healthcheck':
      process.exit(await healthcheck(process.env, console.log, { json: rest.includes('--json') }));
    case 'inspect':
      try {
        process.exit(inspect(process.env, rest));
      } catch (err) {
        console.error(`inspect: ${(err as Error).message}\n${USAGE}`);
        process.exit(2);
      }
    case 'wait-for': {
      let args;
      try {
        args = parseWaitForArgs(rest);
      } catch (err) {
        console.error(`wait-for: ${(err as Error).message}\n${USAGE}`);
        process.exit(2);
      }
      process.exit(await waitFor(args));
    }
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      process.exit(0);
    default:
      console.error(`unknown command "${command}"\n${USAGE}`);
      process.exit(2);
  }
}

await main(process.argv.slice(2));
