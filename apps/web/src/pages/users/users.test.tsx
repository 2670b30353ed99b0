import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { AddUserForm } from './AddUserForm';
import { ApiKeysPanel } from './ApiKeysPanel';
import { ChangePasswordDialog } from './ChangePasswordDialog';
import { SecretReveal } from './SecretReveal';
import type { UserView } from './userTypes';
import { UsersTable } from './UsersTable';

const user = (username: string, over: Partial<UserView> = {}): UserView => ({
  id: `id-${username}`,
  username,
  kind: 'person',
  role: 'reviewer',
  disabled: false,
  createdAt: '2026-11-20T09:00:00.000Z',
  createdBy: 'admin',
  lastLoginAt: null,
  ...over,
});

describe('users table', () => {
  it('shows role, kind, last sign-in and status, and offers only the actions that make sense', () => {
    const onDisable = vi.fn();
    const onIssueKey = vi.fn();
    const onShowKeys = vi.fn();
    render(
      <UsersTable
        users={[
          user('admin', { role: 'admin', lastLoginAt: '2026-11-20T09:55:00.000Z' }),
          user('loader', { kind: 'service', role: 'ingest' }),
          user('gone', { disabled: true }),
        ]}
        me="Admin"
        now={Date.parse('2026-11-20T10:00:00.000Z')}
        onDisable={onDisable}
        onIssueKey={onIssueKey}
        onShowKeys={onShowKeys}
      />,
    );
    const [, admin, loader, gone] = screen.getAllByRole('row');
    expect(admin!.textContent).toContain('5 minutes ago');
    expect(within(admin!).queryByRole('button')).toBeNull();
    expect(loader!.textContent).toContain('service account');
    expect(loader!.textContent).toContain('never');
    fireEvent.click(within(loader!).getByRole('button', { name: 'Issue an API key for loader' }));
    expect(onIssueKey).toHaveBeenCalledWith(expect.objectContaining({ username: 'loader' }));
    fireEvent.click(within(loader!).getByRole('button', { name: 'Disable loader' }));
    expect(onDisable).toHaveBeenCalledWith(expect.objectContaining({ username: 'loader' }));
    fireEvent.click(within(loader!).getByRole('button', { name: 'API keys of loader' }));
    expect(onShowKeys).toHaveBeenCalledWith(expect.objectContaining({ username: 'loader' }));
    expect(gone!.textContent).toContain('disabled');
    expect(within(gone!).queryByRole('button')).toBeNull();
  });
});

describe('adding a user', () => {
  it('shows the 8-character minimum before submitting and sends the chosen password', async () => {
    const onAdd = vi.fn().mockResolvedValue(undefined);
    render(<AddUserForm onAdd={onAdd} />);
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'olga' } });
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'operator' } });
    fireEvent.change(screen.getByLabelText('Initial password'), { target: { value: 'short' } });
    expect(screen.getByText(/At least 8 characters \(5 so far\)/)).toBeTruthy();
    const add = screen.getByRole<HTMLButtonElement>('button', { name: 'Add person' });
    expect(add.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Initial password'), { target: { value: 'long-enough' } });
    fireEvent.click(add);
    await waitFor(() =>
      expect(onAdd).toHaveBeenCalledWith({
        username: 'olga',
        role: 'operator',
        kind: 'person',
        password: 'long-enough',
      }),
    );
  });

  it('adds a service account without a password, and shows what the server refused', async () => {
    const onAdd = vi.fn().mockRejectedValue(new Error('a user named loader already exists'));
    render(<AddUserForm onAdd={onAdd} />);
    fireEvent.click(screen.getByLabelText(/Service account/));
    expect(screen.queryByLabelText('Initial password')).toBeNull();
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'loader' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add service account' }));
    await screen.findByText('a user named loader already exists');
    expect(onAdd).toHaveBeenCalledWith({ username: 'loader', role: 'reviewer', kind: 'service' });
  });

  it('refuses a username the server would refuse, before sending it', () => {
    render(<AddUserForm onAdd={vi.fn()} />);
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: '-x' } });
    expect(screen.getByText(/starting with a letter or digit/)).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Add person' }).disabled).toBe(true);
  });
});

describe('a secret shown once', () => {
  it('warns that it is shown once and copies it', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const onDone = vi.fn();
    render(
      <SecretReveal
        title="API key for loader"
        secret="nxk_abc"
        note="Give it to the service."
        onDone={onDone}
      />,
    );
    expect(screen.getByRole('alert').textContent).toContain('Shown once.');
    fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    expect(writeText).toHaveBeenCalledWith('nxk_abc');
    await screen.findByRole('button', { name: 'Copied' });
    fireEvent.click(screen.getByRole('button', { name: 'I have stored it' }));
    expect(onDone).toHaveBeenCalled();
  });
});

describe('changing my password', () => {
  it('asks for the new password twice and at least 8 characters', async () => {
    const onChange = vi.fn().mockResolvedValue(undefined);
    render(<ChangePasswordDialog open onChange={onChange} onClose={vi.fn()} />);
    const dialog = screen.getByRole('dialog', { hidden: true });
    const field = (name: string) => within(dialog).getByLabelText(name);
    fireEvent.change(field('Current password'), { target: { value: 'old-password' } });
    fireEvent.change(field('New password'), { target: { value: 'new-password' } });
    fireEvent.change(field('New password again'), { target: { value: 'new-passwort' } });
    expect(within(dialog).getByText('The two do not match.')).toBeTruthy();
    const submit = within(dialog).getByRole<HTMLButtonElement>('button', {
      name: 'Change password',
      hidden: true,
    });
    expect(submit.disabled).toBe(true);
    fireEvent.change(field('New password again'), { target: { value: 'new-password' } });
    fireEvent.click(submit);
    await waitFor(() => expect(onChange).toHaveBeenCalledWith('old-password', 'new-password'));
    await within(dialog).findByText(/Your password is changed/);
  });
});

describe('API keys of a service account', () => {
  it('tells the keys apart by the id after nxk_, and offers to revoke only the active ones', () => {
    const onRevoke = vi.fn();
    render(
      <ApiKeysPanel
        username="loader"
        keys={[
          {
            id: '6f1c1a54-55a5-4e8a-9d7a-1f1d2a3b4c5d',
            createdAt: '2026-11-20T09:00:00.000Z',
            lastUsedAt: '2026-11-20T09:58:00.000Z',
            revoked: false,
          },
          {
            id: '0b0e8c5e-6a43-4c2e-9a55-0d6d0b4f3a10',
            createdAt: '2026-11-19T09:00:00.000Z',
            lastUsedAt: null,
            revoked: true,
          },
        ]}
        now={Date.parse('2026-11-20T10:00:00.000Z')}
        onRevoke={onRevoke}
        onClose={vi.fn()}
      />,
    );
    const [, active, revoked] = within(
      screen.getByRole('table', { name: 'API keys of loader' }),
    ).getAllByRole('row');
    expect(active!.textContent).toContain('nxk_6f1c1a54');
    expect(active!.textContent).toContain('2 minutes ago');
    fireEvent.click(within(active!).getByRole('button', { name: 'Revoke key nxk_6f1c1a54' }));
    expect(onRevoke).toHaveBeenCalledWith(
      expect.objectContaining({ id: '6f1c1a54-55a5-4e8a-9d7a-1f1d2a3b4c5d' }),
    );
    expect(revoked!.textContent).toContain('revoked');
    expect(within(revoked!).queryByRole('button')).toBeNull();
  });
});
