import crypto from 'node:crypto';
import type { Role, UserAccount } from '@certdesk/shared';
import type { Db } from '../db/open.js';
import { AppError } from '../errors.js';
import type { SessionStore } from '../store/sessions.js';
import type { UserListRow, UserStore } from '../store/users.js';
import type { AuditContext, AuditService } from './audit-service.js';
import { hashPassword } from './password-hash.js';

export interface UserAccountRepositories {
  db: Db;
  users: UserStore;
  sessions: SessionStore;
  audit: AuditService;
  /** The accounts' two-factor enrolments: a password reset also resets two-factor sign-in. */
  twoFactor?: { delete(userId: number): boolean };
}

/** Who acts: the signed-in user for the API (never null there), null for the command line. */
export type Actor = (AuditContext & { user: { id: number; username: string } }) | null;

const toAccount = (r: UserListRow): UserAccount => ({
  id: r.id,
  username: r.username,
  role: r.role,
  disabled: r.disabled === 1,
  mustChangePassword: r.must_change_password === 1,
  createdAt: r.created_at,
});

/** 16 random bytes: 22 characters, past the password policy's minimum, typed once and then replaced. */
export const oneTimePassword = (): string => crypto.randomBytes(16).toString('base64url');

/**
 * The accounts as an administrator manages them (routes/api/users.ts, `certdesk user`): create, change
 * the role, disable, delete, reset the password. Never leaves the console without an enabled administrator.
 * Audited here, so the API and the command line write the same entries.
 */
export class UserAccounts {
  constructor(private readonly repos: UserAccountRepositories) {}

  list(): UserAccount[] {
    return this.repos.users.list().map(toAccount);
  }

  get(id: number): UserAccount {
    const row = this.repos.users.findById(id);
    if (!row) throw new AppError('NOT_FOUND', `There is no user #${id}.`);
    return toAccount(row);
  }

  /** The account with this user name (the command line names accounts, the API numbers them). */
  byName(username: string): UserAccount {
    const row = this.repos.users.findByUsername(username);
    if (!row) throw new AppError('NOT_FOUND', `There is no user "${username}".`);
    return this.get(row.id);
  }

  /** `oneTime`: the password was generated and shown (the command line): it must be changed at sign-in. */
  async create(
    actor: Actor,
    username: string,
    password: string,
    role: Role,
    oneTime = false,
  ): Promise<UserAccount> {
    if (this.repos.users.findByUsername(username)) {
      throw new AppError('USERNAME_TAKEN', `An account named "${username}" already exists.`, {
        field: 'username',
      });
    }
    const hash = await hashPassword(password);
    // Checked again after the slow hash: a parallel request may have taken the name meanwhile.
    const id = this.repos.db.transaction(() => {
      if (this.repos.users.findByUsername(username)) throw new AppError('USERNAME_TAKEN');
      return this.repos.users.insert(username, hash, role, oneTime);
    })();
    this.record(actor, 'user.create', id, { username, role, oneTimePassword: oneTime });
    return this.get(id);
  }

  /** Changes the role and/or enables or disables; disabling ends the account's sessions. */
  update(actor: Actor, id: number, change: { role?: Role; disabled?: boolean }): UserAccount {
    const result = this.repos.db.transaction(() => {
      const before = this.get(id);
      this.refuseOwn(actor, before, change.disabled ? 'disable' : 'change the role of');
      const role = change.role ?? before.role;
      const disabled = change.disabled ?? before.disabled;
      if (before.role === 'admin' && !before.disabled && (role !== 'admin' || disabled)) {
        this.refuseLastAdmin(before, disabled ? 'disable' : 'demote');
      }
      if (role !== before.role) this.repos.users.setRole(id, role);
      if (disabled !== before.disabled) this.repos.users.setDisabled(id, disabled);
      const endedSessions = disabled && !before.disabled ? this.repos.sessions.deleteOfUser(id) : 0;
      return { before, endedSessions };
    })();
    const after = this.get(id);
    const { before, endedSessions } = result;
    if (after.role !== before.role) {
      this.record(actor, 'user.role_change', id, {
        username: after.username,
        from: before.role,
        to: after.role,
      });
    }
    if (after.disabled !== before.disabled) {
      this.record(actor, after.disabled ? 'user.disable' : 'user.enable', id, {
        username: after.username,
        ...(after.disabled ? { endedSessions } : {}),
      });
    }
    return after;
  }

  /** Deletes the account with its sessions and API tokens; returns the user name. */
  delete(actor: Actor, id: number): string {
    const user = this.repos.db.transaction(() => {
      const row = this.get(id);
      this.refuseOwn(actor, row, 'delete');
      if (row.role === 'admin' && !row.disabled) this.refuseLastAdmin(row, 'delete');
      this.repos.users.delete(id);
      return row;
    })();
    this.record(actor, 'user.delete', id, { username: user.username, role: user.role });
    return user.username;
  }

  /**
   * Sets a one-time password (returned once, stored only as a hash) that must be changed at the next
   * sign-in, and ends the account's sessions: whoever was signed in with the old password is out.
   */
  async resetPassword(actor: Actor, id: number): Promise<{ username: string; password: string }> {
    const { username } = this.get(id);
    const password = oneTimePassword();
    const hash = await hashPassword(password);
    // Whoever lost the password has often lost the phone with the authenticator too: the reset also
    // removes two-factor sign-in, which the user sets up again (and must, when it is required for all).
    const { endedSessions, twoFactorReset } = this.repos.db.transaction(() => {
      this.get(id);
      this.repos.users.setPasswordHash(id, hash, true);
      const twoFactorReset = this.repos.twoFactor?.delete(id) ?? false;
      return { endedSessions: this.repos.sessions.deleteOfUser(id), twoFactorReset };
    })();
    this.record(actor, 'user.reset_password', id, { username, endedSessions, twoFactorReset });
    return { username, password };
  }

  private refuseOwn(actor: Actor, target: UserAccount, verb: string): void {
    if (actor && actor.user.id === target.id) {
      throw new AppError(
        'OWN_ACCOUNT',
        `You cannot ${verb} your own account. Ask another administrator to do it.`,
      );
    }
  }

  private refuseLastAdmin(target: UserAccount, verb: string): void {
    if (this.repos.users.countEnabledAdmins() <= 1) {
      throw new AppError(
        'LAST_ADMIN',
        `"${target.username}" is the last enabled administrator: make another account an administrator before you ${verb} this one.`,
      );
    }
  }

  private record(actor: Actor, action: string, target: number, details: Record<string, unknown>): void {
    this.repos.audit.record(
      actor,
      actor ? { action, target, details } : { actor: 'cli', action, target, details },
    );
  }
}
