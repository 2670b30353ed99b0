import { act, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../api/ApiProvider';
import type { Api } from '../../api/client';
import type { LiveHandlers } from '../../api/useLive';
import { Session } from '../../api/session';
import { engineSample, throughputEvent } from './overviewFixtures';
import { OverviewPage } from './OverviewPage';

vi.mock('../../ui/TimeSeriesChart', () => ({
  TimeSeriesChart: ({ title }: { title: string }) => <figure aria-label={title} />,
}));

/** A stand-in for the tRPC client's two live feeds: the test pushes events as the server would. */
function fakeFeeds() {
  const feeds = {
    throughput: {
      input: undefined as unknown,
      handlers: undefined as LiveHandlers<unknown> | undefined,
    },
    engine: { input: undefined as unknown, handlers: undefined as LiveHandlers<unknown> | undefined },
  };
  const feed = (name: keyof typeof feeds) => ({
    subscribe: (input: unknown, handlers: LiveHandlers<unknown>) => {
      feeds[name].input = input;
      feeds[name].handlers = handlers;
      return { unsubscribe: () => (feeds[name].handlers = undefined) };
    },
  });
  const api = { live: { throughput: feed('throughput'), engine: feed('engine') } } as unknown as Api;
  return { api, feeds };
}

/** Events arrive, then the page draws them on its next frame. */
async function delivered(events: () => void) {
  await act(async () => {
    events();
    await new Promise((resolve) => requestAnimationFrame(resolve));
  });
}

describe('the overview page', () => {
  it('asks for five minutes of history, then follows both feeds as they tick', async () => {
    const { api, feeds } = fakeFeeds();
    const now = Date.now();
    render(
      <ApiProvider session={new Session()} api={api}>
        <MemoryRouter>
          <OverviewPage />
        </MemoryRouter>
      </ApiProvider>,
    );
    const since = Number((feeds.throughput.input as { lastEventId: string }).lastEventId);
    expect(since).toBeGreaterThanOrEqual(now - 300_000);
    expect(since).toBeLessThan(now - 299_000);
    const decided = () => screen.getByRole('region', { name: 'Decided per second' }).textContent;

    await delivered(() => {
      feeds.throughput.handlers!.onStarted();
      feeds.throughput.handlers!.onData(throughputEvent(now - 2000, 10));
      feeds.throughput.handlers!.onData(throughputEvent(now - 1000, 20));
      feeds.engine.handlers!.onData({ id: String(now), data: engineSample({ reviewQueue: 4 }) });
    });
    expect(decided()).toContain('30 in the last 2 s');
    expect(screen.getByRole('region', { name: 'Review queue' }).textContent).toContain('4');
    expect(screen.getByRole('status').textContent).toContain('Live');

    // A replay after a reconnect repeats the last event: it is not counted again.
    await delivered(() => {
      feeds.throughput.handlers!.onData(throughputEvent(now - 1000, 20));
      feeds.throughput.handlers!.onData(throughputEvent(now, 5));
    });
    expect(decided()).toContain('35 in the last 3 s');
  });

  it('keeps the last figures and says it is reconnecting when the feed fails', async () => {
    const { api, feeds } = fakeFeeds();
    render(
      <ApiProvider session={new Session()} api={api}>
        <MemoryRouter>
          <OverviewPage />
        </MemoryRouter>
      </ApiProvider>,
    );
    await delivered(() => feeds.throughput.handlers!.onData(throughputEvent(Date.now(), 7)));
    await delivered(() => feeds.throughput.handlers!.onError(new Error('connection lost')));
    expect(screen.getByRole('status').textContent).toContain('Reconnecting…');
    expect(screen.getByRole('alert').textContent).toContain('connection lost');
    expect(screen.getByRole('region', { name: 'Decided per second' }).textContent).toContain('7');
  });
});
