import { PageHeader } from '../../ui/states';

export function AuditPage() {
  return <PageHeader title="Audit log" />;
}
