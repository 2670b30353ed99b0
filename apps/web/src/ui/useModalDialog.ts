import { useEffect, useEffectEvent, useRef } from 'react';

/**
 * Shows a <dialog> as a modal while `open` is true (focus trapped, Escape fires its cancel event)
 * and closes it otherwise. `onOpen` runs each time it has opened: to clear what the last use typed, or to focus a field.
 * Without showModal (jsdom in component tests) the open attribute stands in for it.
 */
export function useModalDialog(open: boolean, onOpen?: () => void) {
  const ref = useRef<HTMLDialogElement>(null);
  const opened = useEffectEvent(() => onOpen?.());
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
      opened();
    } else if (!open && dialog.open) {
      if (typeof dialog.close === 'function') dialog.close();
      else dialog.removeAttribute('open');
    }
  }, [open]);
  return ref;
}
