// Reads Kubernetes manifests (files, directories, kustomizations) into the
// neutral topology: workloads with their containers' ports, environment
// (ConfigMap, Secret and downward-API references resolved), storage, probes,
// init-container waits and resources; Services as network names and
// exposures; everything else as platform objects. Fields not compared are
// reported per workload, not dropped.
import { get, getPath, entries, items, keyLoc, num, str, bool, type LMap, type LNode } from '../manifests/located-yaml.ts';
import type { ConfigData, ContainerPort, Dependency, EnvVar, Fact, Health, Loc, Mount, NetworkName, PlatformObject, Resources, Security, Topology, Unsupported, Workload } from './model.ts';
import { WORKLOAD_KINDS as ALL_WORKLOAD_KINDS, matchesSelector } from '../manifests/kinds.ts';
import type { ManifestObject as K8sObject } from '../manifests/objects.ts';
import { loadManifests, type KustomizeRenderer } from '../manifests/render.ts';
import { parseProbe, resolvePort } from './kubernetes/probes.ts';
import { parseCpu, parseK8sBytes } from './units.ts';
import { usageError } from '../errors.ts';

export interface KubernetesLoadOptions {
  manifests: string[];
  cwd: string;
  /** Namespace of objects that name none where no kustomization sets one (`--namespace`; default `default`). */
  defaultNamespace?: string;
  render?: KustomizeRenderer;
}

export interface KubernetesTopology extends Topology {
  platform: 'kubernetes';
  namespace: string;
  objects: K8sObject[];
  /** Second containers of workload pods, each as a workload of its own (`api/proxy`): a Compose service may have become one. */
  sidecars: Workload[];
  /** Workloads defined more than once (kind and name), with every definition; the last one is compared. */
  ambiguous: Array<{ kind: string; name: string; locs: Loc[] }>;
}

// CronJobs run on a schedule: they are reported as platform objects, not paired with long-running services.
const WORKLOAD_KINDS = new Set([...ALL_WORKLOAD_KINDS].filter((k) => k !== 'CronJob'));
const POD_KEYS_COMPARED = new Set(['containers', 'initContainers', 'volumes', 'restartPolicy', 'terminationGracePeriodSeconds', 'hostname', 'subdomain', 'securityContext']);
const CONTAINER_KEYS_COMPARED = new Set(['name', 'image', 'command', 'args', 'env', 'envFrom', 'ports', 'volumeMounts', 'livenessProbe', 'readinessProbe', 'startupProbe', 'resources', 'imagePullPolicy', 'terminationMessagePolicy', 'terminationMessagePath', 'securityContext']);

function decodeBase64(text: string): string {
  return Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8');
}

function configDataOf(o: K8sObject): ConfigData {
  const entriesMap: ConfigData['entries'] = new Map();
  // A key read from the `.example` of a missing generator input: the key is real, its value is not known.
  const placeholder = new Set(o.generator?.entries.filter((e) => e.fromExample).map((e) => e.key));
  const add = (node: LNode | undefined, decode: boolean) => {
    for (const [k, v, kloc] of entries(node)) {
      const raw = str(v) ?? '';
      entriesMap.set(k, { value: placeholder.has(k) ? '' : decode ? decodeBase64(raw) : raw, loc: kloc, contentLoc: { file: v.loc.file, line: v.kind === 'scalar' ? v.contentLine : v.loc.line } });
    }
  };
  add(get(o.node, 'data'), o.kind === 'Secret');
  add(get(o.node, 'stringData'), false);
  return { kind: o.kind as 'ConfigMap' | 'Secret', name: o.generator?.name ?? o.name, entries: entriesMap, loc: o.node.loc, generated: Boolean(o.generator), incomplete: Boolean(o.generator?.missing.some((m) => !m.example)) };
}

const matches = matchesSelector;

function stringMap(node: LNode | undefined): Record<string, string> {
  return Object.fromEntries(entries(node).map(([k, v]) => [k, str(v) ?? '']));
}

function protocolOf(node: LNode | undefined): 'tcp' | 'udp' | 'sctp' {
  const p = (str(node) ?? 'TCP').toLowerCase();
  return p === 'udp' || p === 'sctp' ? p : 'tcp';
}

