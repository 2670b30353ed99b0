import { randomUUID } from 'node:crypto';
import { appendAudit, type AuditEntry, type Db } from '@nexus/actors';
import type { UserKind, UserRole, UserRow } from '@nexus/schema';
import { createApiKey, listApiKeys, revokeApiKey as revokeKey } from '../auth/apiKeys';
import { MIN_PASSWORD_LENGTH } from '../auth/authService';
import { generatePassword, hashPassword } from '../auth/passwords';
import { inTransaction } from '../db/transactions';
import { UserError } from './userErrors';
import { disableUser, findUserByUsername, insertUser, listUsers as listUserRows } from './usersRepository';
import { required } from '@nexus/schema';

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export interface UserView {
  id: string;
  username: string;
  kind: UserKind;
  role: UserRole;
  disabled: boolean;
  createdAt: string;
  createdBy: string | null;
  lastLoginAt: string | null;
}

export function toUserView(u: UserRow): UserView {
  return {
    id: u.id,
    username: u.username,
    kind: u.kind,
    role: u.role,
    disabled: u.disabled_at !== null,
    createdAt: u.created_at.toISOString(),
    createdBy: u.created_by,
    lastLoginAt: u.last_login_at?.toISOString() ?? null,
  };
}

// The audit log's entity types predate accounts; the column is plain text (see the report of issue 5).
const USER_ENTITY = 'user' as string as AuditEntry['entity_type'];

export interface NewUser {
  username: string;
  role: UserRole;
  kind?: UserKind;
  /** People only; a random one is generated (and returned once) when absent. */
  password?: string;
}

export interface AddedUser {
  user: UserView;
  /** Present when the password was generated: shown once, never stored in clear. */
  generatedPassword?: string;
  /** Service accounts: their API key, shown once. */
  apiKey?: string;
}

export async function addUser(db: Db, input: NewUser, actor: string): Promise<AddedUser> {
  const kind = input.kind ?? 'person';
  if (!USERNAME_PATTERN.test(input.username)) {
    throw new UserError(
      'USER.INVALID',
      'a username is 1 to 64 letters, digits, or . _ @ - (starting with a letter or digit)',
    );
  }
  if (kind === 'service' && input.password !== undefined) {
    throw new UserError('USER.INVALID', 'service accounts use API keys, not passwords');
  }
  if (input.password !== undefined && input.password.length < MIN_PASSWORD_LENGTH) {
    throw new UserError('USER.INVALID', `a password has at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const generatedPassword =
    kind === 'person' && input.password === undefined ? generatePassword() : undefined;
  const password = input.password ?? generatedPassword;
  const passwordHash = password === undefined ? null : await hashPassword(password);
  return inTransaction(db, async (trx) => {
    const id = randomUUID();
    const inserted = await insertUser(trx, {
      id,
      username: input.username,
      kind,
      role: input.role,
      password_hash: passwordHash,
      created_by: actor,
    });
    if (!inserted) throw new UserError('USER.EXISTS', `a user named ${input.username} already exists`);
    const apiKey = kind === 'service' ? await createApiKey(trx, id) : undefined;
    await appendAudit(trx, [
      {
        actor,
        action: 'user.created',
        entity_type: USER_ENTITY,
        entity_id: id,
        record_id: null,
        before: null,
        after: { username: input.username, role: input.role, kind },
      },
    ]);
    const user = required(
      await findUserByUsername(trx, input.username),
      `user ${input.username}, just added,`,
    );
    return {
      user: toUserView(user),
      ...(generatedPassword ? { generatedPassword } : {}),
      ...(apiKey ? { apiKey } : {}),
    };
  });
}

export async function listUsers(db: Db): Promise<UserView[]> {
  return (await listUserRows(db)).map(toUserView);
}

/** Who is acting: an account (compared by id, so no spelling of its name slips past), or a tool. */
export type Actor = string | { userId: string; username: string };

function actorName(actor: Actor): string {
  return typeof actor === 'string' ? actor : actor.username;
}

/** Disables an account: its sessions, refresh tokens and API keys stop working at once. */
export async function disableUserByName(db: Db, username: string, by: Actor): Promise<UserView> {
  const actor = actorName(by);
  return inTransaction(db, async (trx) => {
    const user = await findUserByUsername(trx, username);
    if (!user) throw new UserError('USER.NOT_FOUND', `no user named ${username}`);
    const self =
      typeof by === 'string' ? user.username.toLowerCase() === by.toLowerCase() : user.id === by.userId;
    if (self) throw new UserError('USER.INVALID', 'you cannot disable your own account');
    await disableUser(trx, user.id);
    await appendAudit(trx, [
      {
        actor,
        action: 'user.disabled',
        entity_type: USER_ENTITY,
        entity_id: user.id,
        record_id: null,
        before: { disabled: user.disabled_at !== null },
        after: { disabled: true },
      },
    ]);
    return toUserView(required(await findUserByUsername(trx, username), `user ${username}, just disabled,`));
  });
}

/** A new API key for an existing service account (the old ones keep working until disabled). */
export async function issueApiKey(db: Db, username: string, actor: string): Promise<{ apiKey: string }> {
  return inTransaction(db, async (trx) => {
    const user = await findUserByUsername(trx, username);
    if (!user || user.disabled_at !== null)
      throw new UserError('USER.NOT_FOUND', `no enabled user named ${username}`);
    if (user.kind !== 'service') throw new UserError('USER.INVALID', 'API keys are for service accounts');
    const apiKey = await createApiKey(trx, user.id);
    await appendAudit(trx, [
      {
        actor,
        action: 'user.api_key_issued',
        entity_type: USER_ENTITY,
        entity_id: user.id,
        record_id: null,
        before: null,
        after: { username },
      },
    ]);
    return { apiKey };
  });
}

export interface ApiKeyView {
  id: string;
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

async function serviceAccount(db: Db, username: string): Promise<UserRow> {
  const user = await findUserByUsername(db, username);
  if (!user) throw new UserError('USER.NOT_FOUND', `no user named ${username}`);
  if (user.kind !== 'service') throw new UserError('USER.INVALID', 'API keys are for service accounts');
  return user;
}

/** A service account's API keys, newest first: ids and dates only (the secrets are not kept). */
export async function apiKeysOf(db: Db, username: string): Promise<ApiKeyView[]> {
  const user = await serviceAccount(db, username);
  return (await listApiKeys(db, user.id)).map((k) => ({
    id: k.id,
    createdAt: k.created_at.toISOString(),
    lastUsedAt: k.last_used_at?.toISOString() ?? null,
    revoked: k.revoked_at !== null,
  }));
}

/** Revokes one API key of a service account (its other keys go on working); audited. */
export async function revokeApiKey(
  db: Db,
  input: { username: string; keyId: string },
  actor: string,
): Promise<ApiKeyView[]> {
  return inTransaction(db, async (trx) => {
    const user = await serviceAccount(trx, input.username);
    if (!(await revokeKey(trx, user.id, input.keyId))) {
      throw new UserError(
        'USER.NOT_FOUND',
        `${input.username} has no API key ${input.keyId} that is not revoked`,
      );
    }
    await appendAudit(trx, [
      {
        actor,
        action: 'user.api_key_revoked',
        entity_type: USER_ENTITY,
        entity_id: user.id,
        record_id: null,
        before: { keyId: input.keyId, revoked: false },
        after: { keyId: input.keyId, revoked: true },
      },
    ]);
    return apiKeysOf(trx, input.username);
  });
}
