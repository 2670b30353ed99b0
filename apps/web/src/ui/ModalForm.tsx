import { useId, type ReactNode } from 'react';
import { useModalDialog } from './useModalDialog';

/**
 * The shell of every dialog that asks for something: a modal <dialog> (focus trapped, Escape
 * cancels) around one form whose title names it; Enter submits. What is inside is the caller's.
 */
export function ModalForm({
  open,
  onOpen,
  title,
  className,
  onCancel,
  onSubmit,
  children,
}: {
  open: boolean;
  /** Runs each time the dialog opens: clear what the last use typed. */
  onOpen?: () => void;
  title: ReactNode;
  className?: string;
  onCancel: () => void;
  onSubmit: () => void;
  children: ReactNode;
}) {
  const id = useId();
  const ref = useModalDialog(open, onOpen);
  return (
    <dialog
      ref={ref}
      className={className ? `dialog ${className}` : 'dialog'}
      aria-labelledby={`${id}-title`}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <h2 id={`${id}-title`}>{title}</h2>
        {children}
      </form>
    </dialog>
  );
}
