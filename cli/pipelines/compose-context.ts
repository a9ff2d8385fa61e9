// State shared by the steps of `up --compose`.
import type { ComposeCli, ComposeEngine } from '../adapters/compose.ts';
import type { ComposeFileSummary } from '../compose/compose-file.ts';
import type { ServiceHealth } from '../compose/service-health.ts';
import type { PipelineContext } from './pipeline-context.ts';
import type { MountedConfigFile } from '../topology/mounted-config.ts';
import type { ConfigRestart } from '../compose/config-restarts.ts';
import type { NodeHealth } from '../adapters/node-api.ts';

export interface ComposeContext extends PipelineContext {
  composeFile?: ComposeFileSummary;
  /** The files the services bind-mount from the host, as the preflight read (and parsed) them. */
  mountedConfig?: MountedConfigFile[];
  /** Services restarted after `compose up` because a mounted file changed, and why. */
  configRestarts?: ConfigRestart[];
  /** The Compose CLI the preflight found. */
  composeCli?: ComposeCli;
  /** The project as `compose up` ran it (with the node image tag): set once, by that step. */
  compose?: ComposeEngine;
  health?: ServiceHealth[];
  /** nodes: what the smoke check read from each node service (the endpoints table reuses it instead of asking again). */
  smoke?: { webserverHeight: number; minerHeights: Record<string, number>; nodes?: Record<string, NodeHealth> };
  timeoutSeconds: number;
}
