import type { Compose } from '../adapters/compose.ts';
import type { ComposeFileSummary } from '../compose/compose-file.ts';
import type { ServiceHealth } from '../compose/service-health.ts';
import type { PipelineContext } from './pipeline-context.ts';

export interface ComposeContext extends PipelineContext {
  composeFile?: ComposeFileSummary;
  compose?: Compose;
  health?: ServiceHealth[];
  smoke?: { webserverHeight: number; minerHeights: Record<string, number> };
  timeoutSeconds: number;
}
