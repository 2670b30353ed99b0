import { describe, expect, it } from 'vitest';
import { StateChanges } from './stateChanges';

describe('state changes', () => {
  it('tells stored records to the relay and to live feeds, other changes to live feeds only', () => {
    const changes = new StateChanges();
    const heard: string[] = [];
    changes.on('records_stored', () => heard.push('relay'));
    const stop = changes.on('state_changed', () => heard.push('live'));
    changes.announce('records_stored');
    changes.announce('state_changed');
    expect(heard).toEqual(['relay', 'live', 'live']);
    stop();
    changes.announce('state_changed');
    expect(heard).toHaveLength(3);
  });
});
