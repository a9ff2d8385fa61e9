// The neutral topology both loaders land in. It is shaped after what a running
// system does (who listens where, who reaches whom, what survives a restart),
// not after either file format, so rules compare like with like. Every fact
// carries the file and line it came from.
import type { Location } from '../errors.ts';
import type { InterpolatedVar } from '../manifests/located-yaml.ts';

export type Loc = Location;
export type Platform = 'compose' | 'kubernetes';

export interface Fact<T> {
  value: T;
  loc: Loc;
}

/** How a service is named on the network by its peers. */
export interface ContainerPort {
  port: number;
  protocol: 'tcp' | 'udp' | 'sctp';
  name?: string;
  loc: Loc;
}

/**
 * One way to reach a container port from elsewhere: a host publish (Compose),
 * a Service port (Kubernetes), or per-replica DNS through a headless Service.
 */
export interface Exposure {
  kind: 'host-publish' | 'service' | 'headless';
  /** Compose: host port; Kubernetes: the Service port. */
  port: number;
  /** The container port traffic lands on (resolved from a named targetPort when possible). */
  targetPort: number | null;
  targetPortName?: string;
  protocol: 'tcp' | 'udp' | 'sctp';
  hostIp?: string;
  /** Kubernetes Service name and type. */
  serviceName?: string;
  serviceType?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  nodePort?: number;
  loc: Loc;
}

export type EnvValue =
  | { kind: 'literal'; value: string }
  /** Compose `${VAR}` interpolation: the value it resolved to and where each variable came from. */
  | { kind: 'interpolation'; value: string; raw: string; vars: InterpolatedVar[]; unresolved: boolean }
  | { kind: 'configMap'; name: string; key: string; value: string | null; optional: boolean; sourceLoc?: Loc }
  | { kind: 'secret'; name: string; key: string; value: string | null; optional: boolean; sourceLoc?: Loc }
  /** Downward API: metadata.name, metadata.namespace, status.podIP, ... */
  | { kind: 'fieldRef'; fieldPath: string }
  | { kind: 'resourceFieldRef'; resource: string };


export interface EnvVar {
  name: string;
  value: EnvValue;
  loc: Loc;
  /** envFrom / env_file: the whole source was imported. */
  via?: string;
}

export type StorageKind =
  /** A volume only one replica ever mounts (Compose named volume of one instance; volumeClaimTemplate). */
  | 'persistent-per-replica'
  /** A persistent volume that several replicas or services mount at once. */
  | 'persistent-shared'
  /** Gone when the container or pod goes: emptyDir, tmpfs, anonymous volume. */
  | 'ephemeral'
  /** A file or directory of configuration: bind-mounted file, ConfigMap or Secret. */
  | 'config'
  /** A host directory (Compose bind mount of a directory, hostPath). */
  | 'host-path';

export interface ConfigContent {
  /** The file's text, or null when it could not be read or resolved. */
  text: string | null;
  /** Where the first line of the text lives (for per-field locations). */
  firstLine: Loc;
  /** Kubernetes: ConfigMap or Secret and key; Compose: the host file. */
  origin: string;
  secret: boolean;
}

export interface Mount {
  target: string;
  kind: StorageKind;
  /** Volume, claim, ConfigMap or host path name. */
  source: string;
  readOnly: boolean;
  /** Config mounts: one entry per file under target (a single file when subPath or a file bind). */
  files?: Array<{ path: string; content: ConfigContent; mode?: number }>;
  /** Services sharing a persistent-shared volume, or the replica count sharing it. */
  sharedBy?: string[];
  loc: Loc;
}

export interface Health {
  purpose: 'healthcheck' | 'liveness' | 'readiness' | 'startup';
  kind: 'exec' | 'http' | 'tcp' | 'grpc' | 'disabled';
  command?: string[];
  /** For http probes, and for exec commands that call an URL (curl, wget). */
  path?: string;
  port?: number | string;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  retries?: number;
  startSeconds?: number;
  loc: Loc;
}

export interface Dependency {
  /** Compose: the service depended on. Kubernetes: a host (and port) an init container waits for. */
  target: string;
  port?: number;
  condition: 'started' | 'healthy' | 'completed' | 'wait-for-address';
  loc: Loc;
}

export interface Resources {
  cpuLimit?: Fact<number>;
  memoryLimit?: Fact<number>;
  cpuRequest?: Fact<number>;
  memoryRequest?: Fact<number>;
}