export async function loadKubernetes(opts: KubernetesLoadOptions): Promise<KubernetesTopology> {
  if (!opts.manifests.length) throw usageError('no manifests given.', 'pass --manifests DIR|FILE.');
  const loaded = await loadManifests(opts.manifests, { cwd: opts.cwd, kustomize: opts.render, namespace: opts.defaultNamespace, missingInputs: 'tolerate' });
  const objects = loaded.objects;
  const render = loaded.renderer === 'kubectl' ? 'kubectl-kustomize' : 'files';
  const unsupported: Unsupported[] = [...loaded.notes];
  const configs = objects.filter((o) => o.kind === 'ConfigMap' || o.kind === 'Secret');
  const configData = configs.map(configDataOf);

  const namespaces = new Map<string, number>();
  for (const o of objects) if (WORKLOAD_KINDS.has(o.kind)) namespaces.set(o.namespace, (namespaces.get(o.namespace) ?? 0) + 1);
  const namespace = [...namespaces].sort((a, b) => b[1] - a[1])[0]?.[0] ?? opts.defaultNamespace ?? 'default';

  const lookupConfig = (kind: 'ConfigMap' | 'Secret', name: string, ns: string) => {
    const o = configs.find((c) => c.kind === kind && c.name === name && c.namespace === ns);
    return o ? configData[configs.indexOf(o)] : undefined;
  };

  // Two workloads of one kind and name (a stale copy beside the current one): `kubectl apply -f DIR`
  // applies both in file order and the last one stays; it is the one compared, and the clash is reported.
  const byId = new Map<string, K8sObject[]>();
  for (const o of objects) if (WORKLOAD_KINDS.has(o.kind)) byId.set(`${o.kind}/${o.namespace}/${o.name}`, [...(byId.get(`${o.kind}/${o.namespace}/${o.name}`) ?? []), o]);
  const ambiguous = [...byId.values()].filter((list) => list.length > 1).map((list) => ({ kind: list[0].kind, name: list[0].name, locs: list.map((o) => o.node.loc) }));
  const shadowed = new Set([...byId.values()].flatMap((list) => list.slice(0, -1)));

  const workloads: Workload[] = [];
  const sidecars: Workload[] = [];
  for (const o of objects) {
    if (!WORKLOAD_KINDS.has(o.kind) || shadowed.has(o)) continue;
    const main = loadWorkload(o, { lookupConfig, unsupported });
    workloads.push(main);
    for (const c of main.sidecars ?? []) sidecars.push(loadWorkload(o, { lookupConfig, unsupported }, c.name));
  }
  // A Service port lands on whichever container of the pod declares it.
  const pods = new Map<string, Workload[]>();
  for (const w of [...workloads, ...sidecars]) {
    const pod = w.sidecarOf?.workload ?? w.name;
    pods.set(pod, [...(pods.get(pod) ?? []), w]);
  }
  const servedBy = (w: Workload, targetPort: number | string) => {
    const siblings = pods.get(w.sidecarOf?.workload ?? w.name) ?? [w];
    const has = (x: Workload) => x.ports.some((p) => (typeof targetPort === 'number' ? p.port === targetPort : p.name === targetPort));
    return has(w) || !siblings.some(has);
  };

  const networkNames: NetworkName[] = objects.filter((o) => o.kind === 'Service' && o.namespace === namespace).map(serviceOf);
  for (const w of [...workloads, ...sidecars]) {
    for (const svc of networkNames) {
      if (!matches(svc.selector, w.labels)) continue;
      for (const p of svc.ports) {
        if (!servedBy(w, p.targetPort)) continue;
        const target = resolvePort(p.targetPort, w.ports);
        w.exposures.push({
          kind: svc.headless ? 'headless' : 'service',
          port: p.port,
          targetPort: typeof target === 'number' ? target : null,
          targetPortName: typeof p.targetPort === 'string' ? p.targetPort : undefined,
          protocol: p.protocol,
          serviceName: svc.name,
          serviceType: svc.type,
          nodePort: p.nodePort,
          loc: p.loc,
        });
      }
    }
  }

  const platformObjects: PlatformObject[] = [];
  for (const o of objects) {
    if (WORKLOAD_KINDS.has(o.kind) || o.kind === 'ConfigMap' || o.kind === 'Secret') continue;
    if (o.kind === 'Service') {
      const svc = networkNames.find((n) => n.name === o.name);
      if (svc?.headless) platformObjects.push({ kind: 'Service', name: o.name, loc: o.node.loc, target: workloads.find((w) => matches(svc.selector, w.labels))?.name, note: 'headless: per-pod DNS names' });
      continue;
    }
    if (o.kind === 'HorizontalPodAutoscaler') {
      const ref = getPath(o.node, 'spec', 'scaleTargetRef');
      const target = workloads.find((w) => w.name === str(get(ref, 'name')) && w.kind === str(get(ref, 'kind')));
      const minNode = getPath(o.node, 'spec', 'minReplicas');
      const maxNode = getPath(o.node, 'spec', 'maxReplicas');
      if (target) {
        target.autoscaling = {
          name: o.name,
          min: { value: num(minNode) ?? 1, loc: minNode?.loc ?? o.node.loc },
          max: { value: num(maxNode) ?? 1, loc: maxNode?.loc ?? o.node.loc },
        };
      }
      platformObjects.push({ kind: o.kind, name: o.name, loc: o.node.loc, target: target?.name ?? str(get(ref, 'name')), note: `${num(minNode) ?? 1}..${num(maxNode) ?? '?'} replicas` });
      continue;
    }
    const selector = stringMap(getPath(o.node, 'spec', 'selector', 'matchLabels'));
    const podSelector = stringMap(getPath(o.node, 'spec', 'podSelector', 'matchLabels'));
    const target = workloads.find((w) => matches(selector, w.labels) || matches(podSelector, w.labels));
    platformObjects.push({ kind: o.kind, name: o.name, loc: o.node.loc, target: target?.name });
  }

  return { platform: 'kubernetes', namespace, objects, workloads, sidecars, ambiguous, networkNames, configData, platformObjects, unsupported, files: loaded.files, render };
}

