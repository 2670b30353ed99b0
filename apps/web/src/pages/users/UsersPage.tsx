import { PageHeader } from '../../ui/states';

export function UsersPage() {
  return <PageHeader title="Users" />;
}
