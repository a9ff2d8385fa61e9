// Kubernetes probes (exec, httpGet, tcpSocket, grpc) as neutral health facts,
// with the defaults the kubelet applies when a field is left out.
import { get, items, num, str, type LNode } from '../../manifests/located-yaml.ts';
import type { ContainerPort, Health } from '../model.ts';
import { endpointOfCommand } from '../compose/healthcheck.ts';

export function resolvePort(port: string | number | undefined, ports: ContainerPort[]): number | string | undefined {
  if (port === undefined) return undefined;
  if (typeof port === 'number' || /^\d+$/.test(port)) return Number(port);
  return ports.find((p) => p.name === port)?.port ?? port;
}

export function parseProbe(node: LNode | undefined, purpose: Health['purpose'], ports: ContainerPort[]): Health | undefined {
  if (!node || node.kind !== 'map') return undefined;
  const timing = {
    intervalSeconds: num(get(node, 'periodSeconds')) ?? 10,
    timeoutSeconds: num(get(node, 'timeoutSeconds')) ?? 1,
    retries: num(get(node, 'failureThreshold')) ?? 3,
    startSeconds: num(get(node, 'initialDelaySeconds')) ?? 0,
  };
  const http = get(node, 'httpGet');
  if (http) {
    return { purpose, kind: 'http', path: str(get(http, 'path')) ?? '/', port: resolvePort(str(get(http, 'port')), ports), ...timing, loc: http.loc };
  }
  const tcp = get(node, 'tcpSocket');
  if (tcp) return { purpose, kind: 'tcp', port: resolvePort(str(get(tcp, 'port')), ports), ...timing, loc: tcp.loc };
  const grpc = get(node, 'grpc');
  if (grpc) return { purpose, kind: 'grpc', port: resolvePort(str(get(grpc, 'port')), ports), ...timing, loc: grpc.loc };
  const exec = get(node, 'exec');
  if (exec) {
    const command = items(get(exec, 'command')).map((i) => str(i) ?? '');
    const shell = command.length >= 3 && /(^|\/)(ba|da|a)?sh$/.test(command[0]) && command[1] === '-c';
    const words = shell ? command.slice(2).join(' ').split(/\s+/) : command;
    return { purpose, kind: 'exec', command, ...endpointOfCommand(words), ...timing, loc: get(exec, 'command')?.loc ?? exec.loc };
  }
  return undefined;
}
