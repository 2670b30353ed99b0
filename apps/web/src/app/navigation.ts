import { mayCall, type ProcedureLevel, type UserRole } from '@nexus/schema/roles';

export interface NavItem {
  to: string;
  label: string;
  /** The API level the page's procedures need: a role that may not call them does not see the page. */
  level: ProcedureLevel;
  /** Single-key shortcut after `g` (g o = overview...). */
  key: string;
}

export const NAV_ITEMS: NavItem[] = [
  { to: '/overview', label: 'Overview', level: 'operator', key: 'o' },
  { to: '/batches', label: 'Batches', level: 'ingest', key: 'b' },
  { to: '/review', label: 'Review', level: 'reviewer', key: 'r' },
  { to: '/customers', label: 'Customers', level: 'reviewer', key: 'c' },
  { to: '/contacts', label: 'Contacts', level: 'reviewer', key: 'k' },
  { to: '/dead-letters', label: 'Dead letters', level: 'operator', key: 'd' },
  { to: '/audit', label: 'Audit log', level: 'reviewer', key: 'a' },
  { to: '/reports', label: 'Reports', level: 'reviewer', key: 'p' },
  { to: '/sources', label: 'Sources', level: 'operator', key: 's' },
  { to: '/jobs', label: 'Jobs', level: 'operator', key: 'j' },
  { to: '/notifications', label: 'Notifications', level: 'operator', key: 'n' },
  { to: '/model', label: 'Model', level: 'operator', key: 'm' },
  { to: '/access', label: 'Access trail', level: 'admin', key: 't' },
  { to: '/users', label: 'Users', level: 'admin', key: 'u' },
];

export const navFor = (role: UserRole): NavItem[] => NAV_ITEMS.filter((item) => mayCall(item.level, role));

/** Where a role lands after signing in: the first page it may see. */
export const homeFor = (role: UserRole): string => navFor(role)[0]?.to ?? '/overview';
