// What the watch loop needs from an environment (Compose or Kubernetes):
// the node instances, a way to pipe a bundle into one and have it run, the
// roll-out of a new image to the node services only, and the re-apply of
// the Compose file or the manifests. One implementation per environment.

export interface NodeInstance {
  /** Container or pod name, as shown to the user. */
  name: string;
  /** The service (Compose) or workload (Kubernetes) it belongs to. */
  service: string;
}

export type ReloadOutcome = { ok: true } | { ok: false; why: string };

export interface WatchTarget {
  /** e.g. "Compose project devenv-x" */
  readonly description: string;
  /** The node image running now (changes after a full path). */
  imageRef: string;
  /** The node instances running now. */
  nodes(): Promise<NodeInstance[]>;
  /** Pipes the bundle into the instance (`blockchain-node reload`) and waits until it runs it. */
  reload(node: NodeInstance, bundleFile: string): Promise<ReloadOutcome>;
  /** After a failed reload: waits until every node instance runs again (a crashed one is restarted by its runtime). */
  waitNodesRunning(timeoutMs: number): Promise<void>;
  /** The node's own account of a failed start (its error log lines since then), or null. */
  crashReason(node: NodeInstance, sinceMs: number): Promise<string | null>;
  /** Recreates the node instances only, on this image (Compose: `up -d --no-deps`; Kubernetes: kind load + rollout). */
  rollOutImage(ref: string, nodes: NodeInstance[]): Promise<void>;
  /** Re-applies the Compose file or the manifests; returns what changed, in a few words. */
  applyTopology(files: string[]): Promise<string>;
}
