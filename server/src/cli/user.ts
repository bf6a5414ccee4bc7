import { parseArgs } from 'node:util';
import { PASSWORD_MIN_LENGTH, ROLES, type Role } from '@certdesk/shared';
import type { Config } from '../config.js';
import { AuditService } from '../services/audit-service.js';
import { isRole } from '../services/permissions.js';
import { oneTimePassword, UserAccounts } from '../services/user-accounts.js';
import { AuditLogStore } from '../store/audit-log.js';
import { SessionStore } from '../store/sessions.js';
import { deleteTotpEnrolment } from '../store/totp.js';
import { UserStore } from '../store/users.js';
import {
  type Command,
  openStores,
  parseCommandArgs,
  print,
  usageError,
  wantsJson,
  withExitCodes,
} from './common.js';

/**
 * `certdesk user add|list|disable|enable|reset-password`: the accounts of the Users page, on the server's
 * own database (running or stopped), through the same service and audit entries (actor "cli").
 */

const PASSWORD_ENV = 'CERTDESK_NEW_PASSWORD';

const USAGE = `<add|list|disable|enable|reset-password> [name] [options]

  add <name> --role ${ROLES.join('|')}   password from ${PASSWORD_ENV}, else a one-time password is
                                   generated, printed once and must be changed at the first sign-in
  list [--json]
  disable <name>                   ends the account's sessions; its API tokens stop working
  enable <name>
  reset-password <name>            prints a one-time password once; it must be changed at sign-in

The last enabled administrator can be neither disabled nor demoted.`;

const OPTIONS = { role: { type: 'string' }, json: { type: 'boolean', default: false } } as const;

function openAccounts(config: Config): { accounts: UserAccounts; close: () => void } {
  const stores = openStores(config, { keys: false });
  const { db } = stores;
  const accounts = new UserAccounts({
    db,
    users: new UserStore(db),
    sessions: new SessionStore(db),
    audit: new AuditService(new AuditLogStore(db)),
    twoFactor: { delete: (userId) => deleteTotpEnrolment(db, userId) },
  });
  return { accounts, close: stores.close };
}

const USERNAME = /^[A-Za-z0-9._-]{1,100}$/;

function nameArg(name: string | undefined): string {
  if (!name) throw usageError('Give the user name.');
  if (!USERNAME.test(name)) throw usageError(`"${name}" is not a valid user name (letters, digits, . _ -).`);
  return name;
}

async function run(args: string[], config: Config): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, () =>
    parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }),
  );
  const [action, rawName] = positionals;
  const { accounts, close } = openAccounts(config);
  try {
    switch (action) {
      case 'list': {
        const items = accounts.list();
        if (values.json) {
          print(JSON.stringify({ items }, null, 2));
          return 0;
        }
        const width = Math.max(8, ...items.map((u) => u.username.length));
        print(`${'USERNAME'.padEnd(width)}  ROLE      STATE`);
        for (const u of items) {
          const state = u.disabled ? 'disabled' : u.mustChangePassword ? 'must change password' : 'enabled';
          print(`${u.username.padEnd(width)}  ${u.role.padEnd(8)}  ${state}`);
        }
        return 0;
      }
      case 'add': {
        const name = nameArg(rawName);
        if (!isRole(values.role)) throw usageError(`Give --role ${ROLES.join('|')}.`, '--role');
        const role: Role = values.role;
        const given = process.env[PASSWORD_ENV];
        if (given !== undefined && given.length < PASSWORD_MIN_LENGTH) {
          throw usageError(`${PASSWORD_ENV} is shorter than ${PASSWORD_MIN_LENGTH} characters.`);
        }
        const password = given ?? oneTimePassword();
        const user = await accounts.create(null, name, password, role, given === undefined);
        print(`User "${user.username}" added with the role ${user.role}.`);
        if (given === undefined) printOnce(password);
        return 0;
      }
      case 'disable':
      case 'enable': {
        const user = accounts.byName(nameArg(rawName));
        accounts.update(null, user.id, { disabled: action === 'disable' });
        print(`User "${user.username}" is ${action}d.`);
        return 0;
      }
      case 'reset-password': {
        const user = accounts.byName(nameArg(rawName));
        const { password } = await accounts.resetPassword(null, user.id);
        print(`The password of "${user.username}" is reset; its sessions ended.`);
        printOnce(password);
        return 0;
      }
      default:
        throw usageError(`Say what to do: add, list, disable, enable or reset-password.`);
    }
  } finally {
    close();
  }
}

function printOnce(password: string): void {
  print(`One-time password (shown once; to be changed at the next sign-in): ${password}`);
}

export const userCommand: Command = {
  summary: 'Add, list, disable or enable users, or reset a password (server running or stopped).',
  usage: USAGE,
  run: (args, config) => withExitCodes('user', wantsJson(args), () => run(args, config)),
};