function serviceOf(o: K8sObject): NetworkName {
  const spec = get(o.node, 'spec');
  const type = (str(get(spec, 'type')) ?? 'ClusterIP') as NetworkName['type'];
  return {
    name: o.name,
    headless: str(get(spec, 'clusterIP')) === 'None',
    type,
    externalName: str(get(spec, 'externalName')),
    selector: stringMap(get(spec, 'selector')),
    ports: items(get(spec, 'ports')).map((p) => {
      const port = num(get(p, 'port')) ?? 0;
      const t = str(get(p, 'targetPort'));
      return { name: str(get(p, 'name')), port, targetPort: t === undefined ? port : /^\d+$/.test(t) ? Number(t) : t, nodePort: num(get(p, 'nodePort')), protocol: protocolOf(get(p, 'protocol')), loc: p.loc };
    }),
    loc: o.node.loc,
  };
}

interface WorkloadCtx {
  lookupConfig: (kind: 'ConfigMap' | 'Secret', name: string, ns: string) => ConfigData | undefined;
  unsupported: Unsupported[];
}

function loadWorkload(o: K8sObject, ctx: WorkloadCtx, sidecar?: string): Workload {
  const spec = get(o.node, 'spec');
  const podSpec = (o.kind === 'Pod' ? spec : getPath(spec, 'template', 'spec')) as LMap | undefined;
  const loc = o.node.loc;
  const containers = items(get(podSpec, 'containers'));
  if (!containers.length) throw usageError(`${o.kind} ${o.name} has no containers.`, 'add spec.template.spec.containers.', loc);
  const first = containers.find((c) => str(get(c, 'name')) === o.name) ?? containers[0];
  const main = sidecar === undefined ? first : containers.find((c) => str(get(c, 'name')) === sidecar)!;
  const ports: ContainerPort[] = items(get(main, 'ports')).map((p) => ({ port: num(get(p, 'containerPort')) ?? 0, protocol: protocolOf(get(p, 'protocol')), name: str(get(p, 'name')), loc: p.loc }));
  const replicasNode = get(spec, 'replicas');
  const replicas = o.kind === 'Pod' || o.kind === 'Job' ? 1 : num(replicasNode) ?? 1;
  const labels = stringMap(o.kind === 'Pod' ? getPath(o.node, 'metadata', 'labels') : getPath(spec, 'template', 'metadata', 'labels'));

  const notCompared = [
    ...entries(podSpec).filter(([k]) => !POD_KEYS_COMPARED.has(k)).map(([k]) => k),
    ...entries(main).filter(([k]) => !CONTAINER_KEYS_COMPARED.has(k)).map(([k]) => `containers[${str(get(main, 'name'))}].${k}`),
  ];
  if (notCompared.length && sidecar === undefined) {
    ctx.unsupported.push({ key: 'pod-spec', service: o.name, message: `${o.kind} ${o.name}: not compared with Compose: ${notCompared.join(', ')}.`, severity: 'info', loc: podSpec?.loc ?? loc });
  }

  const imageNode = get(main, 'image');
  const restartNode = get(podSpec, 'restartPolicy');
  const graceNode = get(podSpec, 'terminationGracePeriodSeconds');
  const cmd = get(main, 'command');
  const args = get(main, 'args');
  const pmp = get(spec, 'podManagementPolicy');
  const svcName = get(spec, 'serviceName');
  const health = (['liveness', 'readiness', 'startup'] as const)
    .map((p) => parseProbe(get(main, `${p}Probe`), p, ports))
    .filter((h): h is Health => Boolean(h));

  return {
    name: sidecar === undefined ? o.name : `${o.name}/${sidecar}`,
    ...(sidecar === undefined ? {} : { sidecarOf: { workload: o.name, container: sidecar } }),
    kind: o.kind as Workload['kind'],
    loc,
    container: main.loc,
    replicas: { value: replicas, loc: replicasNode?.loc ?? keyLoc(spec, 'replicas') ?? loc },
    image: { value: str(imageNode) ?? '', loc: imageNode?.loc ?? main.loc },
    entrypoint: cmd ? { value: items(cmd).map((i) => str(i) ?? ''), loc: cmd.loc } : undefined,
    command: args ? { value: items(args).map((i) => str(i) ?? ''), loc: args.loc } : undefined,
    dnsNames: [],
    ports,
    exposures: [],
    env: loadEnv(main, o.namespace, ctx),
    storage: loadMounts(o, main, podSpec, replicas, ctx),
    health,
    dependencies: loadInitWaits(podSpec),
    resources: loadResources(get(main, 'resources')),
    restart: { value: str(restartNode) ?? 'Always', loc: restartNode?.loc ?? podSpec?.loc ?? loc },
    stopGraceSeconds: { value: num(graceNode) ?? 30, loc: graceNode?.loc ?? podSpec?.loc ?? loc },
    podManagement: o.kind === 'StatefulSet' ? { value: (str(pmp) as 'OrderedReady' | 'Parallel') ?? 'OrderedReady', loc: pmp?.loc ?? loc } : undefined,
    serviceName: o.kind === 'StatefulSet' && str(svcName) ? { value: str(svcName)!, loc: svcName!.loc } : undefined,
    labels,
    hostname: str(get(podSpec, 'hostname')) ? { value: str(get(podSpec, 'hostname'))!, loc: get(podSpec, 'hostname')!.loc } : undefined,
    subdomain: str(get(podSpec, 'subdomain')) ? { value: str(get(podSpec, 'subdomain'))!, loc: get(podSpec, 'subdomain')!.loc } : undefined,
    security: loadSecurity(get(main, 'securityContext'), get(podSpec, 'securityContext')),
    sidecars: sidecar !== undefined ? [] : containers.filter((c) => c !== main).map((c) => ({ name: str(get(c, 'name')) ?? '', image: str(get(c, 'image')) ?? '', loc: c.loc })),
  };
}

