// Every devenv command, in the order --help lists them. A command appears here
// only once what it does is implemented.
import { upCommand } from './up.ts';
import { downCommand } from './down.ts';
import { statusCommand } from './status.ts';
import { logsCommand } from './logs.ts';
import { doctorCommand } from './doctor.ts';
import { validateCommand } from './validate.ts';
import { migrateCheckCommand } from './migrate-check.ts';
import { compareCommand } from './compare.ts';

export const commands = [upCommand, downCommand, statusCommand, logsCommand, validateCommand, migrateCheckCommand, compareCommand, doctorCommand];
