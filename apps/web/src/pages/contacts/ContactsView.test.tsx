import { fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { ContactsView, contactQueryOf } from './ContactsView';
import { GoldenContactFamiliesView } from './GoldenContactFamilies';
import type { ContactFamily } from './contactTypes';

const at = '2026-12-02T10:00:00.000Z';
const family: ContactFamily = {
  answer: {
    primaryContatctId: 1,
    primaryContactId: 1,
    emails: ['lorraine@hillvalley.edu', 'mcfly@hillvalley.edu'],
    phoneNumbers: ['123456'],
    secondaryContactIds: [23],
  },
  primary: {
    id: 1,
    email: 'lorraine@hillvalley.edu',
    phoneNumber: '123456',
    linkPrecedence: 'primary',
    linkedId: null,
    createdAt: at,
  },
  secondaries: [
    {
      id: 23,
      email: 'mcfly@hillvalley.edu',
      phoneNumber: '123456',
      linkPrecedence: 'secondary',
      linkedId: 1,
      createdAt: at,
    },
  ],
  history: [
    {
      id: '2',
      at,
      actor: 'etl',
      action: 'contact.linked',
      entityType: 'contact',
      entityId: '23',
      recordId: null,
      before: null,
      after: { linkPrecedence: 'secondary', linkedId: 1, email: true, phoneNumber: true },
    },
    {
      id: '1',
      at,
      actor: 'etl',
      action: 'contact.created',
      entityType: 'contact',
      entityId: '1',
      recordId: null,
      before: null,
      after: { linkPrecedence: 'primary', linkedId: null },
    },
  ],
  goldenRecords: [
    { goldenId: '0b9c2f3e-0000-4000-8000-000000000001', sharedBy: 'email', value: 'lorraine@hillvalley.edu' },
  ],
};

function renderView(props: Partial<Parameters<typeof ContactsView>[0]> = {}) {
  const onSearch = vi.fn();
  render(
    <MemoryRouter>
      <ContactsView
        query={{ email: 'mcfly@hillvalley.edu' }}
        families={[family]}
        loading={false}
        error={null}
        onSearch={onSearch}
        onRetry={() => undefined}
        now={Date.parse('2026-12-02T10:05:00.000Z')}
        {...props}
      />
    </MemoryRouter>,
  );
  return { onSearch };
}

describe('contacts page', () => {
  it('reads the box as an email when it has an @, else as a phone number', () => {
    expect(contactQueryOf(' Lorraine@HillValley.edu ')).toEqual({ email: 'Lorraine@HillValley.edu' });
    expect(contactQueryOf('+1 555 0100')).toEqual({ phoneNumber: '+1 555 0100' });
    expect(contactQueryOf('  ')).toBeNull();
  });

  it('looks up what is typed, by email or phone', () => {
    const { onSearch } = renderView({ query: null, families: undefined });
    const box = screen.getByRole('searchbox', { name: 'Email or phone number' });
    expect(screen.getByRole('button', { name: 'Look up' })).toHaveProperty('disabled', true);
    fireEvent.change(box, { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Look up' }));
    expect(onSearch).toHaveBeenCalledWith({ phoneNumber: '123456' });
  });

  it('shows the family as a tree, the golden records beside it and its history in words', () => {
    renderView();
    const tree = screen.getByRole('list', { name: 'Contacts' });
    const primary = within(tree).getAllByRole('listitem')[0]!;
    expect(primary.textContent).toContain('#1');
    expect(primary.textContent).toContain('lorraine@hillvalley.edu');
    // The secondary hangs under the primary.
    const nested = within(primary).getByRole('list');
    expect(nested.textContent).toContain('#23');
    expect(nested.textContent).toContain('secondary');
    expect(nested.textContent).toContain('mcfly@hillvalley.edu');

    const golden = screen.getByRole('link', { name: /Golden record 0b9c2f3e/ });
    expect(golden.getAttribute('href')).toBe('/customers/0b9c2f3e-0000-4000-8000-000000000001');

    const history = within(screen.getByRole('list', { name: 'History' })).getAllByRole('listitem');
    expect(history.map((h) => h.querySelector('strong')?.textContent)).toEqual([
      '#23 created as a secondary of #1 (new information)',
      '#1 created as a primary contact',
    ]);
    expect(history[0]!.textContent).toContain('5 minutes ago');
  });

  it('says so when no contact holds the value', () => {
    renderView({ families: [] });
    expect(screen.getByRole('status').textContent).toContain('No contact holds this value');
  });
});

describe('contact families on a golden record page', () => {
  it('lists the families sharing a value, each a link to its contact page, and nothing when there are none', () => {
    const { container } = render(
      <MemoryRouter>
        <GoldenContactFamiliesView families={[family.answer]} />
      </MemoryRouter>,
    );
    const link = screen.getByRole('link', { name: 'Contact family #1' });
    expect(link.getAttribute('href')).toBe('/contacts?contact=1');
    expect(link.closest('li')?.textContent).toContain('mcfly@hillvalley.edu, 123456');
    container.remove();
    const empty = render(
      <MemoryRouter>
        <GoldenContactFamiliesView families={[]} />
      </MemoryRouter>,
    );
    expect(empty.container.textContent).toBe('');
  });
});