/** The container's securityContext, with runAsUser/runAsGroup inherited from the pod's. */
function loadSecurity(container: LNode | undefined, pod: LNode | undefined): Security {
  const caps = (key: string): Fact<string[]> | undefined => {
    const n = getPath(container, 'capabilities', key);
    return n ? { value: items(n).map((i) => (str(i) ?? '').toUpperCase().replace(/^CAP_/, '')), loc: n.loc } : undefined;
  };
  const flag = (key: string): Fact<boolean> | undefined => {
    const n = get(container, key);
    return n && bool(n) !== undefined ? { value: bool(n)!, loc: n.loc } : undefined;
  };
  const id = (key: string): Fact<string> | undefined => {
    const n = get(container, key) ?? get(pod, key);
    return n && str(n) !== undefined ? { value: str(n)!, loc: n.loc } : undefined;
  };
  return { capAdd: caps('add'), capDrop: caps('drop'), readOnlyRootFs: flag('readOnlyRootFilesystem'), privileged: flag('privileged'), user: id('runAsUser'), group: id('runAsGroup') };
}

function loadEnv(container: LNode, ns: string, ctx: WorkloadCtx): EnvVar[] {
  const out = new Map<string, EnvVar>();
  for (const ef of items(get(container, 'envFrom'))) {
    const prefix = str(get(ef, 'prefix')) ?? '';
    for (const [refKey, kind] of [['configMapRef', 'ConfigMap'], ['secretRef', 'Secret']] as const) {
      const ref = get(ef, refKey);
      if (!ref) continue;
      const name = str(get(ref, 'name')) ?? '';
      const optional = bool(get(ref, 'optional')) === true;
      const data = ctx.lookupConfig(kind, name, ns);
      if (!data) {
        // Reported by the references rule; nothing to import.
        out.set(`\0envFrom:${kind}:${name}`, { name: `\0envFrom:${kind}:${name}`, value: kind === 'ConfigMap' ? { kind: 'configMap', name, key: '*', value: null, optional } : { kind: 'secret', name, key: '*', value: null, optional }, loc: ref.loc, via: `envFrom ${kind} ${name}` });
        continue;
      }
      for (const [key, e] of data.entries) {
        const value = kind === 'ConfigMap' ? { kind: 'configMap' as const, name: data.name, key, value: e.value, optional, sourceLoc: e.loc } : { kind: 'secret' as const, name: data.name, key, value: e.value, optional, sourceLoc: e.loc };
        out.set(prefix + key, { name: prefix + key, value, loc: ref.loc, via: `envFrom ${kind} ${data.name}` });
      }
    }
  }
  for (const e of items(get(container, 'env'))) {
    const name = str(get(e, 'name'));
    if (!name) continue;
    const from = get(e, 'valueFrom');
    const loc = e.loc;
    if (!from) {
      out.set(name, { name, value: { kind: 'literal', value: str(get(e, 'value')) ?? '' }, loc: get(e, 'value')?.loc ?? loc });
      continue;
    }
    const cm = get(from, 'configMapKeyRef');
    const sec = get(from, 'secretKeyRef');
    const field = get(from, 'fieldRef');
    const resource = get(from, 'resourceFieldRef');
    if (cm || sec) {
      const ref = (cm ?? sec)!;
      const kind = cm ? 'ConfigMap' : 'Secret';
      const refName = str(get(ref, 'name')) ?? '';
      const key = str(get(ref, 'key')) ?? '';
      const data = ctx.lookupConfig(kind, refName, ns);
      const entry = data?.entries.get(key);
      const v = { name: data?.name ?? refName, key, value: entry?.value ?? null, optional: bool(get(ref, 'optional')) === true, sourceLoc: entry?.loc };
      out.set(name, { name, value: cm ? { kind: 'configMap', ...v } : { kind: 'secret', ...v }, loc: ref.loc });
    } else if (field) {
      out.set(name, { name, value: { kind: 'fieldRef', fieldPath: str(get(field, 'fieldPath')) ?? '' }, loc: field.loc });
    } else if (resource) {
      out.set(name, { name, value: { kind: 'resourceFieldRef', resource: str(get(resource, 'resource')) ?? '' }, loc: resource.loc });
    }
  }
  return [...out.values()];
}

