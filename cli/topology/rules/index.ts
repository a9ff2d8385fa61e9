// The rules migrate-check runs, in report order. Each is one file with an id,
// a description and a pure check; docs/migrate-check.md describes them.
import type { Rule } from '../rule.ts';
import { pairingRule } from './pairing.rule.ts';
import { namesRule } from './names.rule.ts';
import { replicasRule } from './replicas.rule.ts';
import { imageRule } from './image.rule.ts';
import { commandRule } from './command.rule.ts';
import { portsRule } from './ports.rule.ts';
import { environmentRule } from './environment.rule.ts';
import { peersRule } from './peers.rule.ts';
import { secretsRule } from './secrets.rule.ts';
import { referencesRule } from './references.rule.ts';
import { configFilesRule } from './config-files.rule.ts';
import { volumesRule } from './volumes.rule.ts';
import { healthchecksRule } from './healthchecks.rule.ts';
import { dependenciesRule } from './dependencies.rule.ts';
import { resourcesRule } from './resources.rule.ts';
import { securityRule } from './security.rule.ts';
import { networksRule } from './networks.rule.ts';
import { restartRule } from './restart.rule.ts';
import { platformObjectsRule } from './platform-objects.rule.ts';
import { unsupportedRule } from './unsupported.rule.ts';

export const RULES: Rule[] = [
  pairingRule,
  namesRule,
  replicasRule,
  imageRule,
  commandRule,
  portsRule,
  environmentRule,
  peersRule,
  networksRule,
  secretsRule,
  referencesRule,
  configFilesRule,
  volumesRule,
  healthchecksRule,
  dependenciesRule,
  resourcesRule,
  securityRule,
  restartRule,
  platformObjectsRule,
  unsupportedRule,
];

/** Rule ids an acceptance may name (plus `acceptance` itself, which cannot be accepted). */
export const RULE_IDS = RULES.map((r) => r.id);
