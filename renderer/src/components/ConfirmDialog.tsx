import { useEffect, useRef, type ReactNode } from 'react';
import { useT } from '../i18n';

/**
 * A modal question (native <dialog>, so focus and Escape behave); Escape or Cancel answer no.
 * Used for the sender's revoke/rotate questions and Settings' leave-with-unsaved-changes question.
 */
export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
  /** The "no" button's label (default: Cancel) and test ids of both buttons. */
  cancelLabel?: string;
  /** The "no" answer is the one to take by default (e.g. stay on the form): it gets the primary style. */
  cancelIsPrimary?: boolean;
  buttonTestIds?: { cancel: string; confirm: string };
}) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="confirm"
      data-testid={props.testId}
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
    >
      <h2>{props.title}</h2>
      <div className="confirm-body">{props.children}</div>
      <div className="confirm-actions">
        <button
          type="button"
          className={props.cancelIsPrimary ? 'primary' : undefined}
          onClick={props.onCancel}
          data-testid={props.buttonTestIds?.cancel ?? 'confirm-cancel'}
        >
          {props.cancelLabel ?? t('snd.cancel')}
        </button>
        <button type="button" className="danger" onClick={props.onConfirm} data-testid={props.buttonTestIds?.confirm ?? 'confirm-ok'}>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