export interface Workload {
  /** Compose service name, or Kubernetes workload name. */
  name: string;
  kind: 'compose-service' | 'StatefulSet' | 'Deployment' | 'DaemonSet' | 'ReplicaSet' | 'Pod' | 'Job';
  loc: Loc;
  /** Kubernetes: the main container (where a missing env var, mount or probe belongs). */
  container?: Loc;
  replicas: Fact<number>;
  autoscaling?: { name: string; min: Fact<number>; max: Fact<number> };
  image: Fact<string>;
  /** Compose `entrypoint`, Kubernetes `command`: replaces the image's ENTRYPOINT. */
  entrypoint?: Fact<string[]>;
  /** Compose `command`, Kubernetes `args`: replaces the image's CMD. */
  command?: Fact<string[]>;
  /** Names peers use to reach this service (Compose service name, aliases, container_name). */
  dnsNames: string[];
  ports: ContainerPort[];
  exposures: Exposure[];
  env: EnvVar[];
  storage: Mount[];
  health: Health[];
  dependencies: Dependency[];
  resources: Resources;
  restart: Fact<string>;
  /** Compose stop_grace_period, Kubernetes terminationGracePeriodSeconds. */
  stopGraceSeconds?: Fact<number>;
  /** Kubernetes: podManagementPolicy of a StatefulSet; governs start order between ordinals. */
  podManagement?: Fact<'OrderedReady' | 'Parallel'>;
  /** Kubernetes: the governing headless Service of a StatefulSet. */
  serviceName?: Fact<string>;
  /** Kubernetes: pod template labels, for Service selectors. */
  labels?: Record<string, string>;
  /** Other containers in the pod (sidecars), by name. */
  sidecars?: Array<{ name: string; image: string; loc: Loc }>;
  /** Kubernetes: the pod's hostname and subdomain, when set. */
  hostname?: Fact<string>;
  subdomain?: Fact<string>;
  /** Kubernetes: this is a second container of another workload's pod (`Deployment/api`, container `proxy`). */
  sidecarOf?: { workload: string; container: string };
  profiles?: string[];
  /** Compose `build:`: what is built when there is no image to pull (context, Dockerfile, target stage). */
  build?: BuildSpec;
  /** Compose cap_add/cap_drop/read_only/user/privileged; Kubernetes the container's (and pod's) securityContext. */
  security?: Security;
  /** Compose: the networks the service is attached to (`default` when none is named). */
  networks?: Fact<string[]>;
}

export interface BuildSpec {
  /** The build context, relative to the working directory. */
  context: string;
  /** The Dockerfile, relative to the working directory. */
  dockerfile: string;
  target?: Fact<string>;
  /** The Dockerfile's stages in order (`FROM ... AS name`), or null when it could not be read. */
  stages: string[] | null;
  loc: Loc;
}

export interface Security {
  /** Capabilities without the CAP_ prefix, upper case. */
  capAdd: Fact<string[]> | undefined;
  capDrop: Fact<string[]> | undefined;
  readOnlyRootFs: Fact<boolean> | undefined;
  privileged: Fact<boolean> | undefined;
  /** A uid (or user name, Compose only). */
  user: Fact<string> | undefined;
  group: Fact<string> | undefined;
}

/** A Kubernetes Service as an addressable name. */
export interface NetworkName {
  name: string;
  headless: boolean;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  externalName?: string;
  selector: Record<string, string>;
  ports: Array<{ name?: string; port: number; targetPort: number | string; nodePort?: number; protocol: 'tcp' | 'udp' | 'sctp'; loc: Loc }>;
  loc: Loc;
}

/** Something the loader saw and the rules do not compare one to one (HPA, PDB, NetworkPolicy, ...). */
export interface PlatformObject {
  kind: string;
  name: string;
  loc: Loc;
  /** The workload it concerns, when it names one. */
  target?: string;
  note?: string;
}

/** Input the loader did not understand, reported instead of dropped. */
export interface Unsupported {
  key: string;
  service?: string;
  message: string;
  severity: 'warn' | 'info';
  loc: Loc;
}

export interface ConfigData {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  entries: Map<string, { value: string; loc: Loc; contentLoc: Loc }>;
  loc: Loc;
  generated: boolean;
  /** A generator input is missing: the keys (or values) are not all known. */
  incomplete?: boolean;
}

export interface Topology {
  platform: Platform;
  /** Kubernetes namespace the objects live in. */
  namespace?: string;
  workloads: Workload[];
  networkNames: NetworkName[];
  configData: ConfigData[];
  platformObjects: PlatformObject[];
  unsupported: Unsupported[];
  /** Files read, relative to the working directory. */
  files: string[];
  /** How the Kubernetes side was read: `kubectl kustomize`, or the files themselves. */
  render?: 'kubectl-kustomize' | 'files';
}
