import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { CliConfig } from '@bousai/config';
import { ActorType, hashPassword, Role } from '@bousai/domain';
import {
  AuditRepository,
  createDataSource,
  type MunicipalityEntity,
  OperatorRepository,
} from '@bousai/persistence';

const USAGE = `usage: npm run operator:create -- --email E --role admin|approver|operator|viewer
         [--municipality CODE [--municipality-name NAME]] [--name DISPLAY_NAME]
The password is read from OPERATOR_PASSWORD or typed at a hidden prompt (never an argument).
--municipality is required when more than one municipality exists; with --municipality-name it is created.`;

/** Reads a line without echoing it. */
async function promptHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (!muted) process.stdout.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

export async function operatorCreate(config: CliConfig, argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      municipality: { type: 'string' },
      'municipality-name': { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
    },
  });
  if (values.password !== undefined) {
    console.error(
      'refusing --password: arguments end up in shell history and process lists; use OPERATOR_PASSWORD or the prompt',
    );
    return 2;
  }
  const role = Object.values(Role).find((r) => r === values.role);
  if (!values.email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email) || !role) {
    console.error(USAGE);
    return 2;
  }
  let password = config.OPERATOR_PASSWORD;
  if (!password) {
    if (!process.stdin.isTTY) {
      console.error('no terminal to prompt on: set OPERATOR_PASSWORD (at least 12 characters)');
      return 2;
    }
    password = await promptHidden('password (12+ characters): ');
    const again = await promptHidden('again: ');
    if (password !== again) {
      console.error('the two passwords differ');
      return 2;
    }
  }
  if (password.length < 12) {
    console.error('password must be at least 12 characters');
    return 2;
  }

  const ds = await createDataSource(config, 'bousai-cli').initialize();
  try {
    const operators = new OperatorRepository(ds);
    let municipality: MunicipalityEntity | null;
    if (values.municipality) {
      municipality = await operators.findMunicipalityByCode(values.municipality);
      if (!municipality && values['municipality-name']) {
        municipality = await operators.createMunicipality(values.municipality, values['municipality-name']);
        console.log(`created municipality ${municipality.code} ${municipality.name}`);
      }
      if (!municipality) {
        console.error(
          `no municipality with code ${values.municipality}; add --municipality-name to create it`,
        );
        return 1;
      }
    } else {
      const all = await operators.listMunicipalities(2);
      if (all.length !== 1) {
        console.error(
          all.length
            ? 'several municipalities exist: pass --municipality CODE'
            : 'no municipality yet: pass --municipality CODE --municipality-name NAME',
        );
        return 1;
      }
      municipality = all[0];
    }
    const passwordHash = await hashPassword(password);
    const existing = await operators.findByEmail(values.email);
    if (existing) {
      if (existing.municipalityId !== municipality.id) {
        console.error('that email belongs to an operator of another municipality');
        return 1;
      }
      await operators.setPassword(existing.id, passwordHash, role);
      await new AuditRepository(ds).append({
        municipalityId: existing.municipalityId,
        actorType: ActorType.System,
        actorId: null,
        action: 'operator.reset',
        targetType: 'operator',
        targetIds: [existing.id],
        details: { role, via: 'cli' },
        requestId: null,
      });
      console.log(`updated operator ${existing.id}: role ${role}, password reset`);
      return 0;
    }
    const created = await operators.create({
      municipalityId: municipality.id,
      email: values.email,
      passwordHash,
      role: role,
      displayName: values.name ?? null,
    });
    await new AuditRepository(ds).append({
      municipalityId: municipality.id,
      actorType: ActorType.System,
      actorId: null,
      action: 'operator.create',
      targetType: 'operator',
      targetIds: [created.id],
      details: { role, via: 'cli' },
      requestId: null,
    });
    console.log(`created operator ${created.id} (${role}) in ${municipality.name}`);
    return 0;
  } finally {
    await ds.destroy();
  }
}
