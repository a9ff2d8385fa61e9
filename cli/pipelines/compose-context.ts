// State shared by the steps of `up --compose`.
import type { ComposeCli, ComposeEngine } from '../adapters/compose.ts';
import type { ComposeFileSummary } from '../compose/compose-file.ts';
import type { ServiceHealth } from '../compose/service-health.ts';
import type { PipelineContext } from './pipeline-context.ts';

export interface ComposeContext extends PipelineContext {
  composeFile?: ComposeFileSummary;
  /** The Compose CLI the preflight found. */
  composeCli?: ComposeCli;
  /** The project as `compose up` ran it (with the node image tag): set once, by that step. */
  compose?: ComposeEngine;
  health?: ServiceHealth[];
  smoke?: { webserverHeight: number; minerHeights: Record<string, number> };
  timeoutSeconds: number;
}
