import { PageHeader } from '../../ui/states';

export function DeadLettersPage() {
  return <PageHeader title="Dead letters" />;
}
