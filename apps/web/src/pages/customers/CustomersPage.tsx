import { PageHeader } from '../../ui/states';

export function CustomersPage() {
  return <PageHeader title="Customers" />;
}
