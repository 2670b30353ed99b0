import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { EnrichmentNotes } from './EnrichmentNotes';

describe('EnrichmentNotes', () => {
  it('shows the names compared romanised and an adapter that fell back', () => {
    render(
      <EnrichmentNotes
        explanation={{
          rule: 'review',
          enrichment: [
            { adapter: 'llm', outcome: 'fallback', reason: 'timeout', fallback: 'translit', ms: 2000 },
            {
              adapter: 'translit',
              outcome: 'applied',
              scripts: ['Cyrillic'],
              changed: [{ field: 'family_name', from: 'Щербаков', to: 'Shcherbakov' }],
              ms: 1,
            },
          ],
        }}
      />,
    );
    const notes = within(screen.getByRole('region', { name: 'Enrichment' }));
    expect(notes.getByText(/fell back \(timeout\) to translit/)).toBeTruthy();
    expect(notes.getByText(/romanised Cyrillic/)).toBeTruthy();
    expect(notes.getByText('family name: Щербаков → Shcherbakov')).toBeTruthy();
  });

  it('shows nothing when enrichment added nothing', () => {
    const { container } = render(
      <EnrichmentNotes
        explanation={{ enrichment: [{ adapter: 'translit', outcome: 'unchanged', ms: 0 }] }}
      />,
    );
    expect(container.innerHTML).toBe('');
    const none = render(<EnrichmentNotes explanation={null} />);
    expect(none.container.innerHTML).toBe('');
  });
});