/** The files a ConfigMap or Secret volume source puts in the container, with their mode (0644 unless defaultMode or items[].mode says otherwise). */
function configFiles(vol: LNode, kind: 'ConfigMap' | 'Secret', ns: string, ctx: WorkloadCtx, defaultMode?: number): Array<{ path: string; key: string; data?: ConfigData; mode: number }> {
  const name = str(get(vol, kind === 'ConfigMap' ? 'name' : 'secretName')) ?? str(get(vol, 'name')) ?? '';
  const data = ctx.lookupConfig(kind, name, ns);
  const mode = num(get(vol, 'defaultMode')) ?? defaultMode ?? 0o644;
  const listed = items(get(vol, 'items'));
  if (listed.length) return listed.map((i) => ({ path: str(get(i, 'path')) ?? '', key: str(get(i, 'key')) ?? '', data, mode: num(get(i, 'mode')) ?? mode }));
  return data ? [...data.entries.keys()].map((k) => ({ path: k, key: k, data, mode })) : [];
}

function loadMounts(o: K8sObject, main: LNode, podSpec: LNode | undefined, replicas: number, ctx: WorkloadCtx): Mount[] {
  const volumes = new Map(items(get(podSpec, 'volumes')).map((v) => [str(get(v, 'name')) ?? '', v]));
  const templates = new Set(items(getPath(o.node, 'spec', 'volumeClaimTemplates')).map((t) => str(getPath(t, 'metadata', 'name')) ?? ''));
  const mounts: Mount[] = [];
  for (const m of items(get(main, 'volumeMounts'))) {
    const name = str(get(m, 'name')) ?? '';
    const target = str(get(m, 'mountPath')) ?? '';
    const subPath = str(get(m, 'subPath'));
    const readOnly = bool(get(m, 'readOnly')) === true;
    const loc = m.loc;
    const vol = volumes.get(name);
    if (!vol && templates.has(name)) {
      mounts.push({ target, kind: 'persistent-per-replica', source: name, readOnly, loc });
      continue;
    }
    if (!vol) {
      ctx.unsupported.push({ key: 'volumeMounts', service: o.name, message: `volumeMount ${name} of ${o.kind} ${o.name} names no volume or volumeClaimTemplate (the API server rejects it).`, severity: 'warn', loc });
      continue;
    }
    const pvc = get(vol, 'persistentVolumeClaim');
    if (pvc) {
      const claim = str(get(pvc, 'claimName')) ?? name;
      const shared = replicas > 1;
      mounts.push({ target, kind: shared ? 'persistent-shared' : 'persistent-per-replica', source: claim, readOnly, sharedBy: shared ? Array.from({ length: replicas }, (_, i) => `${o.name} replica ${i + 1}`) : undefined, loc });
      continue;
    }
    if (get(vol, 'emptyDir')) {
      mounts.push({ target, kind: 'ephemeral', source: `emptyDir ${name}`, readOnly, loc });
      continue;
    }
    if (get(vol, 'hostPath')) {
      mounts.push({ target, kind: 'host-path', source: str(getPath(vol, 'hostPath', 'path')) ?? name, readOnly, loc });
      continue;
    }
    const sources: Array<{ kind: 'ConfigMap' | 'Secret'; node: LNode }> = [];
    if (get(vol, 'configMap')) sources.push({ kind: 'ConfigMap', node: get(vol, 'configMap')! });
    if (get(vol, 'secret')) sources.push({ kind: 'Secret', node: get(vol, 'secret')! });
    for (const s of items(getPath(vol, 'projected', 'sources'))) {
      if (get(s, 'configMap')) sources.push({ kind: 'ConfigMap', node: get(s, 'configMap')! });
      if (get(s, 'secret')) sources.push({ kind: 'Secret', node: get(s, 'secret')! });
    }
    if (sources.length) {
      const projectedMode = num(getPath(vol, 'projected', 'defaultMode'));
      const files = sources.flatMap((s) => configFiles(s.node, s.kind, o.namespace, ctx, projectedMode).map((f) => ({ ...f, kind: s.kind, ref: str(get(s.node, s.kind === 'ConfigMap' ? 'name' : 'secretName')) ?? '' })));
      const chosen = subPath === undefined ? files : files.filter((f) => f.path === subPath);
      const sourceName = sources.map((s) => `${s.kind} ${str(get(s.node, s.kind === 'ConfigMap' ? 'name' : 'secretName')) ?? ''}`).join(', ');
      mounts.push({
        target,
        kind: 'config',
        source: sourceName,
        readOnly: true,
        files: (chosen.length ? chosen : [{ path: subPath ?? '', key: subPath ?? '', data: undefined, kind: sources[0].kind, ref: str(get(sources[0].node, sources[0].kind === 'ConfigMap' ? 'name' : 'secretName')) ?? '', mode: num(get(sources[0].node, 'defaultMode')) ?? projectedMode ?? 0o644 }]).map((f) => {
          const entry = f.data?.entries.get(f.key);
          return {
            path: subPath !== undefined ? target : `${target.replace(/\/$/, '')}/${f.path}`,
            mode: f.mode,
            content: { text: entry?.value ?? null, firstLine: entry?.contentLoc ?? loc, origin: `${f.kind} ${f.data?.name ?? f.ref}${f.key ? ` key ${f.key}` : ''}`, secret: f.kind === 'Secret' },
          };
        }),
        loc,
      });
      continue;
    }
    if (get(vol, 'downwardAPI')) {
      mounts.push({ target, kind: 'config', source: `downwardAPI ${name}`, readOnly: true, loc });
      continue;
    }
    const volKind = entries(vol).find(([k]) => k !== 'name')?.[0] ?? 'unknown';
    ctx.unsupported.push({ key: `volumes.${volKind}`, service: o.name, message: `volume ${name} (${volKind}) of ${o.kind} ${o.name} is not compared.`, severity: 'warn', loc: vol.loc });
    mounts.push({ target, kind: 'persistent-shared', source: `${volKind} ${name}`, readOnly, loc });
  }
  return mounts;
}

