// A pipeline is a list of small named steps (like kind's cluster-create
// actions): each has a name, an optional skip condition and a run function.
// Groups run their steps concurrently. listr2 renders progress: its default
// renderer in a TTY, plain lines in CI or when piped, and under --json one
// JSON event per line (start, done, skipped, failed, output).
import { Listr, ListrLogger, PRESET_TIMER, ProcessOutput, type ListrTask } from 'listr2';
import type { Output, OutputMode } from '../output.ts';
import { span } from '../timing.ts';

export interface StepIO {
  /** A progress line under the step (the last one shows in a TTY). */
  report(message: string): void;
}

export interface Step<C> {
  name: string;
  /** A reason to skip this step (shown to the user), or false/undefined to run it. */
  skip?: (ctx: C) => string | false | undefined | Promise<string | false | undefined>;
  run: (ctx: C, io: StepIO) => unknown | Promise<unknown>;
}

export interface StepGroup<C> {
  name: string;
  concurrent: true;
  steps: Array<Step<C>>;
}

export type PipelineItem<C> = Step<C> | StepGroup<C>;

export interface StepEvent {
  event: 'step';
  step: string;
  status: 'started' | 'done' | 'skipped' | 'failed' | 'output';
  message?: string;
  durationMs?: number;
}

function isGroup<C>(item: PipelineItem<C>): item is StepGroup<C> {
  return (item as StepGroup<C>).concurrent === true;
}

/** The listr2 renderer for an output mode; JSON mode renders nothing itself. */
export function rendererFor(mode: OutputMode): 'default' | 'simple' | 'silent' {
  return mode === 'tty' ? 'default' : mode === 'plain' ? 'simple' : 'silent';
}

/** Names of every step in order, groups flattened: what tests assert on. */
export function stepNames<C>(items: Array<PipelineItem<C>>): string[] {
  return items.flatMap((i) => (isGroup(i) ? i.steps.map((s) => s.name) : [i.name]));
}

function toTask<C>(step: Step<C>, ctx: C, emit: (e: StepEvent) => void, output: Output): ListrTask {
  return {
    title: step.name,
    skip: async () => {
      const reason = step.skip ? await step.skip(ctx) : false;
      if (reason) {
        emit({ event: 'step', step: step.name, status: 'skipped', message: reason });
        return reason;
      }
      return false;
    },
    task: async (_c, task) => {
      const started = Date.now();
      emit({ event: 'step', step: step.name, status: 'started' });
      const io: StepIO = {
        report: (message) => {
          task.output = output.redact(message);
          emit({ event: 'step', step: step.name, status: 'output', message });
        },
      };
      const t0 = performance.now();
      try {
        await step.run(ctx, io);
        span(`step ${step.name}`, t0);
      } catch (err) {
        // listr2 prints the message itself: mask it first.
        if (err instanceof Error) err.message = output.redact(err.message);
        emit({ event: 'step', step: step.name, status: 'failed', message: err instanceof Error ? err.message : String(err), durationMs: Date.now() - started });
        throw err;
      }
      emit({ event: 'step', step: step.name, status: 'done', durationMs: Date.now() - started });
    },
  };
}

export async function runPipeline<C>(items: Array<PipelineItem<C>>, ctx: C, output: Output): Promise<void> {
  const emit = (e: StepEvent) => {
    if (output.json) output.event({ ...e });
  };
  const tasks: ListrTask[] = items.map((item) =>
    isGroup(item)
      ? {
          title: item.name,
          task: (_c, task) => task.newListr(item.steps.map((s) => toTask(s, ctx, emit, output)), { concurrent: true, exitOnError: true }),
        }
      : toTask(item, ctx, emit, output),
  );
  // Progress goes to stderr so stdout carries only the result.
  const processOutput = new ProcessOutput(process.stderr, process.stderr);
  const renderer = rendererFor(output.mode);
  const list = new Listr(tasks, {
    concurrent: false,
    exitOnError: true,
    renderer,
    fallbackRenderer: 'simple',
    collectErrors: false,
    // listr2's own handler exits 127 on Ctrl-C; Node's default (130) is the documented behaviour.
    registerSignalListeners: false,
    rendererOptions:
      renderer === 'default'
        ? { processOutput, outputBar: 3, persistentOutput: false, collapseSubtasks: false }
        : renderer === 'simple'
          ? { logger: new ListrLogger({ processOutput, useIcons: false, toStderr: ['STARTED', 'COMPLETED', 'FAILED', 'SKIPPED', 'OUTPUT', 'TITLE', 'RETRY', 'ROLLBACK', 'PROMPT', 'PAUSED'] }), timer: PRESET_TIMER }
          : {},
    fallbackRendererOptions: { logger: new ListrLogger({ processOutput, useIcons: false }) },
  } as any);
  await list.run();
}
