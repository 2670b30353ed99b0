import { useModalDialog } from '../../ui/useModalDialog';

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
  // Shown for as long as it is mounted.
  const ref = useModalDialog(true);
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