/** host:port (or `nc -z host port`) in an init container's command: a start-up wait. */
export function waitTargets(words: string[]): Array<{ host: string; port?: number }> {
  const out: Array<{ host: string; port?: number }> = [];
  const text = words.join(' ');
  for (const m of text.matchAll(/(?:^|[\s,=/@'"])([A-Za-z0-9](?:[A-Za-z0-9.$()_-]*[A-Za-z0-9)])?):(\d{1,5})(?![\d.])/g)) out.push({ host: m[1], port: Number(m[2]) });
  for (const m of text.matchAll(/\bnc\s+(?:-\S+\s+)*([A-Za-z0-9][A-Za-z0-9.-]*)\s+(\d{1,5})\b/g)) out.push({ host: m[1], port: Number(m[2]) });
  for (const m of text.matchAll(/\b(?:nslookup|getent hosts|host)\s+([A-Za-z0-9][A-Za-z0-9.$()_-]*)/g)) out.push({ host: m[1] });
  const seen = new Set<string>();
  return out.filter((t) => {
    const id = `${t.host}:${t.port}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function loadInitWaits(podSpec: LNode | undefined): Dependency[] {
  const out: Dependency[] = [];
  for (const c of items(get(podSpec, 'initContainers'))) {
    const words = [...items(get(c, 'command')), ...items(get(c, 'args'))].map((i) => str(i) ?? '');
    for (const t of waitTargets(words)) out.push({ target: t.host, port: t.port, condition: 'wait-for-address', loc: c.loc });
  }
  return out;
}

function loadResources(node: LNode | undefined): Resources {
  const pick = (path: [string, string], parse: (v: string) => number | null) => {
    const n = getPath(node, ...path);
    const s = str(n);
    const v = s === undefined ? null : parse(s);
    return v === null || !n ? undefined : { value: v, loc: n.loc as Loc };
  };
  return {
    cpuLimit: pick(['limits', 'cpu'], parseCpu),
    memoryLimit: pick(['limits', 'memory'], parseK8sBytes),
    cpuRequest: pick(['requests', 'cpu'], parseCpu),
    memoryRequest: pick(['requests', 'memory'], parseK8sBytes),
  };
}
