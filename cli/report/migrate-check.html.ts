// `migrate-check --format html`: one self-contained page (inline CSS and SVG,
// no script, nothing fetched) with the two topologies side by side, each
// difference marked on both drawings and linked to its finding, and the
// findings listed below. A pure function: same input, byte-identical page.
import { formatLocation } from '../errors.ts';
import type { Report, ReportFinding } from '../topology/migrate-check.ts';
import { fails, verdictLine } from '../topology/report.text.ts';
import { html, raw, type Html } from './html.ts';
import { shownText, type CompareRow, type CompareSummary } from '../compare/rows.ts';
import { buildPicture, type PictureInput, type PictureNode, type SidePicture } from './topology-picture.ts';

/** Anchor of the finding at index i of report.findings. */
export const findingAnchor = (i: number) => `finding-${i + 1}`;

const CSS = `
:root { --error: #c62828; --warn: #e08a00; --info: #607d8b; --ink: #1d2330; --muted: #5f6b7a; --line: #c9d1dc; }
* { box-sizing: border-box; }
body { margin: 0; padding: 16px 20px 40px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: #f6f8fb; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
.verdict { font-weight: 600; margin: 4px 0; }
.verdict.drift { color: var(--error); }
.verdict.ok { color: #2e7d32; }
.inputs { color: var(--muted); margin: 0 0 8px; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; align-items: start; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
figcaption { font-weight: 600; margin-bottom: 4px; }
figcaption span { font-weight: 400; color: var(--muted); }
svg.topology { width: 100%; height: auto; display: block; font-family: inherit; }
.col-title { font-size: 11px; fill: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
.node rect.box { fill: #fff; stroke: #7b8794; stroke-width: 1.2; }
.node.compose-service rect.box, .node.workload rect.box { fill: #eef4ff; stroke: #3f6fb5; }
.node.k8s-service rect.box { fill: #eefaf3; stroke: #2e8b57; }
.node.volume rect.box, .node.pvc rect.box { fill: #fff8e8; stroke: #b08a2e; }
.node.host-port rect.box, .node.node-port rect.box { fill: #f3eefc; stroke: #7a5bb5; }
.node.differs rect.box { stroke: var(--error); stroke-width: 2.4; }
.node.differs.warn-only rect.box { stroke: var(--warn); }
.node .title { font-size: 12.5px; font-weight: 600; fill: var(--ink); }
.node .line { font-size: 11px; fill: var(--muted); }
.pod rect { fill: #dce8fb; stroke: #3f6fb5; stroke-width: .8; }
.pod text { font-size: 11px; fill: var(--ink); }
.mark rect { stroke-width: 1.2; }
.mark text { font-size: 10.5px; font-weight: 700; fill: #fff; }
.mark.error rect { fill: var(--error); stroke: var(--error); }
.mark.warn rect { fill: var(--warn); stroke: var(--warn); }
.mark.info rect { fill: var(--info); stroke: var(--info); }
.mark.accepted rect { fill: #fff; }
.mark.accepted.error text { fill: var(--error); }
.mark.accepted.warn text { fill: var(--warn); }
.mark.accepted.info text { fill: var(--info); }
.mark:hover rect { stroke: var(--ink); }
.edge { fill: none; stroke-width: 1.3; }
.edge.route { stroke: #7a5bb5; marker-end: url(#arrow-route); }
.edge.mount { stroke: #b08a2e; stroke-dasharray: 2 3; }
.edge.peer { stroke: #3f6fb5; stroke-width: 1.6; marker-end: url(#arrow-peer); }
.edge.dependency { stroke: #5f6b7a; stroke-dasharray: 6 4; marker-end: url(#arrow-dependency); }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; color: var(--muted); font-size: 12.5px; margin: 6px 0 10px; }
.legend i { display: inline-block; width: 22px; height: 0; vertical-align: middle; margin-right: 5px; border-top: 2px solid; }
.legend .sw { display: inline-block; width: 14px; height: 12px; vertical-align: middle; margin-right: 5px; border-radius: 3px; }
table { border-collapse: collapse; background: #fff; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; font-size: 13px; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
ol.findings { list-style: none; padding: 0; margin: 0; }
.finding { background: #fff; border: 1px solid var(--line); border-left: 5px solid var(--info); border-radius: 4px; padding: 8px 12px; margin: 0 0 8px; }
.finding.error { border-left-color: var(--error); }
.finding.warn { border-left-color: var(--warn); }
.finding.accepted { opacity: .8; }
.finding:target { outline: 3px solid #3f6fb5; }
.finding h3 { font-size: 14px; margin: 0 0 4px; }
.finding .sev { text-transform: uppercase; font-size: 11.5px; letter-spacing: .04em; }
.finding.error .sev { color: var(--error); }
.finding.warn .sev { color: var(--warn); }
.finding.info .sev { color: var(--info); }
.finding dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0 0; }
.finding dt { color: var(--muted); }
.finding dd { margin: 0; overflow-wrap: anywhere; }
`;

