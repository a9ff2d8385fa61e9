// The two topologies as positioned boxes and edges, ready to draw: a pure
// function of the model and the report. The layout is columns by kind (host
// ports, services, volumes; node ports, Services, workloads, storage) with
// names sorted, and every side column placed level with what it feeds, so the
// same input always gives the same picture and no force layout is needed.
import type { Target } from '../topology/addresses.ts';
import type { ComposeTopology } from '../topology/compose.loader.ts';
import type { Severity } from '../severity.ts';
import type { KubernetesTopology } from '../topology/kubernetes.loader.ts';
import type { Report, ReportFinding } from '../topology/migrate-check.ts';
import type { Loc, Mount, Platform, Workload } from '../topology/model.ts';

export interface PictureInput {
  report: Report;
  compose: ComposeTopology;
  kubernetes: KubernetesTopology;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export type NodeKind = 'host-port' | 'compose-service' | 'volume' | 'node-port' | 'k8s-service' | 'workload' | 'pvc';

export interface Mark extends Box {
  /** Index of the finding in report.findings. */
  finding: number;
  severity: Severity;
  accepted: boolean;
}

export interface PictureNode extends Box {
  /** Stable identity (`compose/service/miner_1`), drawn as the data-node attribute. */
  key: string;
  kind: NodeKind;
  title: string;
  lines: string[];
  pods: Array<Box & { key: string; name: string }>;
  marks: Mark[];
}

export interface PictureEdge {
  kind: 'peer' | 'dependency' | 'mount' | 'route';
  from: string;
  to: string;
  label: string;
  /** SVG path data. */
  path: string;
}

export interface SidePicture {
  side: Platform;
  width: number;
  height: number;
  columns: Array<{ x: number; w: number; title: string }>;
  nodes: PictureNode[];
  edges: PictureEdge[];
}

export interface Picture {
  compose: SidePicture;
  kubernetes: SidePicture;
  /** For each finding (by index), the node keys it is marked on. */
  marked: string[][];
}

const PAD = 8;
const HEADER = 20;
const LINE = 14;
const POD_H = 20;
const BADGE_W = 30;
const BADGE_H = 16;
const GAP = 16;
const TOP = 44;
/** Room right of the main column for peer and dependency arcs. */
const ARC_ROOM = 130;
const MAX_PODS = 8;

interface NodeSpec {
  key: string;
  kind: NodeKind;
  title: string;
  lines: string[];
  pods: Array<{ key: string; name: string }>;
  /** Where the object is defined, to find which node a finding's location falls in. */
  loc?: Loc;
  /** Side columns: the node of the main column this one is drawn level with. */
  anchor?: string;
}

interface EdgeSpec {
  kind: PictureEdge['kind'];
  from: string;
  to: string;
  label: string;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const proto = (p: string) => (p === 'tcp' ? '' : `/${p}`);

export function buildPicture(input: PictureInput): Picture {
  const marks = markFindings(input);
  const compose = layoutSide('compose', composeSpecs(input), marks.compose, input.report.findings);
  const kubernetes = layoutSide('kubernetes', kubernetesSpecs(input), marks.kubernetes, input.report.findings);
  const marked = input.report.findings.map((_, i) => [...(marks.compose.get(i) ?? []), ...(marks.kubernetes.get(i) ?? [])]);
  return { compose, kubernetes, marked };
}

interface SideSpecs {
  columns: Array<{ title: string; w: number; gapBefore: number; nodes: NodeSpec[] }>;
  /** Index of the column whose nodes the others are placed level with. */
  main: number;
  edges: EdgeSpec[];
}

function addEdge(edges: EdgeSpec[], e: EdgeSpec) {
  if (e.from === e.to) return;
  if (!edges.some((x) => x.kind === e.kind && x.from === e.from && x.to === e.to)) edges.push(e);
}

const composeServiceKey = (name: string) => `compose/service/${name}`;

function composeVolumeKey(service: string, m: Mount): string {
  // tmpfs and anonymous volumes belong to one container; named volumes and host paths may be shared.
  return m.kind === 'ephemeral' ? `compose/volume/${service}:${m.target}` : `compose/volume/${m.source}`;
}

function storageLabel(m: Mount): string {
  switch (m.kind) {
    case 'persistent-per-replica':
      return 'persistent';
    case 'persistent-shared':
      return 'persistent, shared';
    case 'ephemeral':
      return 'ephemeral';
    case 'host-path':
      return 'host path';
    case 'config':
      return 'config';
  }
}

function composeSpecs({ compose, report }: PictureInput): SideSpecs {
  const services = [...compose.workloads].sort((a, b) => byText(a.name, b.name));
  const ports = new Map<string, NodeSpec>();
  const volumes = new Map<string, NodeSpec>();
  const edges: EdgeSpec[] = [];
  const serviceNodes = services.map((s): NodeSpec => {
    const key = composeServiceKey(s.name);
    for (const e of s.exposures) {
      if (e.kind !== 'host-publish') continue;
      const pkey = `compose/host-port/${e.hostIp ?? ''}:${e.port}${proto(e.protocol)}`;
      if (!ports.has(pkey)) ports.set(pkey, { key: pkey, kind: 'host-port', title: `:${e.port}${proto(e.protocol)}`, lines: [`→ ${e.targetPort ?? '?'}`, ...(e.hostIp ? [`on ${e.hostIp}`] : [])], pods: [], anchor: key });
      addEdge(edges, { kind: 'route', from: pkey, to: key, label: `host port ${e.port} → ${s.name} port ${e.targetPort ?? '?'}` });
    }
    for (const m of s.storage) {
      if (m.kind === 'config') continue;
      const vkey = composeVolumeKey(s.name, m);
      if (!volumes.has(vkey)) volumes.set(vkey, { key: vkey, kind: 'volume', title: m.source, lines: [storageLabel(m)], pods: [], anchor: key });
      addEdge(edges, { kind: 'mount', from: key, to: vkey, label: `${s.name} mounts ${m.source} at ${m.target}` });
    }
    for (const d of s.dependencies) {
      if (services.some((x) => x.name === d.target)) addEdge(edges, { kind: 'dependency', from: key, to: composeServiceKey(d.target), label: `${s.name} depends on ${d.target} (${d.condition})` });
    }
    const lines = [s.image.value ? `image ${s.image.value}` : s.build ? `build ${s.build.context}` : 'no image'];
    if (s.replicas.value !== 1) lines.push(`replicas ${s.replicas.value}`);
    if (s.ports.length) lines.push(`listens ${s.ports.map((p) => `${p.port}${proto(p.protocol)}`).join(', ')}`);
    const configs = s.storage.filter((m) => m.kind === 'config').length;
    if (configs) lines.push(`${configs} config file mount${configs > 1 ? 's' : ''}`);
    return { key, kind: 'compose-service', title: s.name, lines, pods: [], loc: s.loc };
  });
  // Peers are reported in Kubernetes terms (workload, ordinal): map them back to the Compose services paired there.
  const composeFor = (t: Target): string[] => {
    if (t.kind === 'compose-only') return [t.service];
    if (t.kind !== 'workload') return [];
    return report.pairings.filter((p) => p.kubernetes.name === t.workload && (t.ordinal === '*' || p.kubernetes.ordinal === null || p.kubernetes.ordinal === t.ordinal)).map((p) => p.compose);
  };
  for (const e of report.peers.compose) {
    for (const t of e.targets) {
      for (const to of composeFor(t)) addEdge(edges, { kind: 'peer', from: composeServiceKey(e.from), to: composeServiceKey(to), label: `${e.from} dials ${to} (${e.key})` });
    }
  }
  return {
    columns: [
      { title: 'host ports', w: 100, gapBefore: 0, nodes: [...ports.values()] },
      { title: 'services', w: 230, gapBefore: 40, nodes: serviceNodes },
      { title: 'volumes', w: 170, gapBefore: ARC_ROOM, nodes: [...volumes.values()] },
    ],
    main: 1,
    edges,
  };
}

const workloadKey = (w: { kind: string; name: string }) => `kubernetes/workload/${w.kind}/${w.name}`;
const serviceKey = (name: string) => `kubernetes/service/${name}`;
const podKey = (name: string) => `kubernetes/pod/${name}`;
const pvcKey = (name: string) => `kubernetes/pvc/${name}`;

function kubernetesSpecs({ kubernetes, report }: PictureInput): SideSpecs {
  const workloads = [...kubernetes.workloads].sort((a, b) => byText(a.name, b.name) || byText(a.kind, b.kind));
  const claims = kubernetes.platformObjects.filter((o) => o.kind === 'PersistentVolumeClaim');
  const edges: EdgeSpec[] = [];
  const storage = new Map<string, NodeSpec>();
  const podsOf = new Map<Workload, Array<{ key: string; name: string }>>();
  const workloadNodes = workloads.map((w): NodeSpec => {
    const key = workloadKey(w);
    const pods = w.kind === 'StatefulSet' ? Array.from({ length: Math.min(w.replicas.value, MAX_PODS) }, (_, i) => ({ key: podKey(`${w.name}-${i}`), name: `${w.name}-${i}` })) : [];
    podsOf.set(w, pods);
    const lines = [`${w.kind}, replicas ${w.replicas.value}`, ...(w.autoscaling ? [`autoscaled ${w.autoscaling.min.value}..${w.autoscaling.max.value}`] : []), `image ${w.image.value}`];
    if (w.ports.length) lines.push(`listens ${w.ports.map((p) => `${p.port}${proto(p.protocol)}`).join(', ')}`);
    for (const s of w.sidecars ?? []) lines.push(`+ container ${s.name}`);
    if (w.replicas.value > MAX_PODS && w.kind === 'StatefulSet') lines.push(`(${MAX_PODS} of ${w.replicas.value} pods drawn)`);
    for (const m of w.storage) {
      if (m.kind === 'config') continue;
      let skey: string;
      let spec: NodeSpec;
      if (m.kind === 'persistent-per-replica' || m.kind === 'persistent-shared') {
        skey = pvcKey(m.source);
        const claim = claims.find((c) => c.name === m.source);
        const template = !claim && w.kind === 'StatefulSet' && m.kind === 'persistent-per-replica';
        spec = { key: skey, kind: 'pvc', title: m.source, lines: [template ? `claim template: ${m.source}-${w.name}-N` : `PVC, ${storageLabel(m)}`], pods: [], loc: claim?.loc, anchor: key };
      } else {
        skey = m.kind === 'ephemeral' ? `kubernetes/volume/${w.name}:${m.target}` : `kubernetes/volume/${m.source}`;
        spec = { key: skey, kind: 'volume', title: m.source, lines: [storageLabel(m)], pods: [], anchor: key };
      }
      if (!storage.has(skey)) storage.set(skey, spec);
      addEdge(edges, { kind: 'mount', from: key, to: skey, label: `${w.name} mounts ${m.source} at ${m.target}` });
    }
    return { key, kind: 'workload', title: w.name, lines, pods, loc: w.loc };
  });
  // Claims nothing mounts are drawn too: every PVC of the manifests is on the page.
  for (const c of claims) if (!storage.has(pvcKey(c.name))) storage.set(pvcKey(c.name), { key: pvcKey(c.name), kind: 'pvc', title: c.name, lines: ['PVC, mounted by nothing'], pods: [], loc: c.loc });

  const mainOf = (w: Workload) => (w.sidecarOf ? workloads.find((x) => x.name === w.sidecarOf!.workload) : w);
  const nodePorts = new Map<string, NodeSpec>();
  const services = [...kubernetes.networkNames].sort((a, b) => byText(a.name, b.name));
  const serviceNodes = services.map((s): NodeSpec => {
    const key = serviceKey(s.name);
    const selected = [...new Set([...kubernetes.workloads, ...kubernetes.sidecars].filter((w) => w.exposures.some((e) => e.serviceName === s.name)).map(mainOf))].filter((w): w is Workload => Boolean(w));
    for (const w of selected) addEdge(edges, { kind: 'route', from: key, to: workloadKey(w), label: `Service ${s.name} → ${w.kind} ${w.name}` });
    for (const p of s.ports) {
      if (s.type !== 'NodePort' && s.type !== 'LoadBalancer') continue;
      const nkey = `kubernetes/node-port/${p.nodePort ?? `auto:${s.name}:${p.port}`}${proto(p.protocol)}`;
      if (!nodePorts.has(nkey)) nodePorts.set(nkey, { key: nkey, kind: 'node-port', title: p.nodePort ? `:${p.nodePort}${proto(p.protocol)}` : ':(auto)', lines: [`→ ${p.port}`], pods: [], anchor: key });
      addEdge(edges, { kind: 'route', from: nkey, to: key, label: `node port ${p.nodePort ?? '(assigned by the cluster)'} → Service ${s.name} port ${p.port}` });
    }
    const lines = [s.headless ? `${s.type}, headless` : s.type, ...s.ports.map((p) => `${p.port} → ${p.targetPort}${proto(p.protocol)}${p.nodePort ? ` (node ${p.nodePort})` : ''}`)];
    if (s.externalName) lines.push(`→ ${s.externalName}`);
    if (!selected.length && !s.externalName) lines.push('selects no workload');
    return { key, kind: 'k8s-service', title: s.name, lines, pods: [], loc: s.loc, anchor: selected.length ? workloadKey(selected[0]) : undefined };
  });

  // A peer is a pod (StatefulSet ordinal) when it is drawn, else its workload.
  const drawnPods = new Set(workloadNodes.flatMap((n) => n.pods.map((p) => p.key)));
  const endpoint = (workload: string, ordinal: number | '*' | null): string | null => {
    const w = workloads.find((x) => x.name === workload);
    if (!w) return null;
    if (typeof ordinal === 'number' && drawnPods.has(podKey(`${w.name}-${ordinal}`))) return podKey(`${w.name}-${ordinal}`);
    return workloadKey(w);
  };
  for (const e of report.peers.kubernetes) {
    const from = drawnPods.has(podKey(e.from)) ? podKey(e.from) : endpoint(e.from.split('/')[0], null);
    if (!from) continue;
    for (const t of e.targets) {
      if (t.kind !== 'workload') continue;
      const to = endpoint(t.workload, t.ordinal);
      if (to) addEdge(edges, { kind: 'peer', from, to, label: `${e.from} dials ${t.workload}${typeof t.ordinal === 'number' ? ` ordinal ${t.ordinal}` : ''} (${e.key})` });
    }
  }
  return {
    columns: [
      { title: 'node ports', w: 80, gapBefore: 0, nodes: [...nodePorts.values()] },
      { title: 'Services', w: 190, gapBefore: 36, nodes: serviceNodes },
      { title: 'workloads and pods', w: 230, gapBefore: 36, nodes: workloadNodes },
      { title: 'storage', w: 160, gapBefore: ARC_ROOM, nodes: [...storage.values()] },
    ],
    main: 2,
    edges,
  };
}

/** The object whose definition contains `loc`: the last one that starts at or before it in the same file. */
function containing<T extends { loc?: Loc }>(items: T[], loc: Loc | null | undefined): T | undefined {
  if (!loc?.line) return undefined;
  let best: T | undefined;
  for (const it of items) {
    if (!it.loc || it.loc.file !== loc.file || !it.loc.line || it.loc.line > loc.line) continue;
    if (!best || it.loc.line > best.loc!.line!) best = it;
  }
  return best;
}

/**
 * Which nodes each finding is marked on. Compose: the services of the finding's
 * group, narrowed to the one whose definition holds the location. Kubernetes:
 * the drawn object whose definition holds the location (a Service, a claim, a
 * workload), else the group's workload (the location may be in a ConfigMap).
 */
function markFindings({ report, compose, kubernetes }: PictureInput): { compose: Map<number, string[]>; kubernetes: Map<number, string[]> } {
  const c = new Map<number, string[]>();
  const k = new Map<number, string[]>();
  const composeServices = compose.workloads;
  const objects = kubernetes.objects.map((o) => ({ kind: o.kind, name: o.name, loc: { file: o.file, line: o.line } }));
  const claims = new Set(kubernetes.platformObjects.filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.name));
  const drawn = (o: { kind: string; name: string }): string | null => {
    if (o.kind === 'Service') return kubernetes.networkNames.some((n) => n.name === o.name) ? serviceKey(o.name) : null;
    if (o.kind === 'PersistentVolumeClaim') return claims.has(o.name) ? pvcKey(o.name) : null;
    const w = kubernetes.workloads.find((x) => x.kind === o.kind && x.name === o.name);
    return w ? workloadKey(w) : null;
  };
  report.findings.forEach((f: ReportFinding, i) => {
    if (f.compose) {
      const group = [...report.pairings.filter((p) => p.kubernetes.name === f.service).map((p) => p.compose), ...composeServices.filter((s) => s.name === f.service).map((s) => s.name)];
      const at = containing(composeServices, f.compose.location);
      const names = at && group.includes(at.name) ? [at.name] : group.length ? [...new Set(group)] : at ? [at.name] : [];
      if (names.length) c.set(i, names.sort(byText).map(composeServiceKey));
    }
    if (f.kubernetes) {
      const at = containing(objects, f.kubernetes.location);
      let key = at ? drawn(at) : null;
      if (!key) {
        const w = kubernetes.workloads.find((x) => x.name === f.service.split('/')[0]);
        key = w ? workloadKey(w) : null;
      }
      if (key) k.set(i, [key]);
    }
  });
  return { compose: c, kubernetes: k };
}

function nodeHeight(n: NodeSpec, w: number, markCount: number): number {
  const perRow = Math.max(1, Math.floor((w - PAD) / (BADGE_W + 4)));
  const badgeRows = Math.ceil(markCount / perRow);
  return PAD + HEADER + n.lines.length * LINE + (n.pods.length ? n.pods.length * (POD_H + 4) + 4 : 0) + (badgeRows ? badgeRows * (BADGE_H + 4) + 2 : 0) + PAD / 2;
}

function layoutSide(side: Platform, specs: SideSpecs, marks: Map<number, string[]>, findings: ReportFinding[]): SidePicture {
  const markIndex = new Map<string, number[]>();
  for (const [i, keys] of [...marks].sort((a, b) => a[0] - b[0])) for (const key of keys) markIndex.set(key, [...(markIndex.get(key) ?? []), i]);
  let x = 12;
  const columns = specs.columns.map((col) => {
    x += col.gapBefore;
    const c = { x, w: col.w, title: col.title };
    x += col.w;
    return c;
  });
  const placed = new Map<string, PictureNode>();
  const place = (spec: NodeSpec, col: number, y: number): PictureNode => {
    const { x: cx, w } = columns[col];
    const found = markIndex.get(spec.key) ?? [];
    const h = nodeHeight(spec, w, found.length);
    const podTop = y + PAD + HEADER + spec.lines.length * LINE + 2;
    const pods = spec.pods.map((p, j) => ({ ...p, x: cx + PAD, y: podTop + j * (POD_H + 4), w: w - 2 * PAD, h: POD_H }));
    const perRow = Math.max(1, Math.floor((w - PAD) / (BADGE_W + 4)));
    const badgeTop = podTop + (spec.pods.length ? spec.pods.length * (POD_H + 4) + 2 : 0);
    const nodeMarks = found.map((fi, j) => ({ finding: fi, severity: findings[fi].severity, accepted: Boolean(findings[fi].accepted), x: cx + PAD + (j % perRow) * (BADGE_W + 4), y: badgeTop + Math.floor(j / perRow) * (BADGE_H + 4), w: BADGE_W, h: BADGE_H }));
    const node: PictureNode = { key: spec.key, kind: spec.kind, title: spec.title, lines: spec.lines, x: cx, y, w, h, pods, marks: nodeMarks };
    placed.set(spec.key, node);
    return node;
  };
  // The main column stacks in name order; every other column is placed level with its anchor, then in name order.
  let y = TOP;
  for (const spec of specs.columns[specs.main].nodes) y = place(spec, specs.main, y).y + placed.get(spec.key)!.h + GAP;
  const order = specs.columns.map((_, i) => i).filter((i) => i !== specs.main).sort((a, b) => Math.abs(a - specs.main) - Math.abs(b - specs.main) || a - b);
  for (const col of order) {
    const anchorY = (s: NodeSpec) => (s.anchor && placed.has(s.anchor) ? placed.get(s.anchor)!.y : Number.MAX_SAFE_INTEGER);
    const nodes = [...specs.columns[col].nodes].sort((a, b) => anchorY(a) - anchorY(b) || byText(a.title, b.title) || byText(a.key, b.key));
    let next = TOP;
    for (const spec of nodes) {
      const wanted = anchorY(spec);
      const node = place(spec, col, Math.max(next, wanted === Number.MAX_SAFE_INTEGER ? next : wanted));
      next = node.y + node.h + GAP;
    }
  }
  const nodes = specs.columns.flatMap((col) => col.nodes.map((n) => placed.get(n.key)!));
  const boxOf = new Map<string, Box>();
  const podKeys = new Set<string>();
  for (const n of nodes) {
    boxOf.set(n.key, n);
    for (const p of n.pods) {
      boxOf.set(p.key, p);
      podKeys.add(p.key);
    }
  }
  const mainColumn = columns[specs.main];
  const arcX = mainColumn.x + mainColumn.w;
  // Anchor points: a box's title row, a pod's middle.
  const yOf = (key: string) => {
    const b = boxOf.get(key)!;
    return podKeys.has(key) ? b.y + b.h / 2 : b.y + PAD + HEADER / 2;
  };
  const arcs = specs.edges.filter((e) => e.kind === 'peer' || e.kind === 'dependency').filter((e) => boxOf.has(e.from) && boxOf.has(e.to));
  // Shorter arcs inside, longer ones further out, so they nest instead of crossing.
  const spans = arcs.map((e) => Math.abs(yOf(e.from) - yOf(e.to)));
  const sortedSpans = [...new Set(spans)].sort((a, b) => a - b);
  const edges: PictureEdge[] = [];
  for (const e of specs.edges) {
    if (!boxOf.has(e.from) || !boxOf.has(e.to)) continue;
    const a = boxOf.get(e.from)!;
    const b = boxOf.get(e.to)!;
    let path: string;
    if (e.kind === 'peer' || e.kind === 'dependency') {
      const y1 = yOf(e.from);
      const y2 = yOf(e.to);
      const depth = 24 + 14 * sortedSpans.indexOf(Math.abs(y1 - y2)) + (e.kind === 'dependency' ? 7 : 0);
      const bend = Math.min(depth, ARC_ROOM - 30);
      path = `M${arcX} ${y1} C${arcX + bend} ${y1} ${arcX + bend} ${y2} ${arcX + 4} ${y2}`;
    } else {
      const x1 = a.x + a.w;
      const y1 = yOf(e.from);
      const x2 = b.x;
      const y2 = yOf(e.to);
      const mid = (x1 + x2) / 2;
      path = `M${x1} ${y1} C${mid} ${y1} ${mid} ${y2} ${x2 - 2} ${y2}`;
    }
    edges.push({ kind: e.kind, from: e.from, to: e.to, label: e.label, path });
  }
  const height = Math.max(TOP + 40, ...nodes.map((n) => n.y + n.h + GAP));
  return { side, width: x + 12, height, columns, nodes, edges };
}
