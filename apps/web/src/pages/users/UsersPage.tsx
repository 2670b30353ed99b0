import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi, useSession } from '../../api/ApiProvider';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ErrorNotice, PageHeader, Skeleton } from '../../ui/states';
import { AddUserForm } from './AddUserForm';
import { ApiKeysPanel } from './ApiKeysPanel';
import { SecretReveal } from './SecretReveal';
import type { ApiKeyView, UserView } from './userTypes';
import { UsersTable } from './UsersTable';
import './users.css';

type Secret = { title: string; secret: string; note: string };

export function UsersPage() {
  const api = useApi();
  const { state } = useSession();
  const me = state.status === 'signedIn' ? state.user.username : '';
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: ['users.list'], queryFn: () => api.users.list.query() });
  const [secret, setSecret] = useState<Secret | null>(null);
  const [disabling, setDisabling] = useState<UserView | null>(null);
  const [keysOf, setKeysOf] = useState<UserView | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyView | null>(null);
  const keys = useQuery({
    queryKey: ['users.apiKeys', keysOf?.username],
    queryFn: () => {
      if (keysOf === null) throw new Error('users.apiKeys ran with no user chosen');
      return api.users.apiKeys.query({ username: keysOf.username });
    },
    enabled: keysOf !== null,
  });
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['users.list'] });

  const issueKey = (u: UserView) => {
    setActionError(null);
    api.users.issueApiKey.mutate({ username: u.username }).then(
      ({ apiKey }) =>
        setSecret({
          title: `New API key for ${u.username}`,
          secret: apiKey,
          note: 'Give it to the service now. Its older keys keep working until revoked (Keys).',
        }),
      setActionError,
    );
    if (keysOf?.username === u.username) void keys.refetch();
  };

  return (
    <>
      <PageHeader title="Users" />
      {actionError ? <ErrorNotice error={actionError} /> : null}
      {secret ? <SecretReveal {...secret} onDone={() => setSecret(null)} /> : null}
      <div className="users-layout">
        <section aria-label="All users">
          {users.error ? (
            <ErrorNotice error={users.error} onRetry={() => void users.refetch()} />
          ) : users.data ? (
            <UsersTable
              users={users.data}
              me={me}
              onDisable={setDisabling}
              onIssueKey={issueKey}
              onShowKeys={setKeysOf}
            />
          ) : (
            <Skeleton rows={6} height="2rem" />
          )}
          {keysOf ? (
            keys.error ? (
              <ErrorNotice error={keys.error} onRetry={() => void keys.refetch()} />
            ) : keys.data ? (
              <ApiKeysPanel
                username={keysOf.username}
                keys={keys.data}
                onRevoke={setRevoking}
                onClose={() => setKeysOf(null)}
              />
            ) : (
              <Skeleton rows={2} height="2rem" />
            )
          ) : null}
        </section>
        <AddUserForm
          onAdd={async (input) => {
            const added = await api.users.add.mutate(input);
            await refresh();
            if (added.apiKey)
              setSecret({
                title: `API key for ${added.user.username}`,
                secret: added.apiKey,
                note: 'Give it to the service now: it authenticates as this account.',
              });
            else if (added.generatedPassword)
              setSecret({
                title: `Password for ${added.user.username}`,
                secret: added.generatedPassword,
                note: 'Hand it to the person; they should change it after signing in.',
              });
          }}
        />
      </div>
      <ConfirmDialog
        open={disabling !== null}
        title={`Disable ${disabling?.username ?? ''}?`}
        confirmLabel="Disable"
        danger
        busy={busy}
        onCancel={() => setDisabling(null)}
        onConfirm={() => {
          if (!disabling) return;
          setBusy(true);
          setActionError(null);
          api.users.disable
            .mutate({ username: disabling.username })
            .then(refresh, setActionError)
            .finally(() => {
              setBusy(false);
              setDisabling(null);
            });
        }}
      >
        <p>
          Their sessions, refresh tokens and API keys stop working at once. An account cannot be enabled
          again: add a new one if needed.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke key nxk_${revoking?.id.slice(0, 8) ?? ''}…?`}
        confirmLabel="Revoke"
        danger
        busy={busy}
        onCancel={() => setRevoking(null)}
        onConfirm={() => {
          if (!revoking || !keysOf) return;
          setBusy(true);
          setActionError(null);
          api.users.revokeApiKey
            .mutate({ username: keysOf.username, keyId: revoking.id })
            .then(() => keys.refetch(), setActionError)
            .finally(() => {
              setBusy(false);
              setRevoking(null);
            });
        }}
      >
        <p>
          A service using this key is refused from now on, and its open connections close. The account&apos;s
          other keys go on working.
        </p>
      </ConfirmDialog>
    </>
  );
}
