import { useEffect, useRef } from 'react';

export interface CaseShortcutHandlers {
  /** 1..9: the candidate with that number. */
  candidate: (index: number) => void;
  key: (key: 'n' | 'm' | 'r' | 'Escape' | '?') => void;
}

const KEYS = new Set(['n', 'm', 'r', 'Escape', '?']);

/**
 * Single-key decisions on the case page. Never while typing or with a modifier held, and never
 * the key after "g" (the frame's "g then letter" navigation owns that one).
 */
export function useCaseShortcuts(enabled: boolean, handlers: CaseShortcutHandlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    if (!enabled) return;
    let afterG = 0;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      const target = e.target instanceof Element ? e.target : null;
      if (target?.closest('input, textarea, select, [contenteditable], dialog')) return;
      if (e.key === 'g') {
        afterG = Date.now();
        return;
      }
      if (Date.now() - afterG < 1000) {
        afterG = 0;
        return;
      }
      if (/^[1-9]$/.test(e.key)) {
        e.preventDefault();
        latest.current.candidate(Number(e.key) - 1);
      } else if (KEYS.has(e.key)) {
        e.preventDefault();
        latest.current.key(e.key as 'n');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