const ARROWS = ['route', 'peer', 'dependency']
  .map((k) => `<marker id="arrow-${k}" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L8 4L0 8z" class="arrowhead-${k}"/></marker>`)
  .join('');
const RUNTIME_CSS = `
.node.runtime-differs .box { stroke: #8e24aa; stroke-width: 3; stroke-dasharray: 6 3; }
table.runtime tr.different td.verdict-cell { color: #8e24aa; font-weight: 600; }
table.runtime tr.unchecked td.verdict-cell { color: #c62828; font-weight: 600; }
table.runtime tr.accepted td.verdict-cell { color: #5f6b7a; }
table.runtime .note { color: #5f6b7a; font-size: 12px; }
`;
const ARROW_CSS = `.arrowhead-route { fill: #7a5bb5; } .arrowhead-peer { fill: #3f6fb5; } .arrowhead-dependency { fill: #5f6b7a; }`;

/** Cut to fit a box; the full text stays in the element's <title> tooltip. */
function fit(text: string, width: number, charWidth: number): string {
  const max = Math.max(4, Math.floor(width / charWidth));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const nodeId = (side: string, i: number) => `${side}-node-${i + 1}`;

function drawNode(side: SidePicture, n: PictureNode, i: number, findings: ReportFinding[], runtimeDiffers: Set<string>): Html {
  const differs = n.marks.some((m) => !m.accepted && m.severity !== 'info');
  const onlyWarn = differs && !n.marks.some((m) => !m.accepted && m.severity === 'error');
  const cls = `node ${n.kind}${differs ? ' differs' : ''}${onlyWarn ? ' warn-only' : ''}${runtimeDiffers.has(n.key) ? ' runtime-differs' : ''}`;
  const textX = n.x + 8;
  return html`<g class="${cls}" id="${nodeId(side.side, i)}" data-node="${n.key}"><title>${[n.title, ...n.lines].join('\n')}</title>
<rect class="box" x="${n.x}" y="${n.y}" width="${n.w}" height="${n.h}" rx="5"/>
<text class="title" x="${textX}" y="${n.y + 20}">${fit(n.title, n.w - 16, 7.4)}</text>
${n.lines.map((l, j) => html`<text class="line" x="${textX}" y="${n.y + 34 + j * 14}">${fit(l, n.w - 16, 6.3)}</text>
`)}${n.pods.map((p) => html`<g class="pod" data-node="${p.key}"><title>pod ${p.name}</title><rect x="${p.x}" y="${p.y}" width="${p.w}" height="${p.h}" rx="3"/><text x="${p.x + 6}" y="${p.y + 14}">${fit(`pod ${p.name}`, p.w - 12, 6.3)}</text></g>
`)}${n.marks.map((m) => {
    const f = findings[m.finding];
    return html`<a class="mark ${m.severity}${m.accepted ? ' accepted' : ''}" href="#${findingAnchor(m.finding)}" data-finding="${findingAnchor(m.finding)}"><title>#${m.finding + 1} ${f.severity}${f.accepted ? ' (accepted)' : ''} ${f.rule} ${f.subject}: ${f.message}</title><rect x="${m.x}" y="${m.y}" width="${m.w}" height="${m.h}" rx="8"/><text x="${m.x + m.w / 2}" y="${m.y + 12}" text-anchor="middle">${m.finding + 1}</text></a>
`;
  })}</g>
`;
}

function drawSide(side: SidePicture, findings: ReportFinding[], runtimeDiffers: Set<string> = new Set()): Html {
  return html`<svg class="topology" data-side="${side.side}" viewBox="0 0 ${side.width} ${side.height}" width="${side.width}" height="${side.height}" role="img" aria-label="${side.side} topology">
<defs>${raw(ARROWS)}</defs>
${side.columns.map((c) => html`<text class="col-title" x="${c.x}" y="24">${c.title}</text>
`)}${side.edges.map((e) => html`<path class="edge ${e.kind}" d="${e.path}" data-from="${e.from}" data-to="${e.to}"><title>${e.label}</title></path>
`)}${side.nodes.map((n, i) => drawNode(side, n, i, findings, runtimeDiffers))}</svg>`;
}

function where(s: ReportFinding['compose']): Html {
  if (!s) return html`(no side)`;
  const value = s.value === null ? '(not set)' : String(s.value);
  return html`${s.location ? html`<code>${formatLocation(s.location)}</code> ` : ''}${value}`;
}

function drawFinding(f: ReportFinding, i: number, markedOn: string[], nodeIds: Map<string, { id: string; label: string }>): Html {
  const sev = f.accepted ? 'accepted' : fails(f) ? 'fails' : 'expected';
  const marks = markedOn.map((k) => nodeIds.get(k)).filter((n): n is { id: string; label: string } => Boolean(n));
  return html`<li class="finding ${f.severity}${f.accepted ? ' accepted' : ''}" id="${findingAnchor(i)}" data-finding-id="${f.id}">
<h3>#${i + 1} <span class="sev">${f.severity}${f.accepted ? ' (accepted)' : ''}</span> <code>${f.rule}</code> ${f.service} · ${f.subject}</h3>
<div>${f.message}</div>
<dl>
<dt>Compose</dt><dd>${where(f.compose)}</dd>
<dt>Kubernetes</dt><dd>${where(f.kubernetes)}</dd>
${f.location && html`<dt>At</dt><dd><code>${formatLocation(f.location)}</code></dd>`}
<dt>${f.accepted ? 'Accepted' : 'Fix'}</dt><dd>${f.accepted ? html`${f.accepted.reason} (<code>${formatLocation(f.accepted.location)}</code>)` : f.fix}</dd>
<dt>Verdict</dt><dd>${sev === 'fails' ? 'fails the check' : sev === 'accepted' ? 'accepted difference' : 'expected platform difference'}</dd>
<dt>Drawn on</dt><dd>${marks.length ? marks.map((m, j) => html`${j ? ', ' : ''}<a href="#${m.id}">${m.label}</a>`) : 'no node (a finding about the whole pair)'}</dd>
</dl></li>
`;
}

function pairingsTable(report: Report): Html {
  const rows = [
    ...report.pairings.map((p) => [p.compose, `${p.kubernetes.kind}/${p.kubernetes.name}${p.kubernetes.ordinal !== null ? ` #${p.kubernetes.ordinal}` : ''}`, p.via]),
    ...report.unpaired.compose.map((c) => [c.name, '(none)', 'unpaired']),
    ...report.unpaired.kubernetes.map((k) => ['(none)', `${k.kind}/${k.name}`, 'unpaired']),
  ];
  return html`<table><thead><tr><th>Compose</th><th>Kubernetes</th><th>Paired by</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td><code>${r[0]}</code></td><td><code>${r[1]}</code></td><td>${r[2]}</td></tr>
`)}</tbody></table>`;
}

/** The drawing's nodes a run-time row is about: the Compose service and the workload it is paired with. */
function runtimeNodeKeys(report: Report, row: CompareRow, keys: Set<string>): string[] {
  if (row.service === '*') return [];
  // A row names a Compose service (miner_2) or a workload (webserver, for its replicas).
  const pairs = report.pairings.filter((p) => p.compose === row.service);
  const ofWorkload = pairs.length ? pairs : report.pairings.filter((p) => p.kubernetes.name === row.service);
  const candidates = [
    `compose/service/${row.service}`,
    ...ofWorkload.flatMap((p) => [`compose/service/${p.compose}`, `kubernetes/workload/${p.kubernetes.kind}/${p.kubernetes.name}`]),
  ];
  return [...new Set(candidates)].filter((k) => keys.has(k));
}

function runtimeSection(runtime: RuntimeInput, report: Report, nodeIds: Map<string, { id: string; label: string }>): Html {
  const keys = new Set(nodeIds.keys());
  const s = runtime.summary;
  return html`<h2 id="runtime">Run-time checks (${runtime.rows.length}): ${s.same} same, ${s.different} different, ${s.accepted} accepted${s.unchecked ? `, ${s.unchecked} not checked` : ''}</h2>
<p class="inputs">Compose: <code>${runtime.sides.compose.label}</code> (${runtime.sides.compose.api}); Kubernetes: <code>${runtime.sides.kubernetes.label}</code> (${runtime.sides.kubernetes.api}).</p>
<table class="runtime"><thead><tr><th>Check</th><th>Subject</th><th>Compose</th><th>Kubernetes</th><th>Verdict</th><th>Drawn on</th></tr></thead><tbody>
${runtime.rows.map((r, i) => {
    const marks = runtimeNodeKeys(report, r, keys).map((k) => nodeIds.get(k)!).filter(Boolean);
    return html`<tr class="row ${r.verdict}" id="runtime-${i + 1}" data-verdict="${r.verdict}"><td><code>${r.check}</code></td><td>${r.service === '*' ? '' : html`<code>${r.service}</code> `}${r.subject}${r.note && r.verdict !== 'same' ? html`<div class="note">${r.note}</div>` : ''}${r.accepted ? html`<div class="note">accepted: ${r.accepted.reason}</div>` : ''}</td><td>${shownText(r.compose)}</td><td>${shownText(r.kubernetes)}</td><td class="verdict-cell">${r.verdict}</td><td>${marks.map((m, j) => html`${j ? ', ' : ''}<a href="#${m.id}">${m.label}</a>`)}</td></tr>
`;
  })}</tbody></table>`;
}

/** devenv compare's rows, when the page is compare's (`devenv compare --html`). */
export interface RuntimeInput {
  rows: CompareRow[];
  summary: CompareSummary;
  sides: { compose: { label: string; api: string }; kubernetes: { label: string; api: string } };
}

export function formatHtmlReport(input: PictureInput & { runtime?: RuntimeInput }): string {
  const { report } = input;
  const picture = buildPicture(input);
  const nodeIds = new Map<string, { id: string; label: string }>();
  for (const side of [picture.compose, picture.kubernetes]) {
    side.nodes.forEach((n, i) => nodeIds.set(n.key, { id: nodeId(side.side, i), label: `${side.side === 'compose' ? 'Compose' : 'Kubernetes'} ${n.title}` }));
  }
  const allKeys = new Set(nodeIds.keys());
  const runtimeDiffers = new Set((input.runtime?.rows ?? []).filter((r) => r.verdict === 'different').flatMap((r) => runtimeNodeKeys(report, r, allKeys)));
  const i = report.inputs;
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.runtime ? 'devenv compare' : 'migrate-check'}: ${i.compose.join(' + ')} vs ${i.manifests.join(' + ')}</title>
<link rel="icon" href="data:,">
<style>${raw(CSS + ARROW_CSS + RUNTIME_CSS)}</style>
</head>
<body>
<header>
<h1>${input.runtime ? 'devenv compare' : 'migrate-check'}: Compose vs Kubernetes</h1>${input.runtime ? html`
<p class="verdict ${input.runtime.summary.exitCode === 0 ? 'ok' : 'drift'}">Run time: ${input.runtime.summary.same} same, ${input.runtime.summary.different} different, ${input.runtime.summary.accepted} accepted${input.runtime.summary.unchecked ? `, ${input.runtime.summary.unchecked} not checked` : ''} (<a href="#runtime">rows below</a>).</p>` : ''}
<p class="verdict ${report.summary.exitCode === 0 ? 'ok' : 'drift'}">${verdictLine(report)}</p>
<p class="inputs">Compared <code>${i.compose.join(' + ')}</code>${i.envFile ? html` (env <code>${i.envFile}</code>)` : ''} with <code>${i.manifests.join(' + ')}</code> (${i.render === 'kubectl-kustomize' ? 'kubectl kustomize' : 'files as written'}), namespace <code>${i.namespace}</code>${i.accept ? html`, accepted differences from <code>${i.accept}</code>` : ''}.</p>
</header>
<div class="legend">
<span><span class="sw" style="background:#c62828"></span>error</span>
<span><span class="sw" style="background:#e08a00"></span>warn</span>
<span><span class="sw" style="background:#607d8b"></span>info (expected platform difference)</span>
<span><span class="sw" style="border:2px solid #5f6b7a"></span>accepted</span>
<span><i style="border-color:#3f6fb5"></i>dials (peer)</span>
<span><i style="border-color:#5f6b7a;border-top-style:dashed"></i>depends on</span>
<span><i style="border-color:#7a5bb5"></i>port path</span>
<span><i style="border-color:#b08a2e;border-top-style:dotted"></i>mounts</span>
<span>A numbered badge is a finding: click it to read it below.</span>
</div>
<main class="sides" style="grid-template-columns: ${picture.compose.width}fr ${picture.kubernetes.width}fr">
<figure data-side="compose"><figcaption>Compose <span>${i.compose.join(' + ')}</span></figcaption>
${drawSide(picture.compose, report.findings, runtimeDiffers)}
</figure>
<figure data-side="kubernetes"><figcaption>Kubernetes <span>${i.manifests.join(' + ')}, namespace ${i.namespace}</span></figcaption>
${drawSide(picture.kubernetes, report.findings, runtimeDiffers)}
</figure>
</main>
${input.runtime ? runtimeSection(input.runtime, report, nodeIds) : ''}
<h2>Pairings</h2>
${pairingsTable(report)}
<h2>Findings (${report.findings.length})</h2>
<ol class="findings">
${report.findings.map((f, n) => drawFinding(f, n, picture.marked[n], nodeIds))}</ol>
</body>
</html>
`;
  return page.text;
}
