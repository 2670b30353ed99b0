import { useEffect, useRef } from 'react';

/** The case page's keys, on '?'. */
export function ShortcutsHelp({
  candidates,
  merge,
  onClose,
}: {
  candidates: number;
  merge: boolean;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (typeof dialog.showModal === 'function' && !dialog.open) dialog.showModal();
    else dialog.setAttribute('open', '');
  }, []);
  const rows: Array<[string, string]> = [
    [candidates > 1 ? `1 – ${Math.min(candidates, 9)}` : '1', 'Same person as that candidate'],
    ['N', 'A new person'],
    ...(merge ? ([['M', 'Merge the candidates']] as Array<[string, string]>) : []),
    ['R', 'Reject the record'],
    ['Enter', 'Confirm (after typing the reason)'],
    ['Esc', 'Cancel; on the page: release the case, back to the queue'],
    ['?', 'This help'],
    ['g r', 'Go to the review queue'],
  ];
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="shortcuts-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <table className="shortcuts">
        <tbody>
          {rows.map(([keys, what]) => (
            <tr key={keys}>
              <td>
                <kbd>{keys}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </dialog>
  );
}
